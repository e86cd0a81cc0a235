import fc from 'fast-check';
import { addTrip, emptyAggregate, type FareAggregate } from '../../../src/domain/aggregate';
import { mergeCounts } from '../../../src/domain/quantile-sketch';
import type { StoredGranularity } from '../../../src/domain/scope';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { aggregateFromItem, HOUR_COUNT_ATTRIBUTES, hourCountsFromItem, tripIncrements } from '../../../src/store/aggregate-item';
import { aggregateKey, markAttribute, markValue } from '../../../src/store/keys';

const DAY_START_MS = parseDateTime('2023-02-01T00:00:00')!;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The parser as it was, with a regular expression per attribute: the reference for the one without. */
function regexAggregateFromItem(item: Record<string, unknown>, granularity: StoredGranularity, hourlyDetail: boolean): FareAggregate {
  const numberOf = (value: unknown) => (typeof value === 'number' ? value : 0);
  const hours = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));
  const hourlySums = { f: 'fareCents', t: 'totalCents', p: 'tipCents', d: 'distanceHundredths' } as const;
  const aggregate = emptyAggregate(granularity, hourlyDetail);
  aggregate.trips = numberOf(item.trips);
  aggregate.fareCents = numberOf(item.fareCents);
  aggregate.totalCents = numberOf(item.totalCents);
  aggregate.tipCents = numberOf(item.tipCents);
  aggregate.distanceHundredths = numberOf(item.distanceHundredths);
  if (aggregate.tripsByHourOfDay) hours.forEach((hour, index) => (aggregate.tripsByHourOfDay![index] = numberOf(item[`h${hour}`])));
  aggregate.hourly?.forEach((hourly, index) => {
    hourly.trips = aggregate.tripsByHourOfDay![index];
    for (const [prefix, field] of Object.entries(hourlySums)) hourly[field] = numberOf(item[`${prefix}${hours[index]}`]);
  });
  for (const [name, value] of Object.entries(item)) {
    const match = /^q(?:(\d\d)_)?(\d+)$/.exec(name);
    if (!match) continue;
    const [, hour, bucket] = match;
    const sketch = hour === undefined ? aggregate.fareSketch : aggregate.hourly?.[Number(hour)]?.fareSketch;
    sketch?.set(Number(bucket), numberOf(value));
  }
  for (const hourly of aggregate.hourly ?? []) mergeCounts(aggregate.fareSketch, hourly.fareSketch);
  return aggregate;
}

const tripOfDay = fc
  .record({
    offsetMs: fc.integer({ min: 0, max: DAY_MS - 1 }),
    fareCents: fc.integer({ min: 0, max: 1_000_000 }),
    tipCents: fc.nat(5_000),
    distanceHundredths: fc.nat(10_000),
  })
  .map(({ offsetMs, fareCents, tipCents, distanceHundredths }): Trip => ({
    tripId: `t-${offsetMs}`,
    pickupAtMs: DAY_START_MS + offsetMs,
    dropoffAtMs: DAY_START_MS + offsetMs,
    pickupZoneId: 74,
    dropoffZoneId: 1,
    distanceHundredths,
    fareCents,
    tipCents,
    tollsCents: 0,
    totalCents: fareCents + tipCents,
  }));

// The three layouts: city/borough HOUR, city/borough DAY, zone DAY with hourly detail.
const layout = fc.constantFrom<[StoredGranularity, boolean]>(['HOUR', false], ['DAY', false], ['DAY', true]);

/** An item as the processor's ADDs leave it: the trips' increments summed, next to the key and marks. */
function itemOf(trips: readonly Trip[], granularity: StoredGranularity, hourlyDetail: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...aggregateKey({ kind: 'ZONE', zoneId: 74 }, 'DAY', '2023-02-01'),
    [markAttribute('shardId-000000000000')]: markValue('42'),
  };
  for (const trip of trips) {
    for (const [name, increment] of tripIncrements(trip, granularity, hourlyDetail))
      item[name] = ((item[name] as number | undefined) ?? 0) + increment;
  }
  return item;
}

