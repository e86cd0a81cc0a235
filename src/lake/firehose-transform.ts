/**
 * The Firehose data transformation of the data lake, as a pure function: each Kinesis-sourced record
 * of a Firehose batch becomes its lake record (JSON, which Firehose's record format conversion turns
 * into Parquet with the Glue table's schema) and its partition keys, which Firehose reads as
 * `!{partitionKeyFromLambda:type}` and `!{partitionKeyFromLambda:pickup_date}`.
 *
 * Only here, on AWS, is a record's stream position known (Firehose hands the transformation each
 * record's kinesisRecordMetadata): that is why the transformation exists at all.
 */
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { toLakeEntry } from './lake-record';

/** The names of the partition keys the transformation returns (used in the delivery stream's prefix). */
export const LAMBDA_PARTITION_KEYS = { type: 'type', pickupDate: 'pickup_date' } as const;

/** Transforms every record of the batch; a record is never dropped (poison is kept as such). */
export function transformFirehoseEvent(event: FirehoseTransformationEvent): FirehoseTransformationResult {
  return { records: (event.records ?? []).map(transformRecord) };
}

function transformRecord(input: FirehoseTransformationEventRecord): FirehoseTransformationResultRecord {
  const metadata = input.kinesisRecordMetadata;
  if (!metadata) {
    // Not from the trip stream (the delivery stream reads nothing else): Firehose files it under the
    // error prefix, untouched, rather than in the lake without a position.
    return { recordId: input.recordId, result: 'ProcessingFailed', data: input.data };
  }
  const { record, partition } = toLakeEntry(
    {
      shardId: metadata.shardId,
      sequenceNumber: metadata.sequenceNumber,
      arrivalMs: Math.round(metadata.approximateArrivalTimestamp),
      partitionKey: metadata.partitionKey,
    },
    Buffer.from(input.data, 'base64'),
  );
  return {
    recordId: input.recordId,
    result: 'Ok',
    data: Buffer.from(JSON.stringify(record), 'utf8').toString('base64'),
    metadata: {
      partitionKeys: { [LAMBDA_PARTITION_KEYS.type]: partition.type, [LAMBDA_PARTITION_KEYS.pickupDate]: partition.pickupDate },
    },
  };
}
