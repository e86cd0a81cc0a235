/** The GraphQL documents the benchmarks send (the same the e2e tests send) and a minimal client. */
export const PEAK_HOURS_QUERY = `query($range: TimeRangeInput!, $zoneId: Int, $borough: Borough, $limit: Int) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: $limit) {
    top { hourStart trips }
    byHourOfDay { hourOfDay trips }
    totalTrips
  }
}`;

export const FARE_TREND_QUERY = `query($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  fareTrend(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    granularity
    buckets { start trips averageFare averageTotal averageTip averageFarePerMile medianFare p90Fare }
  }
}`;

export const INGEST_MUTATION =
  'mutation($trips:[TripInput!]!){ ingestTrips(trips:$trips){ accepted rejected { index tripId reason field message } } }';

export async function postGraphql<T = Record<string, unknown>>(url: string, body: string, apiKey: string): Promise<{ status: number; data?: T; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body });
  const parsed = (await response.json()) as { data?: T; errors?: unknown[] };
  return { status: response.status, ...parsed };
}
