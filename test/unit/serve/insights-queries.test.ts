import { InsightsQueries, MAX_PEAK_HOURS_LIMIT } from '../../../src/serve/insights-queries';
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
