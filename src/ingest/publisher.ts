/**
 * Writes stream records to Kinesis durably: PutRecords of up to 500 records, resending only the
 * records the service reports as failed (it answers HTTP 200 with `FailedRecordCount`), with backoff,
 * without ever letting a resent record overtake a later record of the same tripId.
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { withRetries } from '../retry';
import { encodeStreamRecord, partitionKeyOf, type StreamRecord } from './stream-record';

export const MAX_RECORDS_PER_PUT = 500;

export class PublishError extends Error {
  override name = 'PublishError';
}

export interface PublishOptions {
  /** PutRecords calls in all for a set of records, the first included. */
  attempts?: number;
  /** The ceiling of the pause before the first resend (then doubled each time, with full jitter). */
  baseDelayMs?: number;
}

/** Records a PutRecords call did not write (HTTP 200 with `FailedRecordCount`): resent, in order. */
class UnwrittenRecordsError extends Error {
  override name = 'UnwrittenRecordsError';

  constructor(
    readonly count: number,
    readonly errorCode: string | undefined,
  ) {
    super(`${count} records not written: ${errorCode ?? 'unknown error'}`);
  }
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

  /**
   * Resolves only when every record is in the stream; throws PublishError otherwise. Records of one
   * tripId land in the stream in the order given.
   */
  async publish(records: readonly StreamRecord[]): Promise<void> {
    for (const round of roundsByPartitionKey(records.map(toEntry))) {
      for (let start = 0; start < round.length; start += MAX_RECORDS_PER_PUT) {
        await this.putAll(round.slice(start, start + MAX_RECORDS_PER_PUT));
      }
    }
  }

  private async putAll(entries: PutRecordsRequestEntry[]): Promise<void> {
    const { attempts = 8, baseDelayMs = 50 } = this.options;
    let pending = entries;
    const putPending = async () => {
      // Resent records get new sequence numbers after the call's other records: the tripId ledger
      // makes that harmless because no other record of the same tripId is in the same round.
      const response = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending }));
      if (!response.FailedRecordCount) return;
      const sample = response.Records?.find((record) => record.ErrorCode);
      pending = pending.filter((_, index) => response.Records?.[index]?.ErrorCode);
      throw new UnwrittenRecordsError(pending.length, sample?.ErrorCode);
    };
    try {
      // Failed calls are the SDK's to retry; here only the records a successful call did not write.
      // The first resend waits up to twice the base delay, without a cap (as the loop here did).
      await withRetries(putPending, {
        attempts,
        baseDelayMs: 2 * baseDelayMs,
        maxDelayMs: Number.POSITIVE_INFINITY,
        isRetryable: (error) => error instanceof UnwrittenRecordsError,
      });
    } catch (error) {
      if (!(error instanceof UnwrittenRecordsError)) throw error;
      throw new PublishError(`${error.count} records not written after ${attempts} attempts: ${error.errorCode ?? 'unknown error'}`, {
        cause: error,
      });
    }
  }
}

function toEntry(record: StreamRecord): PutRecordsRequestEntry {
  return { Data: encodeStreamRecord(record), PartitionKey: partitionKeyOf(record) };
}

/**
 * Splits entries into rounds with at most one entry per partition key each: the n-th entry of a key
 * goes to round n. A PutRecords call can fail its first entry of a key and write a later one, and the
 * resent entry would then follow it in the shard; "the first record of a tripId wins" needs the
 * submission order, so a round is written completely before the next starts. Without repeated keys,
 * which is the usual case, there is one round.
 */
function roundsByPartitionKey(entries: readonly PutRecordsRequestEntry[]): PutRecordsRequestEntry[][] {
  const rounds: PutRecordsRequestEntry[][] = [];
  const seen = new Map<string | undefined, number>();
  for (const entry of entries) {
    const round = seen.get(entry.PartitionKey) ?? 0;
    seen.set(entry.PartitionKey, round + 1);
    (rounds[round] ??= []).push(entry);
  }
  return rounds;
}
