/**
 * The few GraphQL queries `npm run chaos` asks the stack, over plain HTTP with a read key, as any
 * analyst's client would.
 */
import { ChaosApiError } from './chaos-errors';

export const PEAK_HOURS_QUERY = `query($range: TimeRangeInput!, $zoneId: Int, $borough: Borough, $limit: Int) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: $limit) {
    top { hourStart trips }
    byHourOfDay { hourOfDay trips }
    totalTrips
  }
}`;

export const FARE_TREND_QUERY = `query($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  fareTrend(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    buckets { start trips averageFare averageTotal averageTip averageFarePerMile medianFare p90Fare }
  }
}`;

export const INGESTION_COUNTS_QUERY = `{ ingestionCounts { acceptedTrips duplicateTrips rejectedTrips poisonRecords } }`;

export interface IngestionCountsAnswer {
  acceptedTrips: number;
  duplicateTrips: number;
  rejectedTrips: number;
  poisonRecords: number;
}

const QUERY_TIMEOUT_MS = 30_000;

export class ApiClient {
  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** The `data` of a query; throws ChaosApiError when the API fails it. */
  async query<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ChaosApiError(`${this.endpoint} did not answer`, { cause: error });
    }
    const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: Array<{ message?: string }> } | undefined;
    if (!response.ok || !body?.data || body.errors?.length) {
      const reason = body?.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
      throw new ChaosApiError(`the API failed a query: ${reason}`);
    }
    return body.data;
  }

  async ingestionCounts(): Promise<IngestionCountsAnswer> {
    return (await this.query<{ ingestionCounts: IngestionCountsAnswer }>(INGESTION_COUNTS_QUERY)).ingestionCounts;
  }
}
