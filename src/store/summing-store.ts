/**
 * The processor's store port held in memory, for `npm run rebuild`: the record loop
 * (src/process/process-batch.ts) runs over the data lake's records exactly as over the stream, and
 * this store sums what it applies into one map per item instead of updating DynamoDB, so that each
 * item is written once at the end, whole (src/cli/rebuild/).
 *
 * It keeps the live store's rules: the ledger answers which record first carried a tripId, and an
 * item takes a record's contribution only above the item's per-shard mark (docs/exactly-once.md), so
 * a record the lake holds twice counts once here as it does live. Items and their attributes come from
 * the same modules as the live store's updates: keys.ts, trip-increments.ts, counters-item.ts.
 */
import type {
  AggregateContributions,
  ApplyOutcome,
  Claim,
  CounterContribution,
  ProcessorStore,
  RecordRef,
} from '../process/processor-store';
import { counterAttribute } from './counters-item';
import {
  countersKey,
  itemKeyId,
  markAttribute,
  markValue,
  parseAggregatePartition,
  parseFlowPartition,
  tripTargetKey,
  type ItemKey,
} from './keys';
import { itemOfClaim } from './ledger-items';
import type { IncrementSink } from './marked-increments';
import { addTripIncrements } from './trip-increments';

/** What the rebuilt table is for: a processor reading the same stream, or one reading another. */
export type MarksMode = 'same-stream' | 'new-stream';

/**
 * Shard ids of the lake's records as a table fed by another stream keeps them in its ledger: the new
 * stream's shards have the same names (`shardId-000000000000`) but other sequence numbers, and a
 * ledger entry on another shard counts as earlier than any record of the new stream (process-batch.ts,
 * `precedes`), which is the truth: the lake's records came first.
 */
export const PREVIOUS_STREAM_SHARD_PREFIX = 'previous-stream:';

export interface SummingStoreOptions {
  /** Called once per ledger item (trip, rejection, poison), as soon as the loop keeps its claim. */
  readonly onLedgerItem?: (item: Record<string, unknown>) => void;
  /**
   * `same-stream` (default): items carry the per-shard marks of the records they hold, so a processor
   * that reads the same stream again (a redelivery, a replay from the trim horizon) skips them.
   * `new-stream`: no marks (another stream's sequence numbers would be compared with them), and the
   * ledger names its records' shards with PREVIOUS_STREAM_SHARD_PREFIX.
   */
  readonly marks?: MarksMode;
}

/** The kinds of item the store sums, for the rebuild's summary. */
export type SummedItemKind = 'pickup aggregate' | 'flow' | 'counters';

interface SummedItem {
  readonly key: ItemKey;
  readonly sums: Map<string, number>;
  /** Per shard, the highest sequence number whose contribution the item holds. */
  readonly marks: Map<string, bigint>;
}

export class SummingStore implements ProcessorStore {
  private readonly tripLedger = new Map<string, RecordRef>();
  private readonly rejectionLedger = new Map<string, RecordRef>();
  private readonly items = new Map<string, SummedItem>();
  private readonly marksMode: MarksMode;

  constructor(private readonly options: SummingStoreOptions = {}) {
    this.marksMode = options.marks ?? 'same-stream';
  }

  async findTrips(tripIds: readonly string[]): Promise<Map<string, RecordRef>> {
    return pick(this.tripLedger, tripIds);
  }

  async findRejections(tripIds: readonly string[]): Promise<Map<string, RecordRef>> {
    return pick(this.rejectionLedger, tripIds);
  }

  async keep(claims: readonly Claim[]): Promise<{ failed: Set<number>; writeUnits: number }> {
    for (const claim of claims) {
      const ledger = claim.kind === 'trip' ? this.tripLedger : claim.kind === 'rejection' ? this.rejectionLedger : undefined;
      const tripId = claim.kind === 'trip' ? claim.trip.tripId : claim.kind === 'rejection' ? claim.record.tripId : undefined;
      if (ledger && tripId !== undefined) {
        // A redelivered record ("ours") claims again what it claimed: its ledger item is written once.
        if (ledger.has(tripId)) continue;
        ledger.set(tripId, claim.ref);
      }
      this.options.onLedgerItem?.(itemOfClaim(this.ledgerClaim(claim)));
    }
    return { failed: new Set(), writeUnits: 0 };
  }

