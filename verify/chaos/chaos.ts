/**
 * Entry point of `npm run chaos -- [file...] [options]` (see chaos/chaos-options.ts, or --help):
 * replays TLC files while killing the local stack with SIGKILL, then compares every number with the
 * oracle. Ctrl-C stops it and kills what it started.
 */
import { runChaosCli } from './chaos-cli';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

void runChaosCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal }).then((exitCode) => {
  process.exitCode = exitCode;
});
