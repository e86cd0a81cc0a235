/**
 * The event the Lambda event source mapping sends for a batch of Kinesis records, built exactly in
 * AWS's shape so that the deployed processor handler runs unchanged.
 */
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from '../lambda-runtime/lambda-context';

export interface KinesisEventSource {
  readonly region: string;
  readonly streamName: string;
  readonly shardId: string;
  /** The execution role the mapping would invoke with. */
  readonly invokeIdentityArn: string;
}

/** The stream's ARN as the local runtime reports it in events and on-failure records. */
export function streamArn(region: string, streamName: string): string {
  return `arn:aws:kinesis:${region}:${LOCAL_ACCOUNT_ID}:stream/${streamName}`;
}

/**
 * Turns records read with GetRecords into a KinesisStreamEvent: data base64-encoded, arrival time in
 * epoch seconds (with milliseconds as the fraction, like AWS), eventID `<shardId>:<sequenceNumber>`.
 */
export function toKinesisStreamEvent(records: readonly KinesisRecord[], source: KinesisEventSource): KinesisStreamEvent {
  const eventSourceARN = streamArn(source.region, source.streamName);
  return {
    Records: records.map((record): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${source.shardId}:${record.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: source.invokeIdentityArn,
      awsRegion: source.region,
      eventSourceARN,
    })),
  };
}