// Names a sketch parser must tell apart: sketch buckets with and without hour (hours past 23, leading
// zeros), near misses, and the item's other attributes; values not always numbers.
const attributeName = fc.oneof(
  fc.tuple(fc.nat(99), fc.nat(1_500)).map(([hour, bucket]) => `q${String(hour).padStart(2, '0')}_${bucket}`),
  fc.nat(1_500).map((bucket) => `q${bucket}`),
  fc.nat(50).map((bucket) => `q${String(bucket).padStart(3, '0')}`),
  fc.constantFrom(
    'q',
    'q_',
    'q12_',
    'q1_5',
    'q123_4',
    'q12_3x',
    'qx',
    'Q5',
    'q-1',
    'q1.5',
    'q٣',
    'trips',
    'h07',
    'f07',
    'pk',
    'sk',
    'mark0',
    'mark_shardId-000000000000',
  ),
  fc.string({ maxLength: 6 }),
);
const attributeValue = fc.oneof(
  { weight: 5, arbitrary: fc.nat(1_000) },
  { weight: 1, arbitrary: fc.constantFrom('7', null, undefined, true) },
);

describe('aggregateFromItem', () => {
  it('reads back the aggregate of the trips whose increments made the item', () => {
    fc.assert(
      fc.property(fc.array(tripOfDay, { maxLength: 60 }), layout, (trips, [granularity, hourlyDetail]) => {
        // Prepare
        const item = itemOf(trips, granularity, hourlyDetail);
        const expected = trips.reduce((aggregate, trip) => addTrip(aggregate, trip), emptyAggregate(granularity, hourlyDetail));
        // Act
        const aggregate = aggregateFromItem(item, granularity, hourlyDetail);
        // Assess
        expect(aggregate).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('parses any attribute names exactly as the regular-expression parser did', () => {
    fc.assert(
      fc.property(fc.dictionary(attributeName, attributeValue, { maxKeys: 40 }), layout, (extra, [granularity, hourlyDetail]) => {
        // Prepare
        const item = { ...itemOf([], granularity, hourlyDetail), ...extra };
        // Act
        const aggregate = aggregateFromItem(item, granularity, hourlyDetail);
        // Assess
        expect(aggregate).toEqual(regexAggregateFromItem(item, granularity, hourlyDetail));
      }),
      { numRuns: 2000 },
    );
  });

  it('makes the day sketch of a zone DAY item the merge of its hours', () => {
    // Prepare
    const item = { trips: 3, h08: 2, h17: 1, q08_120: 1, q08_130: 1, q17_120: 1 };
    // Act
    const aggregate = aggregateFromItem(item, 'DAY', true);
    // Assess
    expect(aggregate.hourly![8].fareSketch).toEqual(
      new Map([
        [120, 1],
        [130, 1],
      ]),
    );
    expect(aggregate.hourly![17].fareSketch).toEqual(new Map([[120, 1]]));
    expect(aggregate.fareSketch).toEqual(
      new Map([
        [120, 2],
        [130, 1],
      ]),
    );
  });

  it('ignores hourly sketch attributes on items without hourly detail', () => {
    // Act
    const aggregate = aggregateFromItem({ trips: 1, q120: 1, q08_130: 1 }, 'DAY', false);
    // Assess
    expect(aggregate.fareSketch).toEqual(new Map([[120, 1]]));
  });
});

describe('hourCountsFromItem', () => {
  it('reads from an item projected to its hour counts what aggregateFromItem reads from the whole item', () => {
    fc.assert(
      fc.property(fc.array(tripOfDay, { maxLength: 60 }), fc.boolean(), (trips, hourlyDetail) => {
        // Prepare
        const item = itemOf(trips, 'DAY', hourlyDetail);
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

  it('counts 0 trips for the hours an item has no attribute for', () => {
    // Act / Assess
    expect(hourCountsFromItem({ sk: '2023-02-01', h23: 4 })).toEqual([...new Array(23).fill(0), 4]);
  });
});

describe('HOUR_COUNT_ATTRIBUTES', () => {
  it('names the attribute each hour of day of a DAY item is counted in', () => {
    // Prepare
    const tripAt = (hour: number): Trip => ({ ...fc.sample(tripOfDay, 1)[0], pickupAtMs: DAY_START_MS + hour * 60 * 60 * 1000 });
    // Act / Assess
    HOUR_COUNT_ATTRIBUTES.forEach((name, hour) => expect(tripIncrements(tripAt(hour), 'DAY', false).get(name)).toBe(1));
  });
});
