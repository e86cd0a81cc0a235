/**
 * One `ingestTrips` call over HTTP (Node's global fetch), retried on what retrying can fix. Retrying
 * is safe because replayed trips carry deterministic tripIds: the pipeline counts a tripId once.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { TripSubmission } from '../domain/trip';
import {
  IngestEndpointUnavailableError,
  IngestGraphQLError,
  IngestHttpStatusError,
  IngestResponseShapeError,
  type GraphQLErrorReport,
} from './ingest-errors';

export const INGEST_TRIPS_MUTATION =
  'mutation($trips:[TripInput!]!){ ingestTrips(trips:$trips){ accepted rejected { index tripId reason field message } } }';

export interface IngestRejection {
  index: number;
  tripId: string;
  reason: string;
  field: string;
  message: string;
}

/** The API's `IngestResult`. */
export interface IngestAnswer {
  accepted: number;
  rejected: IngestRejection[];
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt taking longer than this is abandoned and retried. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000, attemptTimeoutMs: 60_000 };

export interface IngestCallOptions {
  endpoint: string;
  headers?: Record<string, string>;
  /** Aborting stops the call and any wait between attempts; the signal's reason is thrown. */
  signal?: AbortSignal;
  retry?: RetryPolicy;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

// A server asking for a longer pause is obeyed, within reason.
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The pause before retry number `attempt` (1 for the first retry): "full jitter", a uniform draw in
 * [0, min(maxDelay, base * 2^(attempt-1))), so that several replays hitting a struggling stack do not
 * retry in lock-step.
 */
export function backoffDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

// Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm (undici, test VMs).
function describeNetworkError(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  if (typeof message !== 'string') return String(error);
  // fetch() reports 'fetch failed' and hides the useful part (ECONNREFUSED...) in its cause.
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

function graphQLErrorsOf(body: unknown): GraphQLErrorReport[] | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((error: { message?: unknown; extensions?: { code?: unknown } }) => ({
    message: typeof error?.message === 'string' ? error.message : JSON.stringify(error),
    code: typeof error?.extensions?.code === 'string' ? error.extensions.code : undefined,
  }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function ingestAnswerOf(endpoint: string, body: unknown, text: string): IngestAnswer {
  const answer = (body as { data?: { ingestTrips?: unknown } } | undefined)?.data?.ingestTrips as Partial<IngestAnswer> | undefined;
  if (!answer || typeof answer.accepted !== 'number' || !Array.isArray(answer.rejected)) {
    throw new IngestResponseShapeError(endpoint, `no data.ingestTrips { accepted rejected } in ${JSON.stringify(text.slice(0, 200))}`);
  }
  return { accepted: answer.accepted, rejected: answer.rejected };
}

/** Error codes the API uses for passing failures: the same call can succeed later (it is idempotent). */
const RETRYABLE_GRAPHQL_CODES = new Set(['STREAM_UNAVAILABLE']);

type Attempt = { answer: IngestAnswer } | { retryable: string; cause?: unknown; waitMs?: number };

async function attemptOnce(trips: readonly TripSubmission[], options: IngestCallOptions, timeoutMs: number): Promise<Attempt> {
  const { endpoint, signal } = options;
  const attemptSignal = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ query: INGEST_TRIPS_MUTATION, variables: { trips } }),
      signal: attemptSignal,
    });
    text = await response.text();
  } catch (error) {
    signal?.throwIfAborted();
    return { retryable: describeNetworkError(error), cause: error };
  }
  const body = parseJson(text);
  const errors = graphQLErrorsOf(body);
  if (response.status === 429 || response.status >= 500) {
    const detail = errors ? `: ${errors.map((error) => error.message).join('; ')}` : '';
    return { retryable: `HTTP ${response.status}${detail}`, waitMs: retryAfterMs(response) };
  }
  if (errors?.some((error) => error.code && RETRYABLE_GRAPHQL_CODES.has(error.code))) {
    return { retryable: errors.map((error) => `${error.code}: ${error.message}`).join('; ') };
  }
  if (errors) throw new IngestGraphQLError(endpoint, response.status, errors);
  if (!response.ok) throw new IngestHttpStatusError(endpoint, response.status, text.slice(0, 200));
  return { answer: ingestAnswerOf(endpoint, body, text) };
}

/**
 * Sends one batch of trips (at most 500, the API's limit) and returns the API's answer. Network
 * errors, timeouts, HTTP 429 and 5xx are retried with exponential backoff and full jitter (or the
 * server's Retry-After), up to `retry.maxAttempts`; then IngestEndpointUnavailableError. A GraphQL
 * `errors[]` answer is not retried (the same request would get the same answer), except the API's
 * STREAM_UNAVAILABLE, and is thrown as
 * IngestGraphQLError with each message and extensions.code.
 */
export async function postIngestTrips(trips: readonly TripSubmission[], options: IngestCallOptions): Promise<IngestAnswer> {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  let lastFailure = 'no attempt made';
  let lastCause: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    const outcome = await attemptOnce(trips, options, policy.attemptTimeoutMs);
    if ('answer' in outcome) return outcome.answer;
    lastFailure = outcome.retryable;
    lastCause = outcome.cause;
    if (attempt < policy.maxAttempts) {
      await sleepFor(outcome.waitMs ?? backoffDelayMs(attempt, policy, random), undefined, { signal: options.signal });
    }
  }
  throw new IngestEndpointUnavailableError(options.endpoint, policy.maxAttempts, lastFailure, { cause: lastCause });
}

/**
 * One quick request (`{ __typename }`, no retries) to tell "nothing listens there" apart from
 * everything else before a long replay starts. Only a network failure or timeout throws
 * (IngestEndpointUnavailableError); any HTTP answer means something is listening, and the replay's
 * own calls report what is wrong with it.
 */
export async function probeEndpoint(endpoint: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<void> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    await response.arrayBuffer();
  } catch (error) {
    throw new IngestEndpointUnavailableError(endpoint, 1, describeNetworkError(error), { cause: error });
  }
}
