/**
 * A minimal GraphQL-over-HTTP client for tests: what any client of the API would send.
 */
export interface GraphQLResponse<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

/** The header that carries an API key. */
export function withKey(key: string): Record<string, string> {
  return { 'x-api-key': key };
}

export async function graphql<T = Record<string, unknown>>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse<T>['errors'] };
  return { status: response.status, ...body };
}

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

export const INGESTION_COUNTS_QUERY = `{
  ingestionCounts { acceptedTrips duplicateTrips rejectedTrips poisonRecords rejectedByReason { reason trips } }
}`;
