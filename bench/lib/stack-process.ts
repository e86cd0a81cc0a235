/** Starts the local stack in a child process (stack-child.ts) and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyCondition } from '../../src/store/keys';
import { benchDataDir } from './emulators';

/** A DynamoDB Query the stack's API issued, recorded inside the stack (`meter: true`) with its item count. */
export interface RecordedQuery extends KeyCondition {
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  /** The API's page size, if it set one: the bare Query pages the same way. */
  readonly Limit?: number;
  /** Items of every page of the Query. */
  items: number;
}

/**
 * The stack forked with an IPC channel, so the benchmark can meter its DynamoDB calls, profile it and
 * wait for its poller (not verify/chaos's NpmStartProcess, which is `npm start` as a user runs it).
 */
export interface InstrumentedStackProcess {
  child: ChildProcess;
  pid: number;
  graphqlUrl: string;
  apiKeys: { ingest: string; read: string; path: string };
  endpoints: { dynamodb: string; kinesis: string };
  tableName: string;
  streamName: string;
  dataDir: string;
  request<T = Record<string, unknown>>(message: { type: string; [key: string]: unknown }, replyType: string): Promise<T>;
  waitForIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStackProcess(
  label: string,
  options: { poller?: Record<string, number | boolean>; meter?: boolean; dataDir?: string; execArgv?: string[] } = {},
): Promise<InstrumentedStackProcess> {
  const dataDir = options.dataDir ?? benchDataDir(label);
  const child = fork(join(__dirname, 'stack-child.ts'), [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, BENCH_STACK_OPTIONS: JSON.stringify({ dataDir, poller: options.poller, meter: options.meter }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message?.type === 'ready') {
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message as Record<string, unknown>);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`stack process exited during start (code ${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  const request = <T>(message: { type: string; [key: string]: unknown }, replyType: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (reply: { type?: string }) => {
        if (reply?.type === replyType) {
          child.off('message', onMessage);
          resolve(reply as T);
        }
      };
      child.on('message', onMessage);
      child.send(message);
    });
  let stopped: Promise<void> | undefined;
  return {
    child,
    pid: child.pid as number,
    graphqlUrl: ready.graphqlUrl as string,
    apiKeys: ready.apiKeys as InstrumentedStackProcess['apiKeys'],
    endpoints: ready.endpoints as InstrumentedStackProcess['endpoints'],
    tableName: ready.tableName as string,
    streamName: ready.streamName as string,
    dataDir,
    request,
    waitForIdle: async (timeoutMs) => {
      const reply = await request<{ error?: string }>({ type: 'waitForIdle', timeoutMs }, 'idle');
      if (reply.error) throw new Error(reply.error);
    },
    stop: () =>
      (stopped ??= (async () => {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        if (child.exitCode === null) child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}
