import { dayKeyOf, dayNumberOf } from '../../../src/domain/forecast/calendar';
import { forecastDemand } from '../../../src/domain/forecast/demand-forecast';
import { pastCountsBefore } from '../../../src/domain/forecast/past-counts';
import { computeDemandPressure, pressureHistoryHourKeys } from '../../../src/domain/forecast/pressure';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { userErrorOf, validTrip } from './serve-fixtures';

const ms = (text: string) => parseDateTime(text)!;

/** Four weeks of trips (from Monday 2023-01-30): zone 74 to 75, more at rush hours; a few from 132 (JFK, Queens). */
function fourWeeksOfTrips(): Trip[] {
  const trips: Trip[] = [];
  const first = dayNumberOf('2023-01-30');
  for (let day = first; day < first + 28; day += 1) {
    for (let hour = 0; hour < 24; hour += 1) {
      const perHour = hour === 8 || hour === 18 ? 3 : hour >= 7 && hour <= 22 ? 1 : 0;
      for (let index = 0; index < perHour; index += 1) {
        const at = `${dayKeyOf(day)}T${String(hour).padStart(2, '0')}:${String(10 + index * 15).padStart(2, '0')}:00`;
        trips.push(validTrip({ pickupAt: at, dropoffAt: at.replace(/:(\d\d):00$/, (_, minute) => `:${Number(minute) + 5}:00`) }));
      }
      if (hour === 12)
        trips.push(validTrip({ pickupAt: `${dayKeyOf(day)}T12:00:00`, dropoffAt: `${dayKeyOf(day)}T12:40:00`, pickupZoneId: 132 }));
    }
  }
  return trips;
}

describe('demandForecast and demandPressure argument checks', () => {
  const queries = new InsightsQueries(new InMemoryInsightsReader());

  it.each([
    [{ from: '2023-02-27T08:30:00' }, 'from'],
    [{ from: 'next Monday' }, 'from'],
    [{ from: '2023-02-27T08:00:00', hours: 0 }, 'hours'],
    [{ from: '2023-02-27T08:00:00', hours: 169 }, 'hours'],
    [{ from: '2023-02-27T08:00:00', zoneId: 266 }, 'zoneId'],
    [{ from: '2023-02-27T08:00:00', zoneId: 74, borough: 'MANHATTAN' }, 'zoneId'],
    // Valid ISO-8601, but New York local time is in year 0 or 10000 there (found by the fuzzer).
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ from: '9999-12-31T23:00:00-14:00' }, 'from'],
  ])('refuses the forecast arguments %j with BAD_USER_INPUT naming %s', async (args, argument) => {
    expect(await userErrorOf(() => queries.demandForecast(args))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it.each([
    [{ at: '2023-02-27T08:00:01' }, 'at'],
    [{ at: '2023-02-27T08:00:00', limit: 0 }, 'limit'],
    [{ at: '2023-02-27T08:00:00', limit: 266 }, 'limit'],
    [{ at: '0000-01-01T00:00:00Z', limit: 0 }, 'at'],
    [{ at: '0001-01-01T00:00:00' }, 'at'],
  ])('refuses the pressure arguments %j with BAD_USER_INPUT naming %s', async (args, argument) => {
    expect(await userErrorOf(() => queries.demandPressure(args))).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});

describe('demandForecast', () => {
  const trips = fourWeeksOfTrips();

  it("reads the scope's DAY items of the 16 weeks before from's day, one Query of at most 112 items", async () => {
    // Prepare
    const reader = new InMemoryInsightsReader().addTrips(trips);

    // Act
    await new InsightsQueries(reader).demandForecast({ from: '2023-02-27T08:00:00', zoneId: 74 });

    // Assess
    expect(reader.reads).toEqual([
      { read: 'hourCounts', scope: { kind: 'ZONE', zoneId: 74 }, granularity: 'DAY', span: ['2022-11-07', '2023-02-26'] },
    ]);
  });

  it('answers what the library forecasts from the same counts, for the hours asked', async () => {
    // Prepare
    const reader = new InMemoryInsightsReader().addTrips(trips);
    const items = await reader.readHourCounts({ kind: 'BOROUGH', borough: 'MANHATTAN' }, ['2022-01-01', '2023-12-31']);

    // Act
    const forecast = await new InsightsQueries(reader).demandForecast({ from: '2023-02-27T06:00:00', hours: 5, borough: 'MANHATTAN' });

    // Assess
    expect(forecast).toEqual(forecastDemand(pastCountsBefore(ms('2023-02-27T06:00:00'), items), 5));
    expect(forecast.hours.map((hour) => hour.hourStartMs)).toEqual(
      [6, 7, 8, 9, 10].map((hour) => ms(`2023-02-27T${String(hour).padStart(2, '0')}:00:00`)),
    );
    expect(forecast.quality).toBe('OK');
  });

  it('answers "no history" for a scope without trips before `from`, not an error', async () => {
    const forecast = await new InsightsQueries(new InMemoryInsightsReader().addTrips(trips)).demandForecast({
      from: '2023-02-27T08:00:00',
      zoneId: 1,
    });
    expect(forecast).toMatchObject({ hours: [], history: null, quality: 'NO_HISTORY' });
  });
});

describe('demandPressure', () => {
  const trips = fourWeeksOfTrips();

  it("reads the flow items of at's hour on the 112 days before, by key: at most 120 items", async () => {
    // Prepare
    const reader = new InMemoryInsightsReader().addTrips(trips);

    // Act
    await new InsightsQueries(reader).demandPressure({ at: '2023-02-27T18:00:00' });

    // Assess
    expect(reader.flowHourReads).toEqual([pressureHistoryHourKeys(ms('2023-02-27T18:00:00'))]);
    expect(reader.flowHourReads[0].length).toBeLessThanOrEqual(120);
    expect(reader.reads).toEqual([]);
  });

  it('answers what the library computes from the same flow counts, in the borough asked', async () => {
    // Prepare
    const reader = new InMemoryInsightsReader().addTrips(trips);
    const atMs = ms('2023-02-27T12:00:00');
    const flows = await reader.readFlowHours(pressureHistoryHourKeys(atMs));

    // Act
    const pressure = await new InsightsQueries(reader).demandPressure({ at: '2023-02-27T12:00:00', borough: 'QUEENS', limit: 5 });

    // Assess
    expect(pressure).toEqual(computeDemandPressure(atMs, flows, { borough: 'QUEENS', limit: 5 }));
    expect(pressure.zones.map((zone) => zone.zoneId)).toEqual([132]);
    expect(pressure.zones[0].expectedPickups).toBeGreaterThan(0.5);
  });

  it('answers "no history" without zones when no trips came before `at`', async () => {
    const pressure = await new InsightsQueries(new InMemoryInsightsReader().addTrips(trips)).demandPressure({ at: '2023-01-02T08:00:00' });
    expect(pressure).toMatchObject({ zones: [], history: null, quality: 'NO_HISTORY' });
  });
});
