/**
 * GraphQL over HTTP as any client of the API speaks it: POST `{ query, variables }` as JSON with the
 * API key in its header, read the JSON answer. The replay, `npm run chaos`, the e2e tests and the
 * benchmarks all talk to the API through here, so they send what an analyst's client would and name
 * failures the same way.
 */
import { API_KEY_HEADER } from '../../serve/api-keys';

export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** One entry of a GraphQL `errors[]` as the API sends it (a `message` that is not a string is made one). */
export interface GraphQLErrorEntry {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** What the API answered: the HTTP status and, when the body is JSON, its `data` and `errors`. */
export interface GraphQLAnswer<T> {
  status: number;
  data?: T | null;
  /** Absent when empty. */
  errors?: GraphQLErrorEntry[];
}

/** An answer with what it takes to judge a failure. */
export interface GraphQLHttpAnswer<T> extends GraphQLAnswer<T> {
  /** A 2xx status. */
  ok: boolean;
  headers: Headers;
  /** The body's first 200 characters, for messages about an answer that is not GraphQL. */
  bodyExcerpt: string;
}

export interface GraphQLCallOptions {
  /** Sent after the JSON content headers; apiKeyHeader() makes the API key's. */
  readonly headers?: Record<string, string>;
  /** Aborting abandons the call (GraphQLUnreachableError; check the signal to tell). */
  readonly signal?: AbortSignal;
  /** A call taking longer is abandoned (GraphQLUnreachableError, reason `timed out`). */
  readonly timeoutMs?: number;
}

/** The base of every failed call; the message names the endpoint, never a stack or a client internal. */
export class GraphQLCallError extends Error {
  override name = 'GraphQLCallError';
  constructor(
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No answer: nothing listens, the connection broke, or the call timed out or was aborted. */
export class GraphQLUnreachableError extends GraphQLCallError {
  override name = 'GraphQLUnreachableError';
  constructor(
    endpoint: string,
    /** Short: `timed out`, `fetch failed (ECONNREFUSED)`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(endpoint, `${endpoint} did not answer: ${reason}`, options);
  }
}

/** An answer without the data asked for: GraphQL errors, or an HTTP failure. */
export class GraphQLAnswerError extends GraphQLCallError {
  override name = 'GraphQLAnswerError';
  constructor(
    endpoint: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorEntry[] = [],
  ) {
    super(
      endpoint,
      errors.length > 0
        ? `${endpoint} answered with GraphQL error(s) (HTTP ${status}): ${errors.map(describeError).join('; ')}`
        : `${endpoint} answered HTTP ${status} without data`,
    );
  }
}

const EXCERPT_LENGTH = 200;

/** The header that carries an API key. */
export function apiKeyHeader(key: string): Record<string, string> {
  return { [API_KEY_HEADER]: key };
}

/**
 * Sends one request and resolves with whatever the API answered, GraphQL errors and HTTP failures
 * included. `request` may come serialised already (the benchmarks keep JSON.stringify out of their
 * timings). Throws only GraphQLUnreachableError.
 */
export async function postGraphQL<T = Record<string, unknown>>(
  endpoint: string,
  request: GraphQLRequest | string,
  options: GraphQLCallOptions = {},
): Promise<GraphQLHttpAnswer<T>> {
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((signal) => signal !== undefined);
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: typeof request === 'string' ? request : JSON.stringify(request),
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    });
    text = await response.text();
  } catch (error) {
    throw new GraphQLUnreachableError(endpoint, describeNetworkError(error), { cause: error });
  }
  const body = parseJson(text) as { data?: T | null; errors?: unknown } | undefined;
  return {
    status: response.status,
    data: body?.data,
    errors: errorEntriesOf(body?.errors),
    ok: response.ok,
    headers: response.headers,
    bodyExcerpt: text.slice(0, EXCERPT_LENGTH),
  };
}

/**
 * The `data` of a query. Throws GraphQLUnreachableError when nothing answers, GraphQLAnswerError
 * when the answer carries errors, fails with an HTTP status or has no data.
 */
export async function queryGraphQL<T>(endpoint: string, request: GraphQLRequest, options: GraphQLCallOptions = {}): Promise<T> {
  const answer = await postGraphQL<T>(endpoint, request, options);
  if (!answer.ok || answer.errors || answer.data === undefined || answer.data === null) {
    throw new GraphQLAnswerError(endpoint, answer.status, answer.errors);
  }
  return answer.data;
}

function describeError(error: GraphQLErrorEntry): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
}

// Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm (undici, test VMs).
function describeNetworkError(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  if (typeof message !== 'string') return String(error);
  // fetch() reports 'fetch failed' and hides the useful part (ECONNREFUSED...) in its cause.
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorEntriesOf(errors: unknown): GraphQLErrorEntry[] | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((error: { message?: unknown } | null) =>
    typeof error?.message === 'string' ? (error as GraphQLErrorEntry) : { message: JSON.stringify(error) },
  );
}
