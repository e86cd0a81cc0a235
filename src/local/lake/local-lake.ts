/**
 * The local data lake: the same layout and records as the S3 lake (src/lake/lake-schema.ts), under
 * `<dataDir>/lake`, written the way Firehose writes it: a consumer of the trip stream with its own
 * position per shard, buffering by size and by time. `npm start` runs it next to the processor's
 * poller; `npm run sql` reads what it wrote.
 */
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { join } from 'node:path';
import { consoleLogger, type Logger } from '../logger';
import { recoverLake } from './lake-files';
import { ShardLakeWriter, type LakeWriterSettings, type ShardLakeStatus } from './shard-lake-writer';
import { abortableSleep } from '../../retry';

export type { LakeWriterSettings, ShardLakeStatus } from './shard-lake-writer';

/** The lake's folder in a data directory. */
export function lakeRoot(dataDir: string): string {
  return join(dataDir, 'lake');
}

/**
 * Locally the lake flushes every 10 s or 16 MB: Firehose's 5 minutes and 128 MB (infra/) suit S3's
 * per-object costs, but locally people query right after loading a file.
 */
export const DEFAULT_LAKE_SETTINGS: LakeWriterSettings = {
  bufferBytes: 16 * 1024 * 1024,
  bufferIntervalMs: 10_000,
  pollIntervalMs: 1_000,
  getRecordsLimit: 10_000,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 30_000,
};

export interface LocalLakeOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** The lake's root directory (lakeRoot(dataDir)). */
  readonly root: string;
  readonly settings?: Partial<LakeWriterSettings>;
  readonly logger?: Logger;
  /** How often new shards (after a reshard) are looked for. */
  readonly shardDiscoveryIntervalMs?: number;
  /** Test hook, see ShardLakeWriterDeps.beforeRename. */
  readonly beforeRename?: (path: string, part: number, parts: number) => void;
}

export interface LocalLake {
  readonly root: string;
  /** Files removed at start because a crash interrupted their flush (or their write). */
  readonly recoveredFiles: readonly string[];
  /** Per shard, ordered by shard id. */
  status(): ShardLakeStatus[];
  /** Resolves once every record the stream held when called is in the lake's files. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops the writers after writing what they buffered. */
  stop(): Promise<void>;
}

/** The lake's writers could not catch up in time. */
export class LakeFlushTimeoutError extends Error {
  override name = 'LakeFlushTimeoutError';
}

/**
 * Recovers the lake's files (lake-files.ts: incomplete flushes and temporary files go, each shard
 * resumes after its last whole flush), then starts one writer per shard and keeps looking for new ones.
 */
export async function startLocalLake(options: LocalLakeOptions): Promise<LocalLake> {
  const logger = options.logger ?? consoleLogger;
  // Only the settings given: an explicit undefined (an absent command-line flag) keeps the default.
  const given = Object.entries(options.settings ?? {}).filter(([, value]) => value !== undefined);
  const settings: LakeWriterSettings = { ...DEFAULT_LAKE_SETTINGS, ...Object.fromEntries(given) };
  const recovery = await recoverLake(options.root);
  if (recovery.deleted.length > 0) {
    logger.info(`lake: removed ${recovery.deleted.length} file(s) of writes a crash interrupted; their records are read again`);
  }
  const writers = new Map<string, ShardLakeWriter>();
  const stopSignal = new AbortController();

  async function discover(): Promise<void> {
    let nextToken: string | undefined;
    do {
      const page = await options.kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: options.streamName }),
      );
      for (const shard of page.Shards ?? []) {
        const shardId = shard.ShardId as string;
        if (writers.has(shardId) || stopSignal.signal.aborted) continue;
        const writer = new ShardLakeWriter(
          shardId,
          {
            kinesis: options.kinesis,
            streamName: options.streamName,
            root: options.root,
            settings,
            logger,
            beforeRename: options.beforeRename,
          },
          recovery.positions.get(shardId),
        );
        writers.set(shardId, writer);
        writer.start();
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }

  await discover();
  const discoveryLoop = (async () => {
    const intervalMs = options.shardDiscoveryIntervalMs ?? 10_000;
    while (!stopSignal.signal.aborted) {
      await abortableSleep(intervalMs, stopSignal.signal);
      if (!stopSignal.signal.aborted) await discover().catch((error) => logger.warn('lake: shard discovery failed', error));
    }
  })();

  return {
    root: options.root,
    recoveredFiles: recovery.deleted,
    status: () => [...writers.values()].map((writer) => writer.status()).sort((a, b) => a.shardId.localeCompare(b.shardId)),
    async flush({ timeoutMs = 60_000 } = {}) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LakeFlushTimeoutError(`the lake did not catch up with the stream within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([Promise.all([...writers.values()].map((writer) => writer.drain())), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      stopSignal.abort();
      await discoveryLoop;
      await Promise.all([...writers.values()].map((writer) => writer.stop()));
    },
  };
}
