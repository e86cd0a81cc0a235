/**
 * The few GraphQL queries `npm run chaos` asks the stack, over plain HTTP with a read key, as any
 * analyst's client would.
 */
import { GraphQLCallError, queryGraphQL } from '../../src/cli/api-client/graphql-client';
import { ChaosApiError } from './chaos-errors';

export interface IngestionCountsAnswer {
  acceptedTrips: number;
  duplicateTrips: number;
  rejectedTrips: number;
  poisonRecords: number;
}

// Exactly the counts above (not api-queries' INGESTION_COUNTS_QUERY): callers compare the whole answer.
const COUNTS_QUERY = '{ ingestionCounts { acceptedTrips duplicateTrips rejectedTrips poisonRecords } }';
const QUERY_TIMEOUT_MS = 30_000;

export class ApiClient {
  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** The `data` of a query; throws ChaosApiError when the API fails it. */
  async query<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    try {
      return await queryGraphQL<T>(this.endpoint, { query, variables }, { headers: this.headers, timeoutMs: QUERY_TIMEOUT_MS });
    } catch (error) {
      // A ChaosError is reported by its message alone (chaos-cli.ts); the call's error stays the cause.
      throw error instanceof GraphQLCallError ? new ChaosApiError(error.message, { cause: error }) : error;
    }
  }

  async ingestionCounts(): Promise<IngestionCountsAnswer> {
    return (await this.query<{ ingestionCounts: IngestionCountsAnswer }>(COUNTS_QUERY)).ingestionCounts;
  }
}
