/**
 * The local stack in a process of its own, for benchmarks that measure it from outside (HTTP latency,
 * ingest, freshness): the client's own work must not share the stack's event loop. Started by
 * stack-process.ts with `node --import tsx`; talks over the IPC channel.
 *
 * Options come as JSON in BENCH_STACK_OPTIONS: { dataDir, poller?, meter? }.
 */
import './setup';
import { silentLogger, type Logger } from '../../src/local/logger';
import { startLocalStack } from '../../src/local/local-stack';
import { installCapacityMeter, type CapacityMeter } from './capacity';
import type { RecordedQuery } from './stack-process';

interface ChildOptions {
  dataDir: string;
  poller?: Record<string, number | boolean>;
  /** Count DynamoDB capacity and Query items of the stack's handlers (adds a middleware). */
  meter?: boolean;
}

type Message =
  | { type: 'waitForIdle'; timeoutMs?: number }
  | { type: 'stop' }
  | { type: 'stats' }
  | { type: 'stats-reset' }
  | { type: 'status' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; path: string };

const logger: Logger = { ...silentLogger, error: (message, error) => console.error(`[stack] ${message}`, error ?? '') };

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_STACK_OPTIONS ?? '{}') as ChildOptions;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const stack = await startLocalStack({ dataDir: options.dataDir, port: 0, logger, poller: options.poller });
  let meter: CapacityMeter | undefined;
  const queries: RecordedQuery[] = [];
  if (options.meter) {
    const { dynamoClient } = await import('../../src/store/dynamo-client');
    const client = dynamoClient();
    meter = installCapacityMeter(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if ((context as { commandName?: string }).commandName === 'QueryCommand') {
          // The key condition as the API built it (through src/store/keys.ts), replayed as is by the bench.
          const input = args.input as Omit<RecordedQuery, 'items'> & { ExclusiveStartKey?: unknown };
          const count = Number((result.output as { Count?: number }).Count ?? 0);
          // A later page of a Query already recorded: counted with it (the bare Query pages through it too).
          const started = input.ExclusiveStartKey
            ? [...queries]
                .reverse()
                .find(
                  (query) =>
                    query.KeyConditionExpression === input.KeyConditionExpression &&
                    JSON.stringify(query.ExpressionAttributeValues) === JSON.stringify(input.ExpressionAttributeValues),
                )
            : undefined;
          if (started) {
            started.items += count;
            return result;
          }
          queries.push({
            KeyConditionExpression: input.KeyConditionExpression,
            ExpressionAttributeValues: input.ExpressionAttributeValues,
            // peakHours reads DAY items projected to their hour counts: the bare Query does the same.
            ProjectionExpression: input.ProjectionExpression,
            ExpressionAttributeNames: input.ExpressionAttributeNames,
            Limit: input.Limit,
            items: count,
          });
        }
        return result;
      },
      // Before the document client marshals the input: the values are plain strings here.
      { step: 'initialize', priority: 'low', name: 'benchQueryRecorder' },
    );
  }
  const send = (message: unknown) => process.send?.(message);
  // CPU profiling on demand (V8 inspector), so that measured rounds run unprofiled.
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  let session: InstanceType<typeof Session> | undefined;
  process.on('message', (message: Message) => {
    void (async () => {
      switch (message.type) {
        case 'waitForIdle':
          try {
            await stack.waitForIdle({ timeoutMs: message.timeoutMs ?? 600_000 });
            send({ type: 'idle' });
          } catch (error) {
            send({ type: 'idle', error: String(error) });
          }
          break;
        case 'status':
          send({ type: 'status', shards: stack.poller.status() });
          break;
        case 'stats':
          send({ type: 'stats', capacity: meter?.snapshot(), queries: [...queries] });
          break;
        case 'stats-reset':
          meter?.reset();
          queries.length = 0;
          send({ type: 'stats-reset' });
          break;
        case 'profile-start':
          session = new Session();
          session.connect();
          session.post('Profiler.enable');
          session.post('Profiler.start');
          send({ type: 'profile-started' });
          break;
        case 'profile-stop':
          session?.post('Profiler.stop', (error, result) => {
            if (!error) writeFileSync(message.path, JSON.stringify(result.profile));
            session?.disconnect();
            session = undefined;
            send({ type: 'profile-stopped', error: error ? String(error) : undefined });
          });
          break;
        case 'stop':
          await stack.stop();
          send({ type: 'stopped' });
          process.exit(0);
      }
    })();
  });
  send({
    type: 'ready',
    pid: process.pid,
    graphqlUrl: stack.graphqlUrl,
    apiKeys: stack.apiKeys,
    endpoints: stack.endpoints,
    tableName: stack.tableName,
    streamName: stack.streamName,
  });
}

main().catch((error) => {
  console.error('[stack] failed to start', error);
  process.exit(1);
});
