/**
 * Bare Kinesis operations for the floors: PutRecords of 500 with a few calls in flight (what the
 * publisher and the replay do), and per-shard GetRecords loops paced like the local poller.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type _Record as KinesisRecord,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PutEntry {
  Data: Uint8Array;
  PartitionKey: string;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** PutRecords of every entry, 500 per call, `concurrency` calls in flight, resending failed records. */
export async function putAll(kinesis: KinesisClient, streamName: string, entries: readonly PutEntry[], concurrency = 4): Promise<void> {
  await mapConcurrently(chunk(entries, 500), concurrency, async (records) => {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`${pending.length} records not written`);
      const response = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      if (!response.FailedRecordCount) return;
      pending = pending.filter((_, index) => response.Records?.[index]?.ErrorCode);
      await sleep(20 * 2 ** attempt);
    }
  });
}

export async function shardIds(kinesis: KinesisClient, streamName: string): Promise<string[]> {
  const page = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  return (page.Shards ?? []).map((shard) => shard.ShardId as string);
}

/**
 * Reads one shard from its start until `expected` records came back (or the shard is empty for a
 * while), GetRecords of at most `limit` records no faster than every `pollIntervalMs`, handing each
 * non-empty page to `onBatch` before the next read (one batch in flight per shard, like the poller).
 */
export async function drainShard(
  kinesis: KinesisClient,
  streamName: string,
  shardId: string,
  options: {
    limit: number;
    pollIntervalMs: number;
    expected: number;
    onBatch: (records: KinesisRecord[]) => Promise<void>;
    idleTimeoutMs?: number;
  },
): Promise<number> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  let iterator = ShardIterator;
  let read = 0;
  let lastCall = Number.NEGATIVE_INFINITY;
  let lastRecordAt = Date.now();
  while (iterator && read < options.expected) {
    const wait = lastCall + options.pollIntervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    lastCall = performance.now();
    const output = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit }));
    iterator = output.NextShardIterator;
    const records = output.Records ?? [];
    if (records.length > 0) {
      read += records.length;
      lastRecordAt = Date.now();
      await options.onBatch(records);
    } else if (Date.now() - lastRecordAt > (options.idleTimeoutMs ?? 30_000)) {
      throw new Error(`shard ${shardId}: ${read} of ${options.expected} records after waiting ${options.idleTimeoutMs ?? 30_000} ms`);
    }
  }
  return read;
}

/** Which shard each record lands in: Kinesis hashes the partition key with MD5 into the shards' ranges. */
export async function recordsPerShard(
  kinesis: KinesisClient,
  streamName: string,
  partitionKeys: readonly string[],
): Promise<Map<string, number>> {
  const { createHash } = await import('node:crypto');
  const page = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const shards = (page.Shards ?? []).map((shard) => ({
    id: shard.ShardId as string,
    start: BigInt(shard.HashKeyRange!.StartingHashKey!),
    end: BigInt(shard.HashKeyRange!.EndingHashKey!),
  }));
  const counts = new Map<string, number>(shards.map((shard) => [shard.id, 0]));
  for (const key of partitionKeys) {
    const hash = BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);
    const shard = shards.find((entry) => hash >= entry.start && hash <= entry.end);
    if (shard) counts.set(shard.id, (counts.get(shard.id) ?? 0) + 1);
  }
  return counts;
}
