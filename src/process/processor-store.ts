/**
 * The port through which the record loop keeps records and applies their contributions. The DynamoDB
 * adapter is src/store/dynamo-processor-store.ts; the loop never sees keys or the client.
 */
import type { RejectionReason, Trip } from '../domain/trip';
import type { TripTarget } from '../domain/trip-targets';
import type { RejectionStreamRecord } from '../ingest/stream-record';

/** The stream position of a record. */
export interface RecordRef {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** Something the loop keeps: the first record of a trip, of a rejection, or a poison record. */
export type Claim =
  | { readonly kind: 'trip'; readonly ref: RecordRef; readonly trip: Trip; readonly submittedAtMs: number }
  | { readonly kind: 'rejection'; readonly ref: RecordRef; readonly record: RejectionStreamRecord }
  | {
      readonly kind: 'poison';
      readonly ref: RecordRef;
      readonly data: string;
      readonly reason: string;
      readonly arrivalMs: number;
      readonly partitionKey: string;
    };

export type CounterName = 'accepted' | 'duplicates' | 'poison' | `rejected:${RejectionReason}`;

/** The trips of a batch that count in one stored item: a pickup aggregate or a flow bucket. */
export interface AggregateContributions {
  /** The item, as the first of its trips' targets names it (every target here lands in the same item). */
  readonly target: TripTarget;
  /**
   * Trips of this batch counted in the item, in sequence order, at most one per record, each with its
   * own target: what a trip adds to a flow bucket (its pickup zone, its drop-off zone or both) is its own.
   */
  readonly contributions: ReadonlyArray<{ readonly sequenceNumber: string; readonly trip: Trip; readonly target: TripTarget }>;
}

export interface CounterContribution {
  readonly sequenceNumber: string;
  readonly counter: CounterName;
}

export interface ApplyOutcome {
  /** Lowest sequence number among contributions that could not be applied, if any. */
  readonly firstFailedSequenceNumber?: string;
  /** DynamoDB write units consumed. */
  readonly writeUnits: number;
  readonly itemsWritten: number;
}

export interface ProcessorStore {
  /** For each tripId, the record that first carried it as a valid trip. */
  findTrips(tripIds: readonly string[]): Promise<Map<string, RecordRef>>;
  /** For each tripId, the record that first carried it as a rejection. */
  findRejections(tripIds: readonly string[]): Promise<Map<string, RecordRef>>;
  /** Writes the claims; returns the indices (into `claims`) that could not be written. */
  keep(claims: readonly Claim[]): Promise<{ failed: Set<number>; writeUnits: number }>;
  /** Applies each item's contributions exactly once (per-shard marks). */
  apply(shardId: string, aggregates: readonly AggregateContributions[], counters: readonly CounterContribution[]): Promise<ApplyOutcome>;
}
