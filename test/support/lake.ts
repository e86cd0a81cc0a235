/**
 * Reading a local lake and a stream the plain way, to check one against the other: every lake file
 * decoded record by record, and every record of every shard read from the trim horizon.
 */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { LakeRecord } from '../../src/lake/lake-schema';
import { listLake } from '../../src/local/lake/lake-files';
import { decodeLakeParquet } from '../../src/local/lake/lake-parquet';

export interface LakeRow {
  readonly record: LakeRecord;
  /** `type=.../pickup_date=...` of the file's folder. */
  readonly partition: string;
  readonly file: string;
}

/** Every record of every lake file under `root`. */
export async function readLakeRows(root: string): Promise<LakeRow[]> {
  const { files } = await listLake(root);
  const rows: LakeRow[] = [];
  for (const { path } of files) {
    const partition = `${basename(dirname(dirname(path)))}/${basename(dirname(path))}`;
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
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StreamRecordRead[] = [];
  for (const shard of Shards ?? []) {
    const shardId = shard.ShardId!;
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) records.push({ shardId, record });
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
