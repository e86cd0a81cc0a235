/**
 * The local stack as a user runs it (`npm start`, here `node --import tsx src/local/main.ts`) in a
 * child process of its own process group, so that one SIGKILL takes down the stack and its emulator
 * children at once, as a power cut or the OOM killer would. Its output goes to a log file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackStartError } from './chaos-errors';

export const PROJECT_ROOT = join(__dirname, '..', '..');
const MAIN = join(PROJECT_ROOT, 'src', 'local', 'main.ts');
/** main.ts prints this once startLocalStack() has resolved: API, poller and emulators are up. */
const READY_LINE = 'GraphQL endpoint:';
const STOP_GRACE_MS = 20_000;
const GROUP_GONE_TIMEOUT_MS = 10_000;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `npm start` as a user runs it, in a process group of its own that can be killed outright (not bench/'s InstrumentedStackProcess). */
export interface NpmStartProcess {
  readonly pid: number;
  readonly exited: Promise<ChildExit>;
  /** SIGKILL to the whole process group; resolves once no process of the group is left. */
  kill(): Promise<void>;
  /** SIGTERM (main.ts stops cleanly), SIGKILL to the group if that takes too long. */
  stop(): Promise<void>;
}

export interface StackProcessOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly logPath: string;
  readonly startTimeoutMs?: number;
  /** More `npm start` options (e.g. --lake-buffer-seconds). */
  readonly extraArgs?: readonly string[];
}

/** Starts the stack on `dataDir` without seeding, and resolves once it serves. */
export async function startStackProcess(options: StackProcessOptions): Promise<NpmStartProcess> {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--data-dir', options.dataDir, '--port', String(options.port), '--no-seed', ...(options.extraArgs ?? [])],
    { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
  );
  const pid = child.pid;
  if (pid === undefined) throw new StackStartError('could not spawn the stack process');
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => log.end());

  const stack: NpmStartProcess = {
    pid,
    exited,
    kill: async () => {
      signalGroup(pid, 'SIGKILL');
      await exited;
      await groupGone(pid);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if (!(await settlesWithin(exited, STOP_GRACE_MS))) signalGroup(pid, 'SIGKILL');
      await exited;
      await groupGone(pid);
    },
  };

  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (output.includes(READY_LINE)) return;
      output = (output + chunk.toString('utf8')).slice(-4096);
      if (output.includes(READY_LINE)) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new StackStartError(`the stack exited during start-up (code ${code}, signal ${signal}); see ${options.logPath}`)),
    );
  });
  // A later exit rejects `ready` again: that is the caller's business (through `exited`), not an error.
  ready.catch(() => undefined);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let started: boolean;
  try {
    started = await settlesWithin(ready, timeoutMs);
  } catch (error) {
    await stack.kill();
    throw error;
  }
  if (!started) {
    await stack.kill();
    throw new StackStartError(`the stack did not start within ${timeoutMs} ms; see ${options.logPath}`);
  }
  return stack;
}

/** Whether `promise` settles within `ms` (its rejection is rethrown); the timer never outlives it. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([promise.then(() => true), sleep(ms, false, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Waits until no process of the group is left: the emulators hold LevelDB locks on the data
 * directory, and a restart before they are gone would fail to open it.
 */
async function groupGone(pid: number): Promise<void> {
  const deadline = Date.now() + GROUP_GONE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw error;
    }
    await sleep(50);
  }
}
