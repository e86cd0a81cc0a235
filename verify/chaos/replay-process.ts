/**
 * `npm run replay` in a child process (its own process group), against the chaos stack's endpoint,
 * with the ingest key of the stack's data directory. Output goes to a log file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { ChaosError } from './chaos-errors';
import { PROJECT_ROOT, type ChildExit } from './stack-process';

const REPLAY = join(PROJECT_ROOT, 'src', 'cli', 'replay', 'replay.ts');

export interface ReplayProcess {
  readonly exited: Promise<ChildExit>;
  /** The exit, once there is one. */
  exit(): ChildExit | undefined;
  kill(): void;
}

export interface ReplayProcessOptions {
  readonly files: readonly string[];
  readonly endpoint: string;
  readonly dataDir: string;
  readonly logPath: string;
  readonly batchSize?: number;
  readonly concurrency?: number;
}

export function startReplayProcess(options: ReplayProcessOptions): ReplayProcess {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      REPLAY,
      ...options.files,
      '--endpoint',
      options.endpoint,
      '--data-dir',
      options.dataDir,
      ...(options.batchSize === undefined ? [] : ['--batch-size', String(options.batchSize)]),
      ...(options.concurrency === undefined ? [] : ['--concurrency', String(options.concurrency)]),
    ],
    { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
  );
  if (child.pid === undefined) throw new ChaosError('could not spawn the replay process');
  const pid = child.pid;
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      log.end();
      resolve(exit);
    }),
  );
  return {
    exited,
    exit: () => exit,
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}
