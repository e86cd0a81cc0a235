import { InsightsQueries, MAX_PEAK_HOURS_LIMIT, MAX_ZONE_FLOWS_RANGE_DAYS } from '../../../src/serve/insights-queries';
import { parseDateTime } from '../../../src/domain/time';
import { InMemoryInsightsReader, ingestionCounts } from '../../support/in-memory-insights-reader';
import { userErrorOf, validTrip } from './serve-fixtures';

const FEBRUARY = { from: '2023-02-01T00:00:00', to: '2023-03-01T00:00:00' };
const ms = (text: string) => parseDateTime(text)!;

describe('InsightsQueries argument checks', () => {
  const queries = new InsightsQueries(new InMemoryInsightsReader());

  it.each([0, -1, 1.5, MAX_PEAK_HOURS_LIMIT + 1])('refuses a peakHours limit of %s, naming the argument', async (limit) => {
    expect(await userErrorOf(() => queries.peakHours(FEBRUARY, {}, limit))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'limit' });
  });

  it.each([
    [{ from: 'yesterday', to: FEBRUARY.to }, 'range.from'],
    [{ from: FEBRUARY.from, to: '2023-13-01T00:00:00' }, 'range.to'],
    [{ from: FEBRUARY.to, to: FEBRUARY.from }, 'range.to'],
    [{ from: FEBRUARY.from, to: FEBRUARY.from }, 'range.to'],
    [{ from: '2000-01-01T00:00:00', to: '2020-01-01T00:00:00' }, 'range'],
    // Valid ISO-8601, but outside the years the API answers for (found by the fuzzer).
    [{ from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' }, 'range.from'],
    [{ from: '9998-12-31T00:00:00', to: '9999-12-31T23:00:00-14:00' }, 'range.to'],
  ])('refuses the range %j, naming %s', async (range, argument) => {
    expect(await userErrorOf(() => queries.peakHours(range, {}, 10))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it('bounds HOUR fare trends to a quarter and the others to about ten years', async () => {
    const fourMonths = { from: '2023-01-01T00:00:00', to: '2023-05-01T00:00:00' };
    expect(await userErrorOf(() => queries.fareTrend(fourMonths, 'HOUR', {}))).toMatchObject({ argument: 'range' });
    await expect(queries.fareTrend(fourMonths, 'DAY', {})).resolves.toEqual([]);
  });

  it.each([
    [{ zoneId: 74, borough: 'MANHATTAN' }, 'zoneId'],
    [{ zoneId: 0 }, 'zoneId'],
    [{ zoneId: 266 }, 'zoneId'],
    [{ borough: 'ATLANTIS' }, 'borough'],
  ])('refuses the scope %j, naming %s', async (scope, argument) => {
    expect(await userErrorOf(() => queries.fareTrend(FEBRUARY, 'DAY', scope))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});

describe('InsightsQueries argument checks of operations and zoneFlows', () => {
  const queries = new InsightsQueries(new InMemoryInsightsReader());

  it.each([
    [{ from: 'yesterday', to: FEBRUARY.to }, 'range.from'],
    [{ from: FEBRUARY.from, to: '2023-02-30T00:00:00' }, 'range.to'],
    [{ from: FEBRUARY.to, to: FEBRUARY.from }, 'range.to'],
    [{ from: '2000-01-01T00:00:00', to: '2020-01-01T00:00:00' }, 'range'],
    // Valid ISO-8601, but outside the years the API answers for (found by the fuzzer).
    [{ from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' }, 'range.from'],
    [{ from: '9998-12-31T00:00:00', to: '9999-12-31T23:00:00-14:00' }, 'range.to'],
  ])('refuses the range %j of both, naming %s', async (range, argument) => {
    expect(await userErrorOf(() => queries.operations(range, 'DAY', {}))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(await userErrorOf(() => queries.zoneFlows(range, undefined))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it('bounds HOUR operations to a quarter like fareTrend, the other granularities and zoneFlows to about ten years', async () => {
    const fourMonths = { from: '2023-01-01T00:00:00', to: '2023-05-01T00:00:00' };
    expect(await userErrorOf(() => queries.operations(fourMonths, 'HOUR', {}))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'range',
    });
    await expect(queries.operations(fourMonths, 'MONTH', {})).resolves.toEqual([]);
    const longest = {
      from: '2015-01-01T00:00:00Z',
      to: new Date(Date.parse('2015-01-01T00:00:00Z') + MAX_ZONE_FLOWS_RANGE_DAYS * 86_400_000).toISOString(),
    };
    await expect(queries.zoneFlows(longest, null)).resolves.toEqual({ zones: [], totalPickups: 0, totalDropoffs: 0 });
    const tooLong = { ...longest, to: new Date(Date.parse(longest.to) + 1000).toISOString() };
    expect(await userErrorOf(() => queries.zoneFlows(tooLong, null))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'range' });
  });

  it.each([
    [{ zoneId: 74, borough: 'MANHATTAN' }, 'zoneId'],
    [{ zoneId: 266 }, 'zoneId'],
    [{ borough: 'ATLANTIS' }, 'borough'],
  ])('refuses the operations scope %j, naming %s', async (scope, argument) => {
    expect(await userErrorOf(() => queries.operations(FEBRUARY, 'WEEK', scope))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it('refuses zoneFlows of an unknown borough, naming it', async () => {
    expect(await userErrorOf(() => queries.zoneFlows(FEBRUARY, 'ATLANTIS'))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'borough' });
  });
});

describe('InsightsQueries reads', () => {
  it('reads for peak hours only the hour counts of the DAY items of the days in range', async () => {
    // Prepare
    const reader = new InMemoryInsightsReader();

    // Act
    await new InsightsQueries(reader).peakHours({ from: '2023-02-03T22:00:00', to: '2023-02-05T01:00:00' }, { borough: 'QUEENS' }, 3);

    // Assess
    expect(reader.reads).toEqual([
      { read: 'hourCounts', scope: { kind: 'BOROUGH', borough: 'QUEENS' }, granularity: 'DAY', span: ['2023-02-03', '2023-02-05'] },
    ]);
  });

  it.each([
    ['HOUR', {}, { kind: 'CITY' }, 'HOUR', ['2023-02-01T00', '2023-02-28T23']],
    ['HOUR', { zoneId: 74 }, { kind: 'ZONE', zoneId: 74 }, 'DAY', ['2023-02-01', '2023-02-28']],
    ['DAY', { borough: 'BRONX' }, { kind: 'BOROUGH', borough: 'BRONX' }, 'DAY', ['2023-02-01', '2023-02-28']],
    ['MONTH', {}, { kind: 'CITY' }, 'DAY', ['2023-02-01', '2023-02-28']],
  ] as const)('reads a %s fare trend of %j from the items of %j stored by %s', async (granularity, scopeArguments, scope, stored, span) => {
    // Prepare
    const reader = new InMemoryInsightsReader();

    // Act
    await new InsightsQueries(reader).fareTrend(FEBRUARY, granularity, scopeArguments);

    // Assess
    expect(reader.reads).toEqual([{ read: 'aggregates', scope, granularity: stored, span }]);
  });

  it.each([
    ['HOUR', { borough: 'QUEENS' }, { kind: 'BOROUGH', borough: 'QUEENS' }, 'HOUR', ['2023-02-01T00', '2023-02-28T23']],
    ['HOUR', { zoneId: 132 }, { kind: 'ZONE', zoneId: 132 }, 'DAY', ['2023-02-01', '2023-02-28']],
    ['WEEK', {}, { kind: 'CITY' }, 'DAY', ['2023-02-06', '2023-03-05']],
  ] as const)(
    'reads %s operations of %j from the items fareTrend reads: %j by %s',
    async (granularity, scopeArguments, scope, stored, span) => {
      // Prepare
      const reader = new InMemoryInsightsReader();

      // Act
      await new InsightsQueries(reader).operations(FEBRUARY, granularity, scopeArguments);

      // Assess
      expect(reader.reads).toEqual([{ read: 'aggregates', scope, granularity: stored, span }]);
    },
  );

  it.each([
    ['a day-aligned range: only DAY flow items', FEBRUARY, [{ read: 'flows', granularity: 'DAY', span: ['2023-02-01', '2023-02-28'] }]],
    [
      'partial first and last days: their hours besides',
      { from: '2023-02-01T13:00:00', to: '2023-02-04T02:00:00' },
      [
        { read: 'flows', granularity: 'DAY', span: ['2023-02-02', '2023-02-03'] },
        { read: 'flows', granularity: 'HOUR', span: ['2023-02-01T13', '2023-02-01T23'] },
        { read: 'flows', granularity: 'HOUR', span: ['2023-02-04T00', '2023-02-04T01'] },
      ],
    ],
    [
      'less than a day: its hours only',
      { from: '2023-02-01T08:00:00', to: '2023-02-01T10:00:00' },
      [{ read: 'flows', granularity: 'HOUR', span: ['2023-02-01T08', '2023-02-01T09'] }],
    ],
  ])('reads for zoneFlows over %s', async (_name, range, reads) => {
    // Prepare
    const reader = new InMemoryInsightsReader();

    // Act
    await new InsightsQueries(reader).zoneFlows(range, 'BRONX');

    // Assess
    expect(reader.reads).toEqual(reads);
  });

  it('reads nothing for a fare trend in which no bucket starts', async () => {
    // Prepare
    const reader = new InMemoryInsightsReader();

    // Act
    const buckets = await new InsightsQueries(reader).fareTrend({ from: '2023-02-06T00:00:01', to: '2023-02-12T00:00:00' }, 'WEEK', {});

    // Assess
    expect(buckets).toEqual([]);
    expect(reader.reads).toEqual([]);
  });
});

describe('InsightsQueries results', () => {
  const reader = new InMemoryInsightsReader().addTrips([
    validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:40:00', fareAmount: 10, totalAmount: 12, tipAmount: 1 }),
    validTrip({ pickupAt: '2023-02-01T08:45:00', dropoffAt: '2023-02-01T09:05:00', fareAmount: 20, totalAmount: 25, tipAmount: 3 }),
    validTrip({ pickupAt: '2023-02-02T17:10:00', dropoffAt: '2023-02-02T17:30:00', fareAmount: 30, totalAmount: 33, tipAmount: 0 }),
    validTrip({ pickupAt: '2023-02-02T17:20:00', dropoffAt: '2023-02-02T17:50:00', pickupZoneId: 132, fareAmount: 70, totalAmount: 80 }),
  ]);
  const queries = new InsightsQueries(reader);

  it('answers peak hours of a zone, busiest first', async () => {
    // Act
    const result = await queries.peakHours(FEBRUARY, { zoneId: 74 }, 1);

    // Assess
    expect(result.totalTrips).toBe(3);
    expect(result.top).toEqual([{ hourStartMs: ms('2023-02-01T08:00:00'), trips: 2 }]);
    expect(result.byHourOfDay).toHaveLength(24);
    expect(result.byHourOfDay[17]).toEqual({ hourOfDay: 17, trips: 1 });
  });

  it('answers peak hours of the city over the whole range', async () => {
    expect((await queries.peakHours(FEBRUARY, {}, 10)).totalTrips).toBe(4);
  });

  it('answers a fare trend per day of a borough with averages of the day', async () => {
    // Act
    const buckets = await queries.fareTrend(FEBRUARY, 'DAY', { borough: 'MANHATTAN' });

    // Assess
    expect(buckets.map(({ startMs, trips }) => ({ startMs, trips }))).toEqual([
      { startMs: ms('2023-02-01T00:00:00'), trips: 2 },
      { startMs: ms('2023-02-02T00:00:00'), trips: 1 },
    ]);
    expect(buckets[0]).toMatchObject({ averageFare: 15, averageTotal: 18.5, averageTip: 2 });
  });

  it('answers a zone fare trend per hour from the hours inside its DAY items', async () => {
    // Act
    const buckets = await queries.fareTrend(FEBRUARY, 'HOUR', { zoneId: 74 });

    // Assess
    expect(buckets.map(({ startMs, trips }) => ({ startMs, trips }))).toEqual([
      { startMs: ms('2023-02-01T08:00:00'), trips: 2 },
      { startMs: ms('2023-02-02T17:00:00'), trips: 1 },
    ]);
  });
});

describe('InsightsQueries operational efficiency', () => {
  const reader = new InMemoryInsightsReader().addTrips([
    validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:45:00', tripDistanceMiles: 5, paymentType: 1, tipAmount: 2 }),
    validTrip({
      pickupAt: '2023-02-01T08:30:00',
      dropoffAt: '2023-02-01T09:00:00',
      tripDistanceMiles: 3,
      paymentType: 2,
      passengerCount: 3,
    }),
    validTrip({ pickupAt: '2023-02-01T23:50:00', dropoffAt: '2023-02-02T00:10:00', pickupZoneId: 74, dropoffZoneId: 132 }),
    validTrip({ pickupAt: '2023-02-02T07:00:00', dropoffAt: '2023-02-02T07:00:00', pickupZoneId: 132, dropoffZoneId: 132, paymentType: 6 }),
  ]);
  const queries = new InsightsQueries(reader);

  it('answers operations per hour of a zone from the hours of its DAY items', async () => {
    // Act
    const buckets = await queries.operations(FEBRUARY, 'HOUR', { zoneId: 74 });

    // Assess
    expect(
      buckets.map(({ startMs, trips, averageDurationMinutes, averageSpeedMph }) => [
        startMs,
        trips,
        averageDurationMinutes,
        averageSpeedMph,
      ]),
    ).toEqual([
      [ms('2023-02-01T08:00:00'), 2, 30, 8],
      [ms('2023-02-01T23:00:00'), 1, 20, 7.5],
    ]);
    // The first trip has no passenger count: the average is over the trips that have one.
    expect(buckets[0].averagePassengers).toBe(3);
    expect(buckets[0].paymentMix.map(({ paymentType, trips }) => `${paymentType}=${trips}`)).toEqual([
      'FLEX_FARE=0',
      'CARD=1',
      'CASH=1',
      'NO_CHARGE=0',
      'DISPUTE=0',
      'UNKNOWN=0',
      'VOIDED=0',
    ]);
  });

  it('answers a zero-duration bucket with a null speed and a median of exactly 0', async () => {
    const [bucket] = await queries.operations(FEBRUARY, 'DAY', { zoneId: 132 });
    expect(bucket).toMatchObject({
      trips: 1,
      averageDurationMinutes: 0,
      medianDurationMinutes: 0,
      p90DurationMinutes: 0,
      averageSpeedMph: null,
    });
    expect(bucket.paymentMix[6]).toEqual({ paymentType: 'VOIDED', trips: 1 });
  });

  it('answers zone flows with drop-offs in the hour of the drop-off, city-wide or for a borough', async () => {
    // Act
    const firstDay = await queries.zoneFlows({ from: '2023-02-01T00:00:00', to: '2023-02-02T00:00:00' }, null);
    const withMidnight = await queries.zoneFlows({ from: '2023-02-01T23:00:00', to: '2023-02-02T01:00:00' }, 'MANHATTAN');

    // Assess
    expect(firstDay.zones.map(({ zoneId, pickups, dropoffs, net }) => [zoneId, pickups, dropoffs, net])).toEqual([
      [74, 3, 0, -3],
      [75, 0, 2, 2],
    ]);
    expect(firstDay).toMatchObject({ totalPickups: 3, totalDropoffs: 2 });
    expect(
      withMidnight.zones.map(({ zoneId, zoneName, borough, pickups, dropoffs }) => [zoneId, zoneName, borough, pickups, dropoffs]),
    ).toEqual([[74, 'East Harlem North', 'MANHATTAN', 1, 0]]);
  });

  it('answers the week shape of peak hours: 168 entries, Wednesday 08:00 holding two trips', async () => {
    const { byHourOfWeek } = await queries.peakHours(FEBRUARY, {}, 1);
    expect(byHourOfWeek).toHaveLength(168);
    expect(byHourOfWeek[2 * 24 + 8]).toEqual({ dayOfWeek: 3, hourOfDay: 8, trips: 2 });
    expect(byHourOfWeek.reduce((sum, { trips }) => sum + trips, 0)).toBe(4);
  });
});

describe('InsightsQueries pipeline status', () => {
  it('sorts the shards and derives the pipeline-wide figures from them', async () => {
    // Prepare
    const counts = ingestionCounts({ acceptedTrips: 7, rejectedByReason: { UNKNOWN_ZONE: 2 } });
    const shard = (shardId: string, lastAppliedAtMs: number, iteratorAgeMs: number, newestPickupMs?: number) => ({
      shardId,
      lastAppliedAtMs,
      lastRecordArrivedAtMs: lastAppliedAtMs - iteratorAgeMs,
      iteratorAgeMs,
      lastSequenceNumber: '1',
      newestPickupMs,
    });
    const reader = new InMemoryInsightsReader(counts, [
      shard('shardId-000000000001', 5_000, 300),
      shard('shardId-000000000000', 9_000, 40, 1_000),
    ]);

    // Act
    const status = await new InsightsQueries(reader).pipelineStatus();

    // Assess
    expect(status.shards.map(({ shardId }) => shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(status).toMatchObject({ counts, maxIteratorAgeMs: 300, lastEventAtMs: 1_000, lastAppliedAtMs: 9_000 });
  });

  it('answers 0 and no times before the processor has read any shard', async () => {
    expect(await new InsightsQueries(new InMemoryInsightsReader()).pipelineStatus()).toEqual({
      shards: [],
      counts: ingestionCounts(),
      maxIteratorAgeMs: 0,
      lastEventAtMs: undefined,
      lastAppliedAtMs: undefined,
    });
  });
});
