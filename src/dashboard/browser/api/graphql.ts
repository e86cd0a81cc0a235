/**
 * The page's GraphQL client: POST { query, variables } to the stack's /graphql with the read key in
 * the `x-api-key` header, as any client of the API does. Failures are sorted into what the page tells
 * its user: the key was refused, the stack does not answer, or the query itself failed.
 *
 * (src/cli/api-client/graphql-client.ts is the Node client; it imports the key check of src/serve,
 * which a browser bundle cannot carry, hence this small one.)
 */

/** The header that carries the API key (the same as src/serve/api-keys.ts; a unit test keeps them equal). */
export const API_KEY_HEADER = 'x-api-key';

/** An error entry of a GraphQL answer. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

export class DashboardApiError extends Error {
  override name = 'DashboardApiError';
}

/** The API refused the key: unknown (`UNAUTHENTICATED`) or not a read key (`FORBIDDEN`). */
export class KeyRejectedError extends DashboardApiError {
  override name = 'KeyRejectedError';
  constructor(
    readonly reason: 'unknown-key' | 'not-a-read-key',
    message: string,
  ) {
    super(message);
  }
}

/** Nothing answered, or a gateway answered that the API behind it did not (502, 503, 504). */
export class ApiUnreachableError extends DashboardApiError {
  override name = 'ApiUnreachableError';
}

/** The API answered the query with errors (bad input, a field it does not have, an internal error). */
export class QueryFailedError extends DashboardApiError {
  override name = 'QueryFailedError';
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLErrorEntry[],
  ) {
    super(errors.length > 0 ? errors.map((error) => error.message).join('; ') : `the API answered HTTP ${status} without data`);
  }

  /** The first error's code, e.g. `BAD_USER_INPUT` or `GRAPHQL_VALIDATION_FAILED`. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface QueryOptions {
  readonly signal?: AbortSignal;
}

/** Sends queries to one endpoint with the key `readKey()` returns at the time of the call. */
export class GraphQLClient {
  constructor(
    readonly endpoint: string,
    private readonly readKey: () => string,
    private readonly timeoutMs = 20_000,
  ) {}

  /** The `data` of the answer; throws KeyRejectedError, ApiUnreachableError or QueryFailedError. */
  async query<T>(query: string, variables: Record<string, unknown> = {}, options: QueryOptions = {}): Promise<T> {
    const signals = [AbortSignal.timeout(this.timeoutMs), options.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', [API_KEY_HEADER]: this.readKey() },
        body: JSON.stringify({ query, variables }),
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      });
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiUnreachableError(`no answer from ${this.endpoint} (${error instanceof Error ? error.message : String(error)})`);
    }
    const body = parseJson(text) as { data?: T | null; errors?: GraphQLErrorEntry[] } | undefined;
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    const code = errors[0]?.extensions?.code;
    if (response.status === 401 || code === 'UNAUTHENTICATED') {
      throw new KeyRejectedError('unknown-key', 'The API does not know this key.');
    }
    if (response.status === 403 || code === 'FORBIDDEN') {
      throw new KeyRejectedError('not-a-read-key', 'This key may not query: the dashboard needs a read key (not an ingest key).');
    }
    if (body === undefined && [502, 503, 504].includes(response.status)) {
      throw new ApiUnreachableError(`${this.endpoint} answered HTTP ${response.status}`);
    }
    if (!response.ok || errors.length > 0 || body?.data === undefined || body.data === null) {
      throw new QueryFailedError(response.status, errors);
    }
    return body.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
