/**
 * The local stand-in for the Lambda event source mapping of the trip stream: discovers the shards,
 * runs one ShardReader per shard (children only once their parents are drained), and reports per-shard
 * status. Settings default to PROCESSOR_BATCHING, the same ones the CDK stack gives the real mapping.
 */
import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROCESSOR_BATCHING } from '../../ingest/stream-definition';
import { abortableSleep } from '../../retry';
import { CheckpointStore, type Checkpoint } from './checkpoint-store';
import { LocalRuntimeError } from '../errors';
import { consoleLogger, type Logger } from '../logger';
import type { OnFailureDestination } from './on-failure';
import { ShardReader, type KinesisHandler, type ShardReaderSettings, type ShardReaderStatus } from './shard-reader';

export type { KinesisHandler, ShardReaderStatus } from './shard-reader';

export interface StreamPollerOptions extends Partial<ShardReaderSettings> {
  readonly kinesis: KinesisClient;
  readonly documents: DynamoDBDocumentClient;
  /** The table holding the checkpoints (the single table). */
  readonly tableName: string;
  readonly streamName: string;
  readonly region: string;
  /** The processor Lambda handler. */
  readonly handler: KinesisHandler;
  /** Where batches given up on are reported; by default they are only logged. */
  readonly onFailure?: OnFailureDestination;
  readonly logger?: Logger;
  /** How often new shards (after a reshard) are looked for. */
  readonly shardDiscoveryIntervalMs?: number;
}

export interface StreamPoller {
  /** Per-shard state, counters and lag, ordered by shard id. */
  status(): ShardReaderStatus[];
  /**
   * Resolves once every record written before the call is done with: each shard is ended, or has
   * nothing pending and was polled since, finding nothing new (millisBehindLatest 0).
   */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** Lets in-flight batches finish, starts no new ones, and resolves when every reader has stopped. */
  stop(): Promise<void>;
}

/** waitForIdle() gave up: the poller is still behind (or a shard keeps failing). */
export class PollerNotIdleError extends LocalRuntimeError {
  override name = 'PollerNotIdleError';
}

const DEFAULT_SETTINGS: ShardReaderSettings = {
  batchSize: PROCESSOR_BATCHING.batchSize,
  pollIntervalMs: PROCESSOR_BATCHING.pollIntervalMs,
  maxRetryAttempts: PROCESSOR_BATCHING.maxRetryAttempts,
  maxRecordAgeSeconds: PROCESSOR_BATCHING.maxRecordAgeSeconds,
  bisectBatchOnFunctionError: true,
  retryBaseDelayMs: 1000,
  retryMaxDelayMs: 30_000,
  functionName: 'taxi-pulse-processor',
  functionTimeoutMs: 60_000,
};

