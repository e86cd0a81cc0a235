/**
 * Where a local shard consumer (the event source mapping, the lake writer) resumes reading: just after
 * the last record it holds, or from the shard's start when it holds none. Kinesis iterators expire after
 * five minutes and on errors, so consumers ask for a new one from their own position, never reuse one.
 */
import { GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** A shard iterator after `afterSequenceNumber`, or at TRIM_HORIZON without one. */
export async function shardIteratorAfter(
  kinesis: KinesisClient,
  streamName: string,
  shardId: string,
  afterSequenceNumber: string | undefined,
): Promise<string | undefined> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      // StreamName, not only the ARN: kinesalite drops parameters it does not know.
      StreamName: streamName,
      ShardId: shardId,
      ...(afterSequenceNumber
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: afterSequenceNumber }
        : { ShardIteratorType: 'TRIM_HORIZON' }),
    }),
  );
  return ShardIterator;
}
