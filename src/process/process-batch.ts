/**
 * The record loop of the processor: one Kinesis batch of one shard in, `batchItemFailures` out.
 *
 * 1. Decode every record; undecodable ones are poison, kept aside with their reason.
 * 2. Classify trips by tripId against the ledger: new, already ours (a redelivery of the very record
 *    that first carried it), or a duplicate (another record with a tripId already counted).
 * 3. Keep the claims (ledger items, rejections, poison). The first record whose claim fails is the
 *    stop point: nothing from it on is counted in this invocation.
 * 4. Group the contributions of the records before the stop point by the item they land in (each
 *    trip's pickup aggregates and the flow buckets of its pickup and drop-off), and apply each item's
 *    sum exactly once (per-shard high-water marks).
 * 5. Report the lowest record not fully applied, so the event source mapping retries from there.
 */
import type { KinesisStreamEvent, KinesisStreamRecord, KinesisStreamBatchResponse } from 'aws-lambda';
import type { RejectionReason } from '../domain/trip';
import { tripTargetId, tripTargets } from '../domain/trip-targets';
import { decodeBase64StreamRecord, type DecodeResult } from '../ingest/stream-record';
import type { AggregateContributions, ApplyOutcome, Claim, CounterContribution, ProcessorStore, RecordRef } from './processor-store';

/** What one invocation did, for logs and metrics. */
export interface BatchReport {
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  poison: number;
  /** Records counted in this invocation (before the stop point). */
  settled: number;
  writeUnits: number;
  itemsWritten: number;
  firstFailedSequenceNumber?: string;
  /** Latest pickup among the trips counted (epoch ms): how fresh the insights now are. */
  newestPickupMs?: number;
  /** Rejections counted, by reason. */
  rejectedByReason: Partial<Record<RejectionReason, number>>;
}

type Classified =
  | { kind: 'new-trip' | 'own-trip' | 'duplicate'; decoded: DecodeResult & { ok: true } }
  | { kind: 'new-rejection' | 'own-rejection'; decoded: DecodeResult & { ok: true } }
  | { kind: 'poison'; reason: string };

/** Processes one batch; never throws for a bad record, only for an infrastructure failure it cannot report. */
export async function processBatch(
  event: KinesisStreamEvent,
  store: ProcessorStore,
): Promise<{ response: KinesisStreamBatchResponse; report: BatchReport }> {
  const records = event.Records ?? [];
  const report: BatchReport = {
    records: records.length,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    poison: 0,
    settled: 0,
    writeUnits: 0,
    itemsWritten: 0,
    rejectedByReason: {},
  };
  if (records.length === 0) return { response: { batchItemFailures: [] }, report };

  const refs = records.map(recordRefOf);
  const decoded = records.map((record) => decodeBase64StreamRecord(record.kinesis.data));
  const classified = await classify(decoded, refs, store);

  const claims: Claim[] = [];
  const claimOfRecord = new Map<number, number>();
  classified.forEach((item, index) => {
    const claim = claimFor(item, records[index], refs[index]);
    if (claim) {
      claimOfRecord.set(index, claims.length);
      claims.push(claim);
    }
  });
  const kept = await store.keep(claims);
  report.writeUnits += kept.writeUnits;
  let stopIndex = records.length;
  for (const [recordIndex, claimIndex] of claimOfRecord) {
    if (kept.failed.has(claimIndex)) stopIndex = Math.min(stopIndex, recordIndex);
  }

  const { aggregates, counters } = contributionsBefore(stopIndex, classified, refs, report);
  const applied: ApplyOutcome = await store.apply(refs[0].shardId, aggregates, counters);
  report.writeUnits += applied.writeUnits;
  report.itemsWritten += applied.itemsWritten;
  report.settled = stopIndex;

  const failedSequence = lowestSequence(
    stopIndex < records.length ? refs[stopIndex].sequenceNumber : undefined,
    applied.firstFailedSequenceNumber,
  );
  report.firstFailedSequenceNumber = failedSequence;
  return {
    response: { batchItemFailures: failedSequence ? [{ itemIdentifier: failedSequence }] : [] },
    report,
  };
}

/** The stream position of an event record: its shard (from the eventID) and sequence number. */
export function recordRefOf(record: KinesisStreamRecord): RecordRef {
  // eventID is "<shardId>:<sequenceNumber>" for Kinesis event sources.
  const shardId = record.eventID.slice(0, record.eventID.lastIndexOf(':'));
  return { shardId, sequenceNumber: record.kinesis.sequenceNumber };
}

function tripIdOf(result: DecodeResult & { ok: true }): string {
  return result.record.type === 'trip' ? result.record.trip.tripId : result.record.tripId;
}

/** Whether `a` comes before `b` in the stream (records of other shards count as earlier). */
function precedes(a: RecordRef, b: RecordRef): boolean {
  return a.shardId !== b.shardId || BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber);
}

