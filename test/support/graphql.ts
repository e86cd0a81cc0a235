/**
 * The tests' GraphQL client: the project's own (src/cli/api-client/graphql-client.ts), what any client of the
 * API would send, called the way the tests read best.
 */
import { apiKeyHeader, postGraphQL, type GraphQLAnswer } from '../../src/cli/api-client/graphql-client';

/** The header that carries an API key. */
export const withKey = apiKeyHeader;

/** Posts `query` with `variables`; resolves with the status, data and errors, whatever they are. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<T>> {
  return postGraphQL<T>(url, { query, variables }, { headers });
}
