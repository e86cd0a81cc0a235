import { addFlow, emptyFlows, flowTargetsOfTrip, type FlowCounts } from '../../../src/domain/flows';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { computeZoneFlows, zoneFlowsReadPlan, type FlowBucket } from '../../../src/domain/zone-flows-insight';
import { validTrip } from '../../support/trip-factory';

const ms = (text: string) => parseDateTime(text)!;

/** The HOUR and DAY flow items of the trips, as the processor builds them. */
function flowItems(trips: readonly Trip[]): { days: FlowBucket[]; hours: FlowBucket[] } {
  const items = { HOUR: new Map<string, FlowCounts>(), DAY: new Map<string, FlowCounts>() };
  for (const trip of trips) {
    for (const target of flowTargetsOfTrip(trip)) {
      const byKey = items[target.granularity];
      byKey.set(target.bucketKey, addFlow(byKey.get(target.bucketKey) ?? emptyFlows(), target));
    }
  }
  const list = (byKey: Map<string, FlowCounts>) => [...byKey].map(([bucketKey, flows]) => ({ bucketKey, flows }));
  return { days: list(items.DAY), hours: list(items.HOUR) };
}

/** What zoneFlows answers when it reads exactly what its read plan names. */
function zoneFlowsOf(trips: readonly Trip[], from: string, to: string, borough?: 'MANHATTAN' | 'QUEENS') {
  const { days, hours } = flowItems(trips);
  const plan = zoneFlowsReadPlan(ms(from), ms(to));
  const inSpan = (key: string, [first, last]: [string, string]) => key >= first && key <= last;
  return computeZoneFlows(
    days.filter((day) => plan.days !== undefined && inSpan(day.bucketKey, plan.days)),
    hours.filter((hour) => plan.hours.some((span) => inSpan(hour.bucketKey, span))),
    ms(from),
    ms(to),
    borough,
  );
}

describe('zoneFlowsReadPlan', () => {
  it('reads one DAY item per day of a day-aligned year, and no hours', () => {
    expect(zoneFlowsReadPlan(ms('2023-01-01T00:00:00'), ms('2024-01-01T00:00:00'))).toEqual({
      days: ['2023-01-01', '2023-12-31'],
      hours: [],
    });
  });

  it('adds the hours of the partial first and last days', () => {
    expect(zoneFlowsReadPlan(ms('2023-02-01T06:00:00'), ms('2023-02-03T18:30:00'))).toEqual({
      days: ['2023-02-02', '2023-02-02'],
      hours: [
        ['2023-02-01T06', '2023-02-01T23'],
        ['2023-02-03T00', '2023-02-03T18'],
      ],
    });
  });

  it('reads only hours when no whole day is in the range, across midnight if need be', () => {
    expect(zoneFlowsReadPlan(ms('2023-02-01T12:00:00'), ms('2023-02-02T12:00:00'))).toEqual({
      hours: [['2023-02-01T12', '2023-02-02T11']],
    });
    expect(zoneFlowsReadPlan(ms('2023-02-01T08:30:00'), ms('2023-02-01T08:45:00'))).toEqual({ hours: [] });
  });

  it('takes a whole day once its 23:00 starts in the range, and the DST days as whole days', () => {
    expect(zoneFlowsReadPlan(ms('2023-03-12T00:00:00'), ms('2023-03-12T23:00:01'))).toEqual({
      days: ['2023-03-12', '2023-03-12'],
      hours: [],
    });
    expect(zoneFlowsReadPlan(ms('2023-11-05T00:00:00'), ms('2023-11-06T00:00:00'))).toEqual({
      days: ['2023-11-05', '2023-11-05'],
      hours: [],
    });
    expect(zoneFlowsReadPlan(ms('2023-03-12T00:00:00'), ms('2023-03-12T23:00:00')).hours).toEqual([['2023-03-12T00', '2023-03-12T22']]);
  });

  it('reads at most 400 items for any one-year range', () => {
    for (const from of ['2023-01-01T00:00:00', '2023-01-01T13:00:00', '2023-03-12T02:30:00', '2023-11-05T01:30:00-05:00']) {
      const fromMs = ms(from);
      const plan = zoneFlowsReadPlan(fromMs, fromMs + 365 * 86_400_000);
      const days = plan.days ? (Date.parse(plan.days[1]) - Date.parse(plan.days[0])) / 86_400_000 + 1 : 0;
      const hours = plan.hours.reduce(
        (sum, [first, last]) => sum + (Date.parse(`${last}:00Z`) - Date.parse(`${first}:00Z`)) / 3_600_000 + 1,
        0,
      );
      expect(days).toBeLessThanOrEqual(366);
      expect(hours).toBeLessThanOrEqual(46);
    }
  });
});

