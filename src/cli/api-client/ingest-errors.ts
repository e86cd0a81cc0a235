/**
 * Why an `ingestTrips` call failed for good. Every message names the endpoint, so a user sees at once
 * which stack they were talking to. Transient failures never surface here until retries are spent.
 */

import { GraphQLCallError } from './graphql-client';

/** The base of every failed `ingestTrips` call. */
export class IngestCallError extends GraphQLCallError {
  override name = 'IngestCallError';
}

/** Network errors, timeouts, HTTP 5xx or 429 on every attempt: the stack is down, unreachable or overloaded. */
export class IngestEndpointUnavailableError extends IngestCallError {
  override name = 'IngestEndpointUnavailableError';
  constructor(
    endpoint: string,
    readonly attempts: number,
    readonly lastFailure: string,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `${endpoint} is unavailable after ${attempts} attempt(s); last failure: ${lastFailure}`, options);
  }
}

/** One GraphQL error as the API reports it: its message and `extensions.code`. */
export interface GraphQLErrorReport {
  message: string;
  code?: string;
}

/** The API answered with `errors[]`: the call was refused as a whole (bad input, auth, server bug). */
export class IngestGraphQLError extends IngestCallError {
  override name = 'IngestGraphQLError';
  constructor(
    endpoint: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorReport[],
  ) {
    super(
      endpoint,
      `${endpoint} answered ingestTrips with GraphQL error(s) (HTTP ${status}): ` +
        errors.map((error) => (error.code ? `[${error.code}] ${error.message}` : error.message)).join('; '),
    );
  }
}

/** An HTTP status that retrying cannot fix (404 wrong path, 401/403 missing key...) without a GraphQL body. */
export class IngestHttpStatusError extends IngestCallError {
  override name = 'IngestHttpStatusError';
  constructor(
    endpoint: string,
    readonly status: number,
    readonly bodyExcerpt: string,
  ) {
    super(endpoint, `${endpoint} answered HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''} (is it the GraphQL endpoint?)`);
  }
}

/** A 2xx answer that is not an `IngestResult`: probably not a taxi-pulse endpoint. */
export class IngestResponseShapeError extends IngestCallError {
  override name = 'IngestResponseShapeError';
  constructor(endpoint: string, detail: string, options?: { cause?: unknown }) {
    super(endpoint, `${endpoint} gave an unexpected answer to ingestTrips: ${detail}`, options);
  }
}
