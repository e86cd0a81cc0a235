import fc from 'fast-check';
import { addTrip, emptyAggregate, targetsOfTrip } from '../../../src/domain/aggregate';
import { addFlow, emptyFlows, flowTargetsOfTrip } from '../../../src/domain/flows';
import type { StoredGranularity } from '../../../src/domain/scope';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { tripTargets } from '../../../src/domain/trip-targets';
import { aggregateFromItem, base36Of, HOUR_COUNT_ATTRIBUTES, hourCountsFromItem } from '../../../src/store/aggregate-item';
import { flowsFromItem } from '../../../src/store/flow-item';
import { isMarkAttribute, markAttribute, markValue } from '../../../src/store/keys';
import { tripIncrements } from '../../../src/store/trip-increments';

const DAY_START_MS = parseDateTime('2023-02-01T00:00:00')!;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Trips of one local day with every figure the encoding treats specially: zero and 24-hour durations,
 * missing, zero and large passenger counts, every payment code, missing ones and codes outside 0..6,
 * zero tips and fares.
 */
const tripOfDay = fc
  .record({
    offsetMs: fc.integer({ min: 0, max: DAY_MS - 1 }),
    durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: DAY_MS })),
    fareCents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
    tipCents: fc.oneof(fc.constant(0), fc.nat(5_000)),
    distanceHundredths: fc.oneof(fc.constant(0), fc.nat(50_000)),
    passengerCount: fc.option(fc.nat(9), { nil: undefined }),
    paymentType: fc.option(fc.integer({ min: -1, max: 8 }), { nil: undefined }),
    pickupZoneId: fc.integer({ min: 1, max: 265 }),
    dropoffZoneId: fc.integer({ min: 1, max: 265 }),
  })
  .map(({ offsetMs, durationMs, fareCents, tipCents, ...rest }): Trip => ({
    tripId: `t-${offsetMs}`,
    pickupAtMs: DAY_START_MS + offsetMs,
    dropoffAtMs: DAY_START_MS + offsetMs + durationMs,
    fareCents,
    tipCents,
    tollsCents: 0,
    totalCents: fareCents + tipCents,
    ...rest,
  }));

// The three layouts: city/borough HOUR, city/borough DAY, zone DAY with hourly detail.
const layout = fc.constantFrom<[StoredGranularity, boolean]>(['HOUR', false], ['DAY', false], ['DAY', true]);
const scopeOf = (hourlyDetail: boolean) => (hourlyDetail ? { kind: 'ZONE' as const, zoneId: 74 } : { kind: 'CITY' as const });

/** An item as the processor's ADDs leave it: the trips' increments (all positive) summed, with key and mark. */
function itemOf(increments: Iterable<ReadonlyMap<string, number>>): Record<string, unknown> {
  const item: Record<string, unknown> = {
    pk: 'AGG#ZONE#074#DAY',
    sk: '2023-02-01',
    [markAttribute('shardId-000000000000')]: markValue('42'),
  };
  for (const map of increments) {
    for (const [name, amount] of map) {
      expect(amount).toBeGreaterThan(0);
      item[name] = ((item[name] as number | undefined) ?? 0) + amount;
    }
  }
  return item;
}

function aggregateItemOf(trips: readonly Trip[], granularity: StoredGranularity, hourlyDetail: boolean): Record<string, unknown> {
  const target = { kind: 'AGGREGATE' as const, scope: scopeOf(hourlyDetail), granularity, bucketKey: 'unused' };
  return itemOf(trips.map((trip) => tripIncrements(trip, target)));
}

