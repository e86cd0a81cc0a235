/**
 * What one clean pass over a stream must produce, by the rule "the first record of a tripId wins",
 * computed in memory from the stream itself: the counters, and the aggregates and flow buckets from
 * the domain's addTrip and addFlow over the accepted trips. Per shard in sequence order; a tripId never
 * spans shards.
 *
 * - a valid trip whose tripId no earlier valid trip carried is accepted; any later record of that
 *   tripId, valid or rejected, is a duplicate;
 * - a rejected submission whose tripId no earlier record carried counts under its reason; a later
 *   rejection of that tripId is a duplicate, a later valid trip is still accepted (a corrected resubmission);
 * - a record that cannot be decoded is poison.
 */
import { addTrip, emptyAggregate, type AggregateTarget, type FareAggregate } from '../../../../src/domain/aggregate';
import { addFlow, emptyFlows, type FlowCounts } from '../../../../src/domain/flows';
import { hasHourlyDetail, type StoredGranularity } from '../../../../src/domain/scope';
import { tripTargetId, tripTargets } from '../../../../src/domain/trip-targets';
import { REJECTION_REASONS, type RejectionReason, type Trip } from '../../../../src/domain/trip';
import type { IngestionCounts } from '../../../../src/domain/pipeline-status';
import type { ShardStream } from './trip-stream';

export interface ExpectedOutcome {
  readonly counts: IngestionCounts;
  readonly accepted: readonly Trip[];
  /** Every aggregate the accepted trips touch, by target id. */
  readonly aggregates: ReadonlyMap<string, { readonly target: AggregateTarget; readonly aggregate: FareAggregate }>;
  /** Every flow bucket the accepted trips' pickups and drop-offs touch, by target id. */
  readonly flows: ReadonlyMap<string, { readonly granularity: StoredGranularity; readonly bucketKey: string; readonly flows: FlowCounts }>;
}

export function expectedOutcome(shards: readonly ShardStream[]): ExpectedOutcome {
  const rejectedByReason = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as Record<RejectionReason, number>;
  const counts: IngestionCounts = { acceptedTrips: 0, duplicateTrips: 0, poisonRecords: 0, rejectedByReason };
  const accepted: Trip[] = [];
  for (const { entries } of shards) {
    const acceptedIds = new Set<string>();
    const rejectedIds = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === 'poison') {
        counts.poisonRecords++;
        continue;
      }
      const { content } = entry;
      if (content.type === 'trip') {
        if (acceptedIds.has(content.trip.tripId)) {
          counts.duplicateTrips++;
        } else {
          acceptedIds.add(content.trip.tripId);
          counts.acceptedTrips++;
          accepted.push(content.trip);
        }
      } else if (acceptedIds.has(content.tripId) || rejectedIds.has(content.tripId)) {
        counts.duplicateTrips++;
      } else {
        rejectedIds.add(content.tripId);
        counts.rejectedByReason[content.reason]++;
      }
    }
  }
  const aggregates = new Map<string, { target: AggregateTarget; aggregate: FareAggregate }>();
  const flows = new Map<string, { granularity: StoredGranularity; bucketKey: string; flows: FlowCounts }>();
  for (const trip of accepted) {
    for (const target of tripTargets(trip)) {
      const id = tripTargetId(target);
      if (target.kind === 'FLOW') {
        const { granularity, bucketKey } = target;
        const entry = flows.get(id) ?? { granularity, bucketKey, flows: emptyFlows() };
        flows.set(id, entry);
        addFlow(entry.flows, target);
        continue;
      }
      let entry = aggregates.get(id);
      if (!entry) {
        entry = { target, aggregate: emptyAggregate(target.granularity, hasHourlyDetail(target.scope, target.granularity)) };
        aggregates.set(id, entry);
      }
      addTrip(entry.aggregate, trip);
    }
  }
  return { counts, accepted, aggregates, flows };
}
