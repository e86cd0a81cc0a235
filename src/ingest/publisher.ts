/**
 * Writes stream records to Kinesis durably: PutRecords of up to 500 records, resending only the
 * records the service reports as failed (it answers HTTP 200 with `FailedRecordCount`), with backoff.
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { encodeStreamRecord, partitionKeyOf, type StreamRecord } from './stream-record';

export const MAX_RECORDS_PER_PUT = 500;

export class PublishError extends Error {
  override name = 'PublishError';
}

export interface PublishOptions {
  attempts?: number;
  baseDelayMs?: number;
}

/** The port the ingest use case writes through. */
export interface TripPublisher {
  publish(records: readonly StreamRecord[]): Promise<void>;
}

export class KinesisTripPublisher implements TripPublisher {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly options: PublishOptions = {},
  ) {}

  /** Resolves only when every record is in the stream; throws PublishError otherwise. */
  async publish(records: readonly StreamRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += MAX_RECORDS_PER_PUT) {
      await this.putAll(records.slice(start, start + MAX_RECORDS_PER_PUT).map(toEntry));
    }
  }

  private async putAll(entries: PutRecordsRequestEntry[]): Promise<void> {
    const { attempts = 8, baseDelayMs = 50 } = this.options;
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      // Kinesis keeps the order of records within one PutRecords call per shard; resent records get
      // new sequence numbers, which the processor's tripId ledger makes harmless.
      const response = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending }));
      if (!response.FailedRecordCount) return;
      const failed = pending.filter((_, index) => response.Records?.[index]?.ErrorCode);
      if (attempt >= attempts) {
        const sample = response.Records?.find((record) => record.ErrorCode);
        throw new PublishError(`${failed.length} records not written after ${attempts} attempts: ${sample?.ErrorCode ?? 'unknown error'}`);
      }
      pending = failed;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * baseDelayMs * 2 ** attempt));
    }
  }
}

function toEntry(record: StreamRecord): PutRecordsRequestEntry {
  return { Data: encodeStreamRecord(record), PartitionKey: partitionKeyOf(record) };
}