describe('pickup aggregate items', () => {
  it('read back the aggregate of the trips whose increments made the item, operations figures included', () => {
    fc.assert(
      fc.property(fc.array(tripOfDay, { maxLength: 60 }), layout, (trips, [granularity, hourlyDetail]) => {
        // Prepare
        const item = aggregateItemOf(trips, granularity, hourlyDetail);
        const expected = trips.reduce((aggregate, trip) => addTrip(aggregate, trip), emptyAggregate(granularity, hourlyDetail));

        // Act
        const aggregate = aggregateFromItem(item, granularity, hourlyDetail);

        // Assess
        expect(aggregate).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('cost a one-passenger card trip only its sums, hour, fare bucket, duration and duration bucket', () => {
    // Prepare
    const trip: Trip = {
      tripId: 'a',
      pickupAtMs: DAY_START_MS + 8 * 3_600_000 + 60_000,
      dropoffAtMs: DAY_START_MS + 8 * 3_600_000 + 21 * 60_000,
      pickupZoneId: 74,
      dropoffZoneId: 75,
      passengerCount: 1,
      paymentType: 1,
      distanceHundredths: 250,
      fareCents: 1420,
      tipCents: 300,
      tollsCents: 0,
      totalCents: 1970,
    };
    const [cityHour, cityDay, , , zoneDay] = targetsOfTrip(trip).map((target) => ({ kind: 'AGGREGATE' as const, ...target }));

    // Act / Assess
    expect([...tripIncrements(trip, cityHour).keys()]).toEqual(['n', 'f', 't', 'g', 'd', 'qk7', 'm', 'uln']);
    expect([...tripIncrements(trip, cityDay).keys()]).toEqual(['n', 'h8', 'f', 't', 'g', 'd', 'qk7', 'm', 'uln']);
    expect([...tripIncrements(trip, zoneDay).keys()]).toEqual(['h8', 'f8', 't8', 'g8', 'd8', 'q8k7', 'm8', 'u8ln']);
  });

  it('store the rarer figures only for the trips that have them: passengers, payment types, non-card tips and fares', () => {
    // Prepare
    const base = { tripId: 'b', pickupAtMs: DAY_START_MS, dropoffAtMs: DAY_START_MS, pickupZoneId: 74, dropoffZoneId: 74 };
    const trip: Trip = {
      ...base,
      passengerCount: 3,
      paymentType: 2,
      distanceHundredths: 0,
      fareCents: 500,
      tipCents: 0,
      tollsCents: 0,
      totalCents: 500,
    };
    const noCount: Trip = { ...trip, passengerCount: undefined, paymentType: undefined };
    const nobody: Trip = { ...trip, passengerCount: 0, paymentType: 7 };
    const target = { kind: 'AGGREGATE' as const, scope: { kind: 'CITY' as const }, granularity: 'HOUR' as const, bucketKey: 'unused' };

    // Act / Assess
    expect(Object.fromEntries(tripIncrements(trip, target))).toEqual({ n: 1, f: 500, t: 500, qhb: 1, u0: 1, px: 2, y2: 1, nf: 500 });
    expect(Object.fromEntries(tripIncrements(noCount, target))).toEqual({ n: 1, f: 500, t: 500, qhb: 1, u0: 1, np: 1, y5: 1, nf: 500 });
    expect(Object.fromEntries(tripIncrements(nobody, target))).toEqual({ n: 1, f: 500, t: 500, qhb: 1, u0: 1, pz: 1, y5: 1, nf: 500 });
  });

  it('ignore attributes that are not theirs, and names that only look like theirs', () => {
    fc.assert(
      fc.property(
        fc.array(tripOfDay, { maxLength: 10 }),
        layout,
        fc.dictionary(strangeName, fc.nat(1000), { maxKeys: 20 }),
        (trips, [granularity, hourlyDetail], extra) => {
          // Prepare
          const item = aggregateItemOf(trips, granularity, hourlyDetail);
          const strange = Object.fromEntries(Object.entries(extra).filter(([name]) => !isLayoutName(name, granularity, hourlyDetail)));

          // Act
          const aggregate = aggregateFromItem({ ...item, ...strange }, granularity, hourlyDetail);

          // Assess
          expect(aggregate).toEqual(aggregateFromItem(item, granularity, hourlyDetail));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('make the day of a zone DAY item the sum of its hours, sketches merged', () => {
    // Act
    const aggregate = aggregateFromItem(
      { h8: 2, hh: 1, f8: 300, fh: 200, q83c: 1, q83d: 1, qh3c: 1, u8qn: 2, uhqn: 1, y82: 1 },
      'DAY',
      true,
    );

    // Assess
    expect(aggregate.trips).toBe(3);
    expect(aggregate.fareCents).toBe(500);
    expect(aggregate.hourly![8].fareSketch).toEqual(
      new Map([
        [120, 1],
        [121, 1],
      ]),
    );
    expect(aggregate.fareSketch).toEqual(
      new Map([
        [120, 2],
        [121, 1],
      ]),
    );
    expect(aggregate.operations.durationSketch).toEqual(new Map([[959, 3]]));
    expect(aggregate.operations.tripsByPaymentType).toEqual([0, 2, 1, 0, 0, 0, 0]);
    expect(aggregate.hourly![17].operations.tripsByPaymentType).toEqual([0, 1, 0, 0, 0, 0, 0]);
  });
});

/** The names of the layout, written independently of the code as the table in aggregate-item.ts gives them. */
function isLayoutName(name: string, granularity: StoredGranularity, hourlyDetail: boolean): boolean {
  const bucket = '(0|[1-9a-z][0-9a-z]*)';
  const patterns = hourlyDetail
    ? [/^(h|f|t|g|d|m|px|pz|np|nt|nf)[0-9a-n]$/, new RegExp(`^[qu][0-9a-n]${bucket}$`), /^y[0-9a-n][02-6]$/]
    : [/^(n|f|t|g|d|m|px|pz|np|nt|nf)$/, new RegExp(`^[qu]${bucket}$`), /^y[02-6]$/, ...(granularity === 'DAY' ? [/^h[0-9a-n]$/] : [])];
  return patterns.some((pattern) => pattern.test(name));
}

/** Names an item never holds but a careless parser might take for sketch, payment or sum attributes. */
const strangeName = fc
  .oneof(
    fc.constantFrom(
      'q',
      'u',
      'y',
      'q0',
      'qo',
      'q00',
      'q8_12',
      'q812x',
      'qA',
      'Q5',
      'y9',
      'y1',
      'y80',
      'yz2',
      'y88',
      'uz1',
      'hz',
      'h24',
      'n8',
      'trips',
      'x',
    ),
    fc
      .tuple(fc.constantFrom('q', 'u', 'y', 'h', 'f', 'g', 'm', 'px', 'pz', 'np', 'nt', 'nf'), fc.string({ maxLength: 4 }))
      .map(([prefix, rest]) => `${prefix}${rest}`),
    fc.string({ maxLength: 6 }),
  )
  .filter((name) => !isMarkAttribute(name) && name !== 'pk' && name !== 'sk');

describe('attribute names', () => {
  it('are never a key attribute or an exactly-once mark, on any item a trip counts in', () => {
    fc.assert(
      fc.property(tripOfDay, (trip) => {
        for (const target of tripTargets(trip)) {
          for (const name of tripIncrements(trip, target).keys()) {
            expect(['pk', 'sk']).not.toContain(name);
            expect(isMarkAttribute(name)).toBe(false);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hourCountsFromItem', () => {
  it('reads from an item projected to its hour counts what aggregateFromItem reads from the whole item', () => {
    fc.assert(
      fc.property(fc.array(tripOfDay, { maxLength: 60 }), fc.boolean(), (trips, hourlyDetail) => {
        // Prepare
        const item = aggregateItemOf(trips, 'DAY', hourlyDetail);
        const projected = Object.fromEntries(
          ['sk', ...HOUR_COUNT_ATTRIBUTES].filter((name) => name in item).map((name) => [name, item[name]]),
        );
        // Act
        const tripsByHourOfDay = hourCountsFromItem(projected);
        // Assess
        expect(tripsByHourOfDay).toEqual(aggregateFromItem(item, 'DAY', hourlyDetail).tripsByHourOfDay);
      }),
      { numRuns: 200 },
    );
  });

  it('counts 0 trips for the hours an item has no attribute for; hours are one base-36 digit', () => {
    expect(HOUR_COUNT_ATTRIBUTES).toEqual([
      'h0',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'h7',
      'h8',
      'h9',
      ...'abcdefghijklmn'.split('').map((code) => `h${code}`),
    ]);
    expect(hourCountsFromItem({ sk: '2023-02-01', hn: 4 })).toEqual([...new Array(23).fill(0), 4]);
  });
});

describe('flow items', () => {
  it('read back the pickups and drop-offs per zone of the trips whose increments made them', () => {
    fc.assert(
      fc.property(fc.array(tripOfDay, { maxLength: 60 }), fc.constantFrom<StoredGranularity>('HOUR', 'DAY'), (trips, granularity) => {
        // Prepare: every flow target of the trips in one bucket of the granularity, as one item.
        const targets = trips.flatMap((trip) =>
          flowTargetsOfTrip(trip)
            .filter((target) => target.granularity === granularity)
            .map((target) => ({ trip, target })),
        );
        const bucketKey = targets[0]?.target.bucketKey;
        const inBucket = targets.filter(({ target }) => target.bucketKey === bucketKey);
        const item = itemOf(inBucket.map(({ trip, target }) => tripIncrements(trip, target)));

        // Act
        const flows = flowsFromItem(item);

        // Assess
        expect(flows).toEqual(inBucket.reduce((counts, { target }) => addFlow(counts, target), emptyFlows()));
      }),
      { numRuns: 300 },
    );
  });

  it('pack the pickups and drop-offs of a zone in one number named by the zone in base 36, and ignore names outside 1..265', () => {
    // Prepare: a ride within zone 96, and one from 96 to 265, in the same hour.
    const pickupAtMs = DAY_START_MS + 8 * 3_600_000;
    const trip = { ...fc.sample(tripOfDay, 1)[0], pickupAtMs, dropoffAtMs: pickupAtMs + 600_000, pickupZoneId: 96, dropoffZoneId: 96 };
    const [within] = tripTargets(trip).filter((target) => target.kind === 'FLOW');
    const [across] = tripTargets({ ...trip, dropoffZoneId: 265 }).filter((target) => target.kind === 'FLOW');

    // Act / Assess
    expect(Object.fromEntries(tripIncrements(trip, within))).toEqual({ z2o: 1_000_000_001 });
    expect(Object.fromEntries(tripIncrements(trip, across))).toEqual({ z2o: 1, z7d: 1_000_000_000 });
    expect(
      flowsFromItem({
        z2o: 2_000_000_003,
        z7d: 2_000_000_000,
        z0: 1,
        z7e: 1,
        z02o: 1,
        z8z: 4,
        pk: 'FLOW#DAY',
        sk: '2023-02-01',
        mark0: '0011',
      }),
    ).toEqual({
      pickups: new Map([[96, 3]]),
      dropoffs: new Map([
        [96, 2],
        [265, 2],
      ]),
    });
  });
});

describe('base36Of', () => {
  it('reads what Number.prototype.toString(36) writes, and nothing else', () => {
    fc.assert(fc.property(fc.nat(1_000_000), (value) => expect(base36Of(`q${value.toString(36)}`, 1)).toBe(value)));
    for (const name of ['q', 'q00', 'q01', 'qA', 'q-1', 'q1.5', 'q ']) expect(base36Of(name, 1)).toBeUndefined();
  });
});
