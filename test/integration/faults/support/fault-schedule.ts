/**
 * Fault schedules as fast-check arbitraries: per shard, a list of deliveries, each with a batch size,
 * the faults of its invocation and what the event source mapping does after it succeeds. Faults are
 * generated as descriptions and turned into concrete DynamoDB faults once the batch is known, since
 * "record k cannot be kept" must name one of the batch's records.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import fc from 'fast-check';
import { tripTargets } from '../../../../src/domain/trip-targets';
import { countersKey, itemKeyId, rejectedTripKey, tripKey, tripTargetKey } from '../../../../src/store/keys';
import type { DynamoFaults } from '../../../support/dynamo-faults';
import type { Delivery } from './event-source-mapping';
import type { StreamEntry } from './trip-stream';

export type FaultSpec =
  /** The process dies at a write (1: before anything is kept), or at the n-th update of one item. */
  | { readonly kind: 'crash'; readonly atWrite: number; readonly lands: boolean; readonly item?: string; readonly seed: number }
  /** Throttling, unprocessed items and lost answers at random. */
  | {
      readonly kind: 'flaky';
      readonly throttleRate: number;
      readonly unprocessedRate: number;
      readonly lostAnswerRate: number;
      readonly seed: number;
    }
  /**
   * Record k's claim cannot be kept now, while record k+1's can: k is the first record from `at` on
   * that shares an aggregate with k+1 (when the data allows), or exactly the record at `at`.
   */
  | { readonly kind: 'stuck-claim'; readonly at: number; readonly exact?: boolean; readonly seed: number }
  /**
   * One item cannot be updated now: the counters item, or an item of record k's trip (by the seed's
   * parity its city day, or the flow day of its drop-off, which may be another day than its pickup's).
   */
  | { readonly kind: 'stuck-item'; readonly at: number; readonly counters: boolean; readonly seed: number };

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

export const faultSpecArb: fc.Arbitrary<FaultSpec | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      atWrite: fc.integer({ min: 1, max: 60 }),
      lands: fc.boolean(),
      seed: seedArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flaky' as const),
      throttleRate: fc.constantFrom(0, 0.05, 0.1, 0.3),
      unprocessedRate: fc.constantFrom(0, 0.1, 0.25, 0.5),
      lostAnswerRate: fc.constantFrom(0, 0.05, 0.1, 0.2),
      seed: seedArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stuck-claim' as const), at: fc.nat(80), seed: seedArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stuck-item' as const), at: fc.nat(80), counters: fc.boolean(), seed: seedArb }) },
);

export const deliveryArb: fc.Arbitrary<Delivery<FaultSpec>> = fc.record({
  batchSize: fc.integer({ min: 1, max: 40 }),
  faults: faultSpecArb,
  then: fc.oneof(
    { weight: 17, arbitrary: fc.constant('next' as const) },
    { weight: 2, arbitrary: fc.constant('redeliver' as const) },
    { weight: 1, arbitrary: fc.constant('replay' as const) },
  ),
});

export const scheduleArb = fc.array(deliveryArb, { minLength: 1, maxLength: 24 });

/** The concrete faults of a spec for one batch (`entryOf` finds what a record carries). */
export function concreteFaults(
  spec: FaultSpec | undefined,
  batch: readonly KinesisStreamRecord[],
  entryOf: (record: KinesisStreamRecord) => StreamEntry,
): DynamoFaults | undefined {
  if (!spec) return undefined;
  switch (spec.kind) {
    case 'crash':
      return { crash: { atWrite: spec.atWrite, lands: spec.lands, item: spec.item }, seed: spec.seed };
    case 'flaky':
      return {
        throttleRate: spec.throttleRate,
        unprocessedRate: spec.unprocessedRate,
        lostAnswerRate: spec.lostAnswerRate,
        seed: spec.seed,
      };
    case 'stuck-claim': {
      const index = spec.exact ? spec.at : pairSharingAnAggregate(batch.map(entryOf), spec.at);
      const entry = index === undefined ? undefined : entryOf(batch[index]);
      if (!entry || entry.kind !== 'record') return { seed: spec.seed };
      const key = entry.content.type === 'trip' ? tripKey(entry.content.trip.tripId) : rejectedTripKey(entry.content.tripId);
      return { stubbornPuts: new Set([key.pk]), seed: spec.seed };
    }
    case 'stuck-item': {
      if (spec.counters) return { stubbornUpdates: new Set([itemKeyId(countersKey())]), seed: spec.seed };
      const index = pairSharingAnAggregate(batch.map(entryOf), spec.at);
      const entry = index === undefined ? undefined : entryOf(batch[index]);
      if (!entry || entry.kind !== 'record' || entry.content.type !== 'trip') return { seed: spec.seed };
      const targets = tripTargets(entry.content.trip);
      const stuck =
        spec.seed % 2 === 0
          ? targets.find((target) => target.kind === 'AGGREGATE' && target.scope.kind === 'CITY' && target.granularity === 'DAY')!
          : targets.find((target) => target.kind === 'FLOW' && target.granularity === 'DAY' && target.dropoffZoneId !== undefined)!;
      return { stubbornUpdates: new Set([itemKeyId(tripTargetKey(stuck))]), seed: spec.seed };
    }
  }
}

/**
 * From `at` on (wrapping), the first record k that is a trip followed by a trip sharing one of its
 * items (an aggregate or a flow bucket); else the first record that is not poison; undefined when there is none.
 */
function pairSharingAnAggregate(entries: readonly StreamEntry[], at: number): number | undefined {
  const start = at % entries.length;
  const order = entries.map((_, offset) => (start + offset) % entries.length);
  const targetsOf = (entry: StreamEntry | undefined) =>
    entry?.kind === 'record' && entry.content.type === 'trip'
      ? new Set(tripTargets(entry.content.trip).map((target) => itemKeyId(tripTargetKey(target))))
      : new Set<string>();
  for (const index of order) {
    const here = targetsOf(entries[index]);
    const after = targetsOf(entries[index + 1]);
    if ([...here].some((target) => after.has(target))) return index;
  }
  return order.find((index) => entries[index].kind === 'record');
}