function sameRecord(a: RecordRef | undefined, b: RecordRef): boolean {
  return a !== undefined && a.shardId === b.shardId && a.sequenceNumber === b.sequenceNumber;
}

async function classify(decoded: readonly DecodeResult[], refs: readonly RecordRef[], store: ProcessorStore): Promise<Classified[]> {
  const tripIds = new Set<string>();
  const rejectionIds = new Set<string>();
  for (const result of decoded) {
    if (!result.ok) continue;
    tripIds.add(tripIdOf(result)); // a rejection of an already accepted tripId is a duplicate too
    if (result.record.type === 'rejection') rejectionIds.add(result.record.tripId);
  }
  const [acceptedBefore, rejectedBefore] = await Promise.all([
    store.findTrips([...tripIds]),
    rejectionIds.size > 0 ? store.findRejections([...rejectionIds]) : Promise.resolve(new Map<string, RecordRef>()),
  ]);
  return decoded.map((result, index): Classified => {
    if (!result.ok) return { kind: 'poison', reason: result.reason };
    const ref = refs[index];
    const tripId = tripIdOf(result);
    const accepted = acceptedBefore.get(tripId);
    if (result.record.type === 'trip') {
      if (sameRecord(accepted, ref)) return { kind: 'own-trip', decoded: result };
      if (accepted) return { kind: 'duplicate', decoded: result };
      acceptedBefore.set(tripId, ref); // later records of this batch with the same tripId are duplicates
      return { kind: 'new-trip', decoded: result };
    }
    // A rejection is a duplicate only of a trip accepted before it in the stream: on a redelivery the
    // ledger may already hold a valid resubmission that came after it.
    if (accepted && precedes(accepted, ref)) return { kind: 'duplicate', decoded: result };
    const rejected = rejectedBefore.get(tripId);
    if (sameRecord(rejected, ref)) return { kind: 'own-rejection', decoded: result };
    if (rejected) return { kind: 'duplicate', decoded: result };
    rejectedBefore.set(tripId, ref);
    return { kind: 'new-rejection', decoded: result };
  });
}

function claimFor(item: Classified, record: KinesisStreamRecord, ref: RecordRef): Claim | undefined {
  switch (item.kind) {
    case 'new-trip':
    case 'own-trip':
      if (item.decoded.record.type !== 'trip') return undefined;
      return { kind: 'trip', ref, trip: item.decoded.record.trip, submittedAtMs: item.decoded.record.submittedAtMs };
    case 'new-rejection':
    case 'own-rejection':
      if (item.decoded.record.type !== 'rejection') return undefined;
      return { kind: 'rejection', ref, record: item.decoded.record };
    case 'poison':
      return {
        kind: 'poison',
        ref,
        data: record.kinesis.data,
        reason: item.reason,
        arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
        partitionKey: record.kinesis.partitionKey,
      };
    case 'duplicate':
      return undefined;
  }
}

function contributionsBefore(stopIndex: number, classified: readonly Classified[], refs: readonly RecordRef[], report: BatchReport) {
  const aggregates = new Map<string, AggregateContributions & { contributions: Array<AggregateContributions['contributions'][number]> }>();
  const counters: CounterContribution[] = [];
  for (let index = 0; index < stopIndex; index++) {
    const item = classified[index];
    const { sequenceNumber } = refs[index];
    switch (item.kind) {
      case 'new-trip':
      case 'own-trip': {
        if (item.decoded.record.type !== 'trip') break;
        const trip = item.decoded.record.trip;
        for (const target of tripTargets(trip)) {
          const id = tripTargetId(target);
          let entry = aggregates.get(id);
          if (!entry) aggregates.set(id, (entry = { target, contributions: [] }));
          entry.contributions.push({ sequenceNumber, trip, target });
        }
        counters.push({ sequenceNumber, counter: 'accepted' });
        report.accepted++;
        report.newestPickupMs = Math.max(report.newestPickupMs ?? trip.pickupAtMs, trip.pickupAtMs);
        break;
      }
      case 'duplicate':
        counters.push({ sequenceNumber, counter: 'duplicates' });
        report.duplicates++;
        break;
      case 'new-rejection':
      case 'own-rejection':
        if (item.decoded.record.type !== 'rejection') break;
        counters.push({ sequenceNumber, counter: `rejected:${item.decoded.record.reason}` });
        report.rejected++;
        report.rejectedByReason[item.decoded.record.reason] = (report.rejectedByReason[item.decoded.record.reason] ?? 0) + 1;
        break;
      case 'poison':
        counters.push({ sequenceNumber, counter: 'poison' });
        report.poison++;
        break;
    }
  }
  return { aggregates: [...aggregates.values()], counters };
}

function lowestSequence(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return BigInt(a) <= BigInt(b) ? a : b;
}
