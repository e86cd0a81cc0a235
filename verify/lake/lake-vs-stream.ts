/**
 * Is the local data lake exactly the stream? Reads every lake file record by record and every record
 * of every shard from the trim horizon, plainly (no code of the lake writer but its file listing and
 * Parquet decoding), and lists the differences: records missing from the lake, records in it twice,
 * records it holds but the stream does not, and records whose row or partition is not what the shared
 * toLakeEntry makes of the stream record. `npm run chaos` and the tests judge the lake with it.
 */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { toLakeEntry } from '../../src/lake/lake-record';
import { partitionPath, type LakeRecord } from '../../src/lake/lake-schema';
import { listLake } from '../../src/local/lake/lake-files';
import { decodeLakeParquet } from '../../src/local/lake/lake-parquet';

export interface LakeRow {
  readonly record: LakeRecord;
  /** `records/type=.../pickup_date=...`: the file's folder. */
  readonly partition: string;
  readonly file: string;
}

/** Every record of every lake file under `root`. */
export async function readLakeRows(root: string): Promise<LakeRow[]> {
  const { files } = await listLake(root);
  const rows: LakeRow[] = [];
  for (const { path } of files) {
    const partition = `records/${basename(dirname(dirname(path)))}/${basename(dirname(path))}`;
    for (const record of await decodeLakeParquet(await readFile(path))) rows.push({ record, partition, file: basename(path) });
  }
  return rows;
}

export interface StreamRecordRead {
  readonly shardId: string;
  readonly record: _Record;
}

/** Every record of the stream, shard by shard from the trim horizon to the tip. */
export async function readWholeStream(kinesis: KinesisClient, streamName: string): Promise<StreamRecordRead[]> {
  const records: StreamRecordRead[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const shard of page.Shards ?? []) {
      const shardId = shard.ShardId!;
      let { ShardIterator: iterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      while (iterator) {
        const output = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const record of output.Records ?? []) records.push({ shardId, record });
        if ((output.Records ?? []).length === 0 && (output.MillisBehindLatest ?? 0) === 0) break;
        iterator = output.NextShardIterator;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return records;
}

/** The differences between the lake and the stream, at most `limit` of them spelt out; none means equal. */
export function compareLakeWithStream(rows: readonly LakeRow[], stream: readonly StreamRecordRead[], limit = 10): string[] {
  const key = (shardId: string, sequenceNumber: string) => `${shardId} ${sequenceNumber}`;
  const inLake = new Map<string, LakeRow[]>();
  for (const row of rows) {
    const id = key(row.record.shard_id, row.record.sequence_number);
    inLake.set(id, [...(inLake.get(id) ?? []), row]);
  }
  const differences: string[] = [];
  const counts = { missing: 0, duplicated: 0, different: 0, unknown: 0 };
  const note = (kind: keyof typeof counts, text: string) => {
    counts[kind] += 1;
    if (differences.length < limit) differences.push(text);
  };
  const inStream = new Set<string>();
  for (const { shardId, record } of stream) {
    const id = key(shardId, record.SequenceNumber!);
    inStream.add(id);
    const found = inLake.get(id) ?? [];
    if (found.length === 0) {
      note('missing', `${id}: in the stream, not in the lake`);
      continue;
    }
    if (found.length > 1) note('duplicated', `${id}: ${found.length} times in the lake (${found.map((row) => row.file).join(', ')})`);
    const expected = toLakeEntry(
      {
        shardId,
        sequenceNumber: record.SequenceNumber!,
        arrivalMs: record.ApproximateArrivalTimestamp!.getTime(),
        partitionKey: record.PartitionKey!,
      },
      record.Data!,
    );
    const [row] = found;
    if (!isDeepStrictEqual(row.record, expected.record) || row.partition !== partitionPath(expected.partition)) {
      note(
        'different',
        `${id}: the lake's row or partition (${row.partition}) is not the stream record's (${partitionPath(expected.partition)})`,
      );
    }
  }
  for (const id of inLake.keys()) if (!inStream.has(id)) note('unknown', `${id}: in the lake, not in the stream`);
  const total = counts.missing + counts.duplicated + counts.different + counts.unknown;
  if (total > differences.length) {
    differences.push(
      `... ${total} differences in all: ${counts.missing} missing, ${counts.duplicated} duplicated, ${counts.different} different, ${counts.unknown} not in the stream`,
    );
  }
  return differences;
}