  async apply(
    shardId: string,
    aggregates: readonly AggregateContributions[],
    counters: readonly CounterContribution[],
  ): Promise<ApplyOutcome> {
    for (const { target, contributions } of aggregates) {
      const item = this.itemOf(tripTargetKey(target));
      for (const { sequenceNumber, trip, target: own } of contributions) {
        if (this.advanceMark(item, shardId, sequenceNumber)) addTripIncrements(trip, own, sumInto(item.sums));
      }
    }
    if (counters.length > 0) {
      const item = this.itemOf(countersKey());
      for (const { sequenceNumber, counter } of counters) {
        if (this.advanceMark(item, shardId, sequenceNumber)) sumInto(item.sums)(counterAttribute(counter), 1);
      }
    }
    return { writeUnits: 0, itemsWritten: 0 };
  }

  /** How many items the store holds, by kind. */
  itemCounts(): Record<SummedItemKind, number> {
    const counts: Record<SummedItemKind, number> = { 'pickup aggregate': 0, flow: 0, counters: 0 };
    for (const { key } of this.items.values()) counts[itemKind(key)]++;
    return counts;
  }

  /** Trips in the ledger: the distinct tripIds accepted so far. */
  get acceptedTripIds(): number {
    return this.tripLedger.size;
  }

  /**
   * Every summed item as DynamoDB stores it: its key, each non-zero figure, and (same-stream) its
   * marks, `mark<shard>` = the highest sequence number of that shard it holds, as the live store sets it.
   */
  *finalItems(): Generator<{ kind: SummedItemKind; item: Record<string, unknown> }> {
    for (const { key, sums, marks } of this.items.values()) {
      const item: Record<string, unknown> = { ...key };
      for (const [name, amount] of sums) if (amount !== 0) item[name] = amount;
      if (this.marksMode === 'same-stream') {
        for (const [shardId, sequenceNumber] of marks) item[markAttribute(shardId)] = markValue(sequenceNumber.toString());
      }
      yield { kind: itemKind(key), item };
    }
  }

  private itemOf(key: ItemKey): SummedItem {
    const id = itemKeyId(key);
    let item = this.items.get(id);
    if (!item) this.items.set(id, (item = { key, sums: new Map(), marks: new Map() }));
    return item;
  }

  /** Whether the record is above the item's mark of its shard (then the mark moves to it), as the live condition has it. */
  private advanceMark(item: SummedItem, shardId: string, sequenceNumber: string): boolean {
    const sequence = BigInt(sequenceNumber);
    const mark = item.marks.get(shardId);
    if (mark !== undefined && sequence <= mark) return false;
    item.marks.set(shardId, sequence);
    return true;
  }

  private ledgerClaim(claim: Claim): Claim {
    if (this.marksMode === 'same-stream') return claim;
    return { ...claim, ref: { ...claim.ref, shardId: `${PREVIOUS_STREAM_SHARD_PREFIX}${claim.ref.shardId}` } };
  }
}

function pick(ledger: ReadonlyMap<string, RecordRef>, tripIds: readonly string[]): Map<string, RecordRef> {
  const found = new Map<string, RecordRef>();
  for (const tripId of tripIds) {
    const ref = ledger.get(tripId);
    if (ref) found.set(tripId, ref);
  }
  return found;
}

function sumInto(sums: Map<string, number>): IncrementSink {
  return (name, amount) => sums.set(name, (sums.get(name) ?? 0) + amount);
}

function itemKind(key: ItemKey): SummedItemKind {
  if (parseAggregatePartition(key.pk)) return 'pickup aggregate';
  if (parseFlowPartition(key.pk)) return 'flow';
  return 'counters';
}
