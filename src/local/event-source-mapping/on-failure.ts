/**
 * The on-failure destination of the local event source mapping. Like Lambda's OnFailure destination
 * for Kinesis it receives metadata only (which records, why): the records themselves stay on the
 * stream and must be re-read from there before retention ends.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One batch given up on, in the shape Lambda sends to SQS/SNS (plus a plain `reason`). */
export interface OnFailureRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly reason: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  readonly KinesisBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

/** Where failed batches are reported; a rejected promise is logged and otherwise ignored. */
export type OnFailureDestination = (record: OnFailureRecord) => Promise<void>;

/**
 * A destination that appends one JSON line per failed batch to `path` (e.g.
 * `<dataDir>/on-failure.jsonl`), readable with `tail` or `jq` while the stack runs.
 */
export function jsonLinesDestination(path: string): OnFailureDestination {
  return async (record) => {
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, `${JSON.stringify(record)}\n`, 'utf8');
  };
}
