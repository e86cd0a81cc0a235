'use strict';
/**
 * Preloaded with NODE_OPTIONS="--require <this file>" (node refuses --cpu-prof there) to profile a
 * process the bench does not start itself, such as the emulator children: starts V8's CPU profiler
 * at once and writes <BENCH_CPU_PROFILE_DIR>/<role>-<pid>.cpuprofile when the process exits.
 */
const inspector = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      const role = process.argv.some((arg) => arg.includes('emulator-process')) ? 'emulator' : 'process';
      writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
  process.on('disconnect', write);
}
