/**
 * Starts dynalite and kinesalite, each in its own child process: the emulators do real work (LevelDB,
 * JSON, crypto) and must not share an event loop with the handlers they serve. Both persist under the
 * data directory, so a restart on the same directory finds the table, the stream and the records.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EmulatorStartError } from '../errors';

export interface EmulatorEndpoints {
  /** dynalite, e.g. http://127.0.0.1:54321 */
  readonly dynamodb: string;
  /** kinesalite, e.g. http://127.0.0.1:54322 */
  readonly kinesis: string;
}

export interface Emulators {
  readonly endpoints: EmulatorEndpoints;
  /** Stops both children and waits until they have exited (LevelDB closed). */
  stop(): Promise<void>;
}

export interface StartEmulatorsOptions {
  /** Data lands in `<dataDir>/dynamodb` and `<dataDir>/kinesis`. */
  readonly dataDir: string;
  /** Region the emulators put into ARNs. */
  readonly region?: string;
  /** How long a child may take to report its port. */
  readonly startTimeoutMs?: number;
  /** Called when an emulator that had started exits without being asked to (it crashed or was killed). */
  readonly onUnexpectedExit?: (kind: EmulatorKind, code: number | null, signal: NodeJS.Signals | null) => void;
}

export type EmulatorKind = 'dynamodb' | 'kinesis';

interface EmulatorChild {
  readonly port: number;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = join(__dirname, 'emulator-process.cjs');
const STOP_TIMEOUT_MS = 10_000;

// State transitions are near-instant locally: bootstrap and tests need not wait half a second each.
const EMULATOR_OPTIONS: Record<EmulatorKind, Record<string, unknown>> = {
  dynamodb: { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
  kinesis: { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 10, shardLimit: 1000 },
};

/**
 * Starts both emulators on ephemeral ports of 127.0.0.1, persisted under `dataDir`, and resolves with
 * their endpoints once both listen. If either fails, the other is stopped and the error says which
 * (a common cause: another stack already runs on the same data directory and holds its lock).
 */
export async function startEmulators(options: StartEmulatorsOptions): Promise<Emulators> {
  const region = options.region ?? 'us-east-1';
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const results = await Promise.allSettled(
    (['dynamodb', 'kinesis'] as const).map(async (kind) => {
      const path = join(options.dataDir, kind);
      await mkdir(path, { recursive: true });
      return startChild(kind, { ...EMULATOR_OPTIONS[kind], path }, region, timeoutMs, options.onUnexpectedExit);
    }),
  );
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((child) => child.stop()));
    throw failure.reason;
  }
  const [dynamodb, kinesis] = started;
  return {
    endpoints: { dynamodb: `http://127.0.0.1:${dynamodb.port}`, kinesis: `http://127.0.0.1:${kinesis.port}` },
    stop: async () => {
      await Promise.all([dynamodb.stop(), kinesis.stop()]);
    },
  };
}

function startChild(
  kind: EmulatorKind,
  emulatorOptions: Record<string, unknown>,
  region: string,
  timeoutMs: number,
  onUnexpectedExit: StartEmulatorsOptions['onUnexpectedExit'],
): Promise<EmulatorChild> {
  // execArgv: [] so that a tsx or jest loader is not loaded again into a plain JavaScript child.
  const child = fork(CHILD_SCRIPT, [], {
    execArgv: [],
    env: { ...process.env, AWS_REGION: region },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<EmulatorChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmulatorStartError(`${kind} emulator did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'ready' && typeof message.port === 'number') {
        cleanUp();
        let stopping = false;
        child.once('exit', (code, signal) => {
          if (!stopping) onUnexpectedExit?.(kind, code, signal);
        });
        resolve({
          port: message.port,
          stop: () => {
            stopping = true;
            return stopChild(child, exited);
          },
        });
      } else if (message.type === 'error') {
        cleanUp();
        const reason = String(message.message);
        // LevelDB reports a held lock obscurely ("IO error: lock", or dynalite's "Iterator is not open").
        const hint = /lock|not open/i.test(reason) ? ` (is another local stack running on ${String(emulatorOptions.path)}?)` : '';
        reject(new EmulatorStartError(`${kind} emulator failed to start: ${reason}${hint}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanUp();
      reject(new EmulatorStartError(`${kind} emulator exited during start-up (code ${code}, signal ${signal})`));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new EmulatorStartError(`${kind} emulator could not be forked`, { cause: error }));
    };
    function cleanUp() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
    child.send({ type: 'start', kind, options: emulatorOptions });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

function isMessage(value: unknown): value is { type: string; port?: unknown; message?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