/**
 * Starts polling `streamName` and feeding `handler`: reads the checkpoints, starts a reader for every
 * shard whose parents are done, and keeps looking for new shards. Batching follows PROCESSOR_BATCHING
 * except the batching window: a GetRecords call that returns records is delivered at once, because
 * low latency matters more locally than fewer invocations.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const logger = options.logger ?? consoleLogger;
  const settings: ShardReaderSettings = { ...DEFAULT_SETTINGS, ...definedOnly(options) };
  const checkpoints = new CheckpointStore(options.documents, options.tableName, options.streamName);
  const readers = new Map<string, ShardReader>();
  const ended = new Set<string>();
  const waiting = new Map<string, ShardReaderStatus>();
  const stopSignal = new AbortController();
  let discovering: Promise<void> = Promise.resolve();

  const onFailure: OnFailureDestination = options.onFailure ?? (async (record) => logger.error(`on-failure: ${JSON.stringify(record)}`));

  async function discover(): Promise<void> {
    const shards = await listShards(options.kinesis, options.streamName);
    const saved = new Map((await checkpoints.list()).map((checkpoint) => [checkpoint.shardId, checkpoint]));
    const listed = new Set(shards.map((shard) => shard.ShardId));
    for (const checkpoint of saved.values()) if (checkpoint.shardEnded) ended.add(checkpoint.shardId);
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (readers.has(shardId) || stopSignal.signal.aborted) continue;
      const checkpoint = saved.get(shardId);
      // Parents past retention are no longer listed: nothing of them is left to wait for.
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined && listed.has(id));
      if (checkpoint?.shardEnded) {
        ended.add(shardId);
        waiting.delete(shardId);
        readers.set(shardId, startReader(shardId, parents, checkpoint, false));
      } else if (parents.every((parent) => ended.has(parent))) {
        waiting.delete(shardId);
        readers.set(shardId, startReader(shardId, parents, checkpoint, true));
      } else {
        waiting.set(shardId, waitingStatus(shardId, parents, checkpoint));
      }
    }
  }

  function startReader(shardId: string, parents: string[], checkpoint: Checkpoint | undefined, run: boolean) {
    const reader = new ShardReader(
      shardId,
      parents,
      {
        kinesis: options.kinesis,
        checkpoints,
        handler: options.handler,
        onFailure,
        logger,
        region: options.region,
        streamName: options.streamName,
        settings,
        onEnded: (id) => {
          ended.add(id);
          // A drained parent may free its children: look now rather than at the next interval.
          scheduleDiscovery();
        },
      },
      checkpoint,
    );
    if (run) reader.start();
    else reader.markEnded();
    return reader;
  }

  function scheduleDiscovery(): Promise<void> {
    // Serialised, so that two discoveries never start the same shard twice.
    discovering = discovering
      .then(() => (stopSignal.signal.aborted ? undefined : discover()))
      .catch((error) => logger.warn('shard discovery failed', error));
    return discovering;
  }

  await discover();
  const discoveryLoop = (async () => {
    const interval = options.shardDiscoveryIntervalMs ?? 10_000;
    while (!stopSignal.signal.aborted) {
      await abortableSleep(interval, stopSignal.signal);
      if (!stopSignal.signal.aborted) await scheduleDiscovery();
    }
  })();

  const status = (): ShardReaderStatus[] =>
    [...[...readers.values()].map((reader) => reader.status()), ...waiting.values()].sort((a, b) => a.shardId.localeCompare(b.shardId));

  return {
    status,
    async waitForIdle({ timeoutMs = 60_000 } = {}) {
      const since = performance.now();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (stopSignal.signal.aborted) throw new PollerNotIdleError('the poller was stopped');
        const idle = waiting.size === 0 && [...readers.values()].every((reader) => reader.isIdleSince(since));
        if (idle) return;
        if (Date.now() > deadline) {
          throw new PollerNotIdleError(`the poller is not idle after ${timeoutMs} ms: ${JSON.stringify(status())}`);
        }
        await sleep(Math.min(25, settings.pollIntervalMs));
      }
    },
    async stop() {
      stopSignal.abort();
      await discoveryLoop;
      await discovering;
      await Promise.all([...readers.values()].map((reader) => reader.stop()));
    },
  };
}

async function listShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    // StreamName on the first page only: the API rejects it together with NextToken.
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards.sort((a, b) => (a.ShardId ?? '').localeCompare(b.ShardId ?? ''));
}

function waitingStatus(shardId: string, parentShardIds: string[], checkpoint: Checkpoint | undefined): ShardReaderStatus {
  return {
    shardId,
    parentShardIds,
    state: 'WAITING_FOR_PARENTS',
    lastProcessedSequenceNumber: checkpoint?.sequenceNumber,
    recordsProcessed: 0,
    batchesProcessed: 0,
    failures: 0,
    recordsSentToOnFailure: 0,
    pendingRecords: 0,
  };
}

/** Only the settings the caller actually gave (an explicit undefined must not erase a default). */
function definedOnly(options: Partial<ShardReaderSettings>): Partial<ShardReaderSettings> {
  const keys = Object.keys(DEFAULT_SETTINGS) as (keyof ShardReaderSettings)[];
  return Object.fromEntries(
    keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  ) as Partial<ShardReaderSettings>;
}
