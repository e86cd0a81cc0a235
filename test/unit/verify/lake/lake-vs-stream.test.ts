import type { _Record } from '@aws-sdk/client-kinesis';
import { toLakeEntry } from '../../../../src/lake/lake-record';
import { partitionPath } from '../../../../src/lake/lake-schema';
import { compareLakeWithStream, type LakeRow, type StreamRecordRead } from '../../../../verify/lake/lake-vs-stream';

const ARRIVAL = new Date('2023-02-01T12:00:00Z');

function streamRecord(sequenceNumber: string, text = 'not json'): StreamRecordRead {
  const record: _Record = {
    SequenceNumber: sequenceNumber,
    Data: Buffer.from(text),
    PartitionKey: 'pk',
    ApproximateArrivalTimestamp: ARRIVAL,
  };
  return { shardId: 'shardId-0', record };
}

function rowOf({ shardId, record }: StreamRecordRead, file = 'f.parquet'): LakeRow {
  const entry = toLakeEntry(
    { shardId, sequenceNumber: record.SequenceNumber!, arrivalMs: ARRIVAL.getTime(), partitionKey: 'pk' },
    record.Data!,
  );
  return { record: entry.record, partition: partitionPath(entry.partition), file };
}

describe('compareLakeWithStream', () => {
  const stream = ['1', '2', '3'].map((sequence) => streamRecord(sequence));

  it('finds nothing to say when the lake holds each stream record once', () => {
    expect(
      compareLakeWithStream(
        stream.map((read) => rowOf(read)),
        stream,
      ),
    ).toEqual([]);
  });

  it('names the missing, duplicated, altered and unknown records', () => {
    const rows = [
      rowOf(stream[0]),
      rowOf(stream[0], 'g.parquet'),
      { ...rowOf(stream[1]), partition: 'records/type=poison/pickup_date=1999-01-01' },
      rowOf(streamRecord('9')),
    ];
    expect(compareLakeWithStream(rows, stream)).toEqual([
      'shardId-0 1: 2 times in the lake (f.parquet, g.parquet)',
      "shardId-0 2: the lake's row or partition (records/type=poison/pickup_date=1999-01-01) is not the stream record's (records/type=poison/pickup_date=2023-02-01)",
      'shardId-0 3: in the stream, not in the lake',
      'shardId-0 9: in the lake, not in the stream',
    ]);
  });

  it('spells out at most `limit` differences and counts the rest', () => {
    const differences = compareLakeWithStream([], stream, 1);
    expect(differences).toEqual([
      'shardId-0 1: in the stream, not in the lake',
      '... 3 differences in all: 3 missing, 0 duplicated, 0 different, 0 not in the stream',
    ]);
  });
});
