/**
 * A simulated Lambda event source mapping for one shard, driven by a fault schedule: it delivers the
 * shard's records in batches of the schedule's sizes, resumes after the lowest reported item failure,
 * bisects a batch whose invocation failed (an error or a process death), and at the schedule's word
 * delivers a finished batch again or replays the shard from its start. It never gives up on a batch:
 * the schedule is finite, so once it is used up every delivery is clean and the shard drains.
 */
import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { interpretBatchResponse } from '../../../../src/local/event-source-mapping/batch-response';

/** One delivery decision of the schedule. */
export interface Delivery<Faults> {
  /** Records in the batch at most (a bisection may make it smaller). */
  readonly batchSize: number;
  /** Faults of this invocation; undefined for a clean one. */
  readonly faults?: Faults;
  /** After a success: go on, deliver the same batch again, or replay the shard from its start. */
  readonly then: 'next' | 'redeliver' | 'replay';
}

export type InvocationResult =
  | { readonly kind: 'answered'; readonly response: KinesisStreamBatchResponse }
  | { readonly kind: 'died' }
  | { readonly kind: 'threw'; readonly error: unknown };

export type Invoke<Faults> = (records: KinesisStreamRecord[], faults: Faults | undefined) => Promise<InvocationResult>;

/** What the mapping did, for the campaign's report. */
export interface DeliveryTally {
  invocations: number;
  deaths: number;
  errors: number;
  partialFailures: number;
  bisections: number;
  redeliveries: number;
  replays: number;
}

export function emptyDeliveryTally(): DeliveryTally {
  return { invocations: 0, deaths: 0, errors: 0, partialFailures: 0, bisections: 0, redeliveries: 0, replays: 0 };
}

export interface DeliverShardOptions {
  /** Batch size once the schedule is used up. */
  readonly cleanBatchSize: number;
  /** Replays of the whole shard at most (each one delivers everything again). */
  readonly maxReplays: number;
  /** A clean delivery that keeps failing is a bug: stop after this many invocations. */
  readonly maxInvocations: number;
}

/** Thrown when the shard does not drain: clean deliveries kept failing. */
export class ShardNotDrainedError extends Error {
  override name = 'ShardNotDrainedError';
}

/** Delivers every record of one shard until all are done, following `schedule`. */
export async function deliverShard<Faults>(
  records: readonly KinesisStreamRecord[],
  schedule: ReadonlyArray<Delivery<Faults>>,
  invoke: Invoke<Faults>,
  options: DeliverShardOptions,
  tally: DeliveryTally,
): Promise<void> {
  let done = 0;
  let next = 0;
  let replays = 0;
  let invocations = 0;
  // Sizes of the batches still owed after bisections, taken from `done` on (as Lambda does).
  const bisected: number[] = [];
  while (done < records.length) {
    if (++invocations > options.maxInvocations) {
      throw new ShardNotDrainedError(`${records.length - done} records still pending after ${options.maxInvocations} invocations`);
    }
    const delivery: Delivery<Faults> = schedule[next++] ?? { batchSize: options.cleanBatchSize, then: 'next' };
    const size = Math.min(bisected[0] ?? delivery.batchSize, records.length - done);
    const batch = records.slice(done, done + size);
    tally.invocations++;
    const result = await invoke(batch, delivery.faults);
    if (result.kind === 'answered') {
      const outcome = interpretBatchResponse(
        result.response,
        batch.map((record) => record.kinesis.sequenceNumber),
      );
      if (outcome.kind === 'success') {
        done += size;
        bisected.shift();
        if (delivery.then === 'redeliver') {
          tally.redeliveries++;
          done -= size;
        } else if (delivery.then === 'replay' && replays < options.maxReplays) {
          tally.replays++;
          replays++;
          done = 0;
          bisected.length = 0;
        }
        continue;
      }
      if (outcome.kind === 'partial') {
        tally.partialFailures++;
        done += outcome.failedIndex;
        if (bisected.length > 0) bisected[0] = size - outcome.failedIndex;
        continue;
      }
    }
    if (result.kind === 'died') tally.deaths++;
    else tally.errors++;
    if (size > 1) {
      tally.bisections++;
      const halves = [Math.ceil(size / 2), Math.floor(size / 2)];
      bisected.splice(0, bisected.length > 0 ? 1 : 0, ...halves);
    }
  }
}