describe('computeZoneFlows', () => {
  it('counts pickups by pickup hour and drop-offs by drop-off hour, each in its zone', () => {
    // Prepare: a ride from the evening before the range into it, one inside it, one out of it
    const trips = [
      validTrip({ pickupAt: '2023-01-31T23:50:00', dropoffAt: '2023-02-01T00:10:00', pickupZoneId: 74, dropoffZoneId: 75 }),
      validTrip({ pickupAt: '2023-02-01T08:00:00', dropoffAt: '2023-02-01T08:20:00', pickupZoneId: 75, dropoffZoneId: 236 }),
      validTrip({ pickupAt: '2023-02-28T23:50:00', dropoffAt: '2023-03-01T00:05:00', pickupZoneId: 41, dropoffZoneId: 42 }),
    ];

    // Act
    const result = zoneFlowsOf(trips, '2023-02-01T00:00:00', '2023-03-01T00:00:00');

    // Assess
    expect(result.zones).toEqual([
      { zoneId: 41, zoneName: 'Central Harlem', borough: 'MANHATTAN', pickups: 1, dropoffs: 0, net: -1 },
      { zoneId: 75, zoneName: 'East Harlem South', borough: 'MANHATTAN', pickups: 1, dropoffs: 1, net: 0 },
      { zoneId: 236, zoneName: 'Upper East Side North', borough: 'MANHATTAN', pickups: 0, dropoffs: 1, net: 1 },
    ]);
    expect(result.totalPickups).toBe(2);
    expect(result.totalDropoffs).toBe(2);
  });

  it('counts the partial days from their hours and the whole days from their DAY items, each once', () => {
    // Prepare: one trip an hour from 2023-02-01 00:30 to 2023-02-03 23:30, each dropped off 40 minutes later
    const trips = Array.from({ length: 72 }, (_, hour) => {
      const pickupMs = ms('2023-02-01T00:30:00') + hour * 3_600_000;
      return validTrip({ pickupAt: new Date(pickupMs).toISOString(), dropoffAt: new Date(pickupMs + 40 * 60_000).toISOString() });
    });

    // Act
    const result = zoneFlowsOf(trips, '2023-02-01T06:00:00', '2023-02-03T18:00:00');

    // Assess: pickups in hours 06..23, the 24 hours of 2023-02-02, 00..17; drop-offs (at 10 past) in the same hours
    expect(result.totalPickups).toBe(18 + 24 + 18);
    expect(result.totalDropoffs).toBe(18 + 24 + 18);
    const later = zoneFlowsOf(trips, '2023-02-01T06:30:00', '2023-02-03T18:00:00');
    expect([later.totalPickups, later.totalDropoffs]).toEqual([17 + 24 + 18, 17 + 24 + 18]);
  });

  it('lists only the zones of the borough, and their totals', () => {
    const trips = [
      validTrip({ pickupZoneId: 132, dropoffZoneId: 74 }), // JFK Airport (Queens) to East Harlem North (Manhattan)
      validTrip({ pickupZoneId: 74, dropoffZoneId: 7 }), // to Astoria (Queens)
    ];
    const result = zoneFlowsOf(trips, '2023-02-01T00:00:00', '2023-02-02T00:00:00', 'QUEENS');
    expect(result).toEqual({
      zones: [
        { zoneId: 7, zoneName: 'Astoria', borough: 'QUEENS', pickups: 0, dropoffs: 1, net: 1 },
        { zoneId: 132, zoneName: 'JFK Airport', borough: 'QUEENS', pickups: 1, dropoffs: 0, net: -1 },
      ],
      totalPickups: 1,
      totalDropoffs: 1,
    });
  });

  it('ignores items outside the range and hours of days a DAY item counts', () => {
    // Prepare
    const trips = [validTrip({ pickupAt: '2023-02-01T08:00:00', dropoffAt: '2023-02-01T08:10:00' })];
    const { days, hours } = flowItems(trips);

    // Act: every item handed over, for the whole day, then for a range that ends before the trip
    const whole = computeZoneFlows(days, hours, ms('2023-02-01T00:00:00'), ms('2023-02-02T00:00:00'));
    const before = computeZoneFlows(days, hours, ms('2023-02-01T00:00:00'), ms('2023-02-01T08:00:00'));

    // Assess
    expect([whole.totalPickups, whole.totalDropoffs]).toEqual([1, 1]);
    expect(before).toEqual({ zones: [], totalPickups: 0, totalDropoffs: 0 });
  });
});
