/**
 * Answers in the shape of the fields the API does not have yet (peakHours.byHourOfWeek, operations,
 * zoneFlows: issue 10; demandForecast: issue 13), for the browser test of the panels that draw them,
 * until those fields land and the panels can be checked against the real API. The browser's requests
 * for them are answered here (Playwright routing); every other request goes to the real stack.
 *
 * The numbers are made up but vary by zone, hour and bucket, so that a panel showing the wrong row or
 * column is caught. Field names and types follow the schema those issues fix.
 */
import type { Page, Route } from 'playwright-core';

export interface UpcomingAnswers {
  /** What was answered, by field, for the test to compare the panels' tables with. */
  readonly answered: Record<string, unknown>;
}

const PAYMENT_TYPES = ['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED'];

/** Answers the upcoming fields on `page` (and introspection, saying they exist); the rest goes through. */
export async function answerUpcomingFields(page: Page, zones: { id: number; name: string; borough: string }[]): Promise<UpcomingAnswers> {
  const answered: Record<string, unknown> = {};
  await page.route('**/graphql', async (route: Route) => {
    const request = route.request().postDataJSON() as { query: string; variables: Record<string, unknown> };
    const data = upcomingData(request.query, request.variables, zones);
    if (!data) return route.continue();
    Object.assign(answered, data);
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data }) });
  });
  return { answered };
}

function upcomingData(query: string, variables: Record<string, unknown>, zones: { id: number; name: string; borough: string }[]) {
  if (query.includes('__type')) {
    const fields = (names: string[]) => ({ fields: names.map((name) => ({ name })) });
    return {
      query: fields(['peakHours', 'fareTrend', 'ingestionCounts', 'zones', 'pipelineStatus', 'operations', 'zoneFlows', 'demandForecast']),
      peakHours: fields(['top', 'byHourOfDay', 'byHourOfWeek', 'totalTrips']),
    };
  }
  if (query.includes('byHourOfWeek')) {
    const byHourOfWeek = Array.from({ length: 168 }, (_, index) => ({
      dayOfWeek: Math.floor(index / 24) + 1,
      hourOfDay: index % 24,
      trips: ((index * 37) % 113) + (index % 24 >= 7 && index % 24 <= 19 ? 200 : 0),
    }));
    const top = [...byHourOfWeek]
      .sort((a, b) => b.trips - a.trips)
      .slice(0, 10)
      .map((cell, rank) => ({
        hourStart: `2019-03-${String(4 + cell.dayOfWeek - 1).padStart(2, '0')}T${String(cell.hourOfDay).padStart(2, '0')}:00:00-05:00`,
        trips: cell.trips - rank,
      }));
    return { peakHours: { totalTrips: byHourOfWeek.reduce((sum, cell) => sum + cell.trips, 0), top, byHourOfWeek } };
  }
  if (query.includes('zoneFlows(')) {
    const listed = [...zones.filter((zone) => zone.id % 3 !== 0), zones.find((zone) => zone.id === 264)!].filter(Boolean);
    const flows = listed.map((zone) => {
      const pickups = (zone.id * 7919) % 1500;
      const dropoffs = (zone.id * 104729) % 1400;
      return { zoneId: zone.id, zoneName: zone.name, borough: zone.borough, pickups, dropoffs, net: dropoffs - pickups };
    });
    const inBorough = variables.borough ? flows.filter((flow) => flow.borough === variables.borough) : flows;
    return {
      zoneFlows: {
        totalPickups: inBorough.reduce((sum, flow) => sum + flow.pickups, 0),
        totalDropoffs: inBorough.reduce((sum, flow) => sum + flow.dropoffs, 0),
        zones: inBorough,
      },
    };
  }
  if (query.includes('operations(')) {
    const days = 10;
    const buckets = Array.from({ length: days }, (_, index) => {
      const trips = 300 + index * 11;
      const mix = PAYMENT_TYPES.map((paymentType, type) => ({
        paymentType,
        trips: type === 1 ? trips - 60 - type : type === 2 ? 50 : type < 5 ? 3 : type === 5 ? 4 : 0,
      }));
      mix[1].trips = trips - mix.reduce((sum, entry, type) => (type === 1 ? sum : sum + entry.trips), 0);
      return {
        start: `2019-03-${String(index + 1).padStart(2, '0')}T00:00:00-05:00`,
        trips,
        revenue: trips * 17.25 + index,
        averageDurationMinutes: 14 + index / 10,
        medianDurationMinutes: 11 + index / 7,
        p90DurationMinutes: 27 + index / 3,
        averageSpeedMph: index === 3 ? null : 11.5 - index / 9,
        averagePassengers: index === 5 ? null : 1.3 + index / 100,
        paymentMix: mix,
        cardTipRate: 0.18 + index / 1000,
      };
    });
    return { operations: { granularity: variables.granularity, buckets } };
  }
  if (query.includes('demandForecast(')) {
    const hours = Number(variables.hours);
    const from = String(variables.from).slice(0, 10);
    const start = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
    const forecast = Array.from({ length: hours }, (_, index) => {
      const at = new Date(start + index * 3_600_000).toISOString().slice(0, 13);
      const expectedTrips = 20 + 15 * Math.sin((index / 24) * 2 * Math.PI);
      return { hourStart: `${at}:00:00-04:00`, expectedTrips, low: expectedTrips * 0.7, high: expectedTrips * 1.3 };
    });
    return {
      demandForecast: {
        method: 'seasonal-median',
        history: { from: '2019-02-01T00:00:00-05:00', to: `${from}T00:00:00-04:00` },
        hours: forecast,
      },
      actual: {
        buckets: forecast.filter((_, index) => index % 5 !== 0).map((hour, index) => ({ start: hour.hourStart, trips: 10 + (index % 30) })),
      },
    };
  }
  return undefined;
}
