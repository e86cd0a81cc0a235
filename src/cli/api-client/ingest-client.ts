/**
 * One `ingestTrips` call over HTTP (graphql-client.ts), retried on what retrying can fix. Retrying
 * is safe because replayed trips carry deterministic tripIds: the pipeline counts a tripId once.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { TripSubmission } from '../../domain/trip';
import { INGEST_TRIPS_MUTATION } from './api-queries';
import { GraphQLUnreachableError, postGraphQL, type GraphQLErrorEntry, type GraphQLHttpAnswer } from './graphql-client';
import {
  IngestEndpointUnavailableError,
  IngestGraphQLError,
  IngestHttpStatusError,
  IngestResponseShapeError,
  type GraphQLErrorReport,
} from './ingest-errors';

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
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

function retryAfterMs(headers: Headers): number | undefined {
  const header = headers.get('retry-after');
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

function reportsOf(errors: readonly GraphQLErrorEntry[] | undefined): GraphQLErrorReport[] | undefined {
  return errors?.map(({ message, extensions }) => ({ message, code: typeof extensions?.code === 'string' ? extensions.code : undefined }));
}

function ingestAnswerOf(endpoint: string, reply: GraphQLHttpAnswer<{ ingestTrips?: unknown }>): IngestAnswer {
  const answer = reply.data?.ingestTrips as Partial<IngestAnswer> | undefined;
  if (!answer || typeof answer.accepted !== 'number' || !Array.isArray(answer.rejected)) {
    throw new IngestResponseShapeError(endpoint, `no data.ingestTrips { accepted rejected } in ${JSON.stringify(reply.bodyExcerpt)}`);
  }
  return { accepted: answer.accepted, rejected: answer.rejected };
}

/** Error codes the API uses for passing failures: the same call can succeed later (it is idempotent). */
const RETRYABLE_GRAPHQL_CODES = new Set(['STREAM_UNAVAILABLE']);

type Attempt = { answer: IngestAnswer } | { retryable: string; cause?: unknown; waitMs?: number };

async function attemptOnce(trips: readonly TripSubmission[], options: IngestCallOptions, timeoutMs: number): Promise<Attempt> {
  const { endpoint, signal } = options;
  let reply: GraphQLHttpAnswer<{ ingestTrips?: unknown }>;
  try {
    reply = await postGraphQL(
      endpoint,
      { query: INGEST_TRIPS_MUTATION, variables: { trips } },
      { headers: options.headers, signal, timeoutMs },
    );
  } catch (error) {
    signal?.throwIfAborted();
    if (!(error instanceof GraphQLUnreachableError)) throw error;
    return { retryable: error.reason, cause: error.cause };
  }
  const errors = reportsOf(reply.errors);
  if (reply.status === 429 || reply.status >= 500) {
    const detail = errors ? `: ${errors.map((error) => error.message).join('; ')}` : '';
    return { retryable: `HTTP ${reply.status}${detail}`, waitMs: retryAfterMs(reply.headers) };
  }
  if (errors?.some((error) => error.code && RETRYABLE_GRAPHQL_CODES.has(error.code))) {
    return { retryable: errors.map((error) => `${error.code}: ${error.message}`).join('; ') };
  }
  if (errors) throw new IngestGraphQLError(endpoint, reply.status, errors);
  if (!reply.ok) throw new IngestHttpStatusError(endpoint, reply.status, reply.bodyExcerpt);
  return { answer: ingestAnswerOf(endpoint, reply) };
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
export async function probeEndpoint(
  endpoint: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<void> {
  try {
    await postGraphQL(endpoint, { query: '{ __typename }' }, { headers: options.headers, timeoutMs: options.timeoutMs ?? 5_000 });
  } catch (error) {
    if (!(error instanceof GraphQLUnreachableError)) throw error;
    throw new IngestEndpointUnavailableError(endpoint, 1, error.reason, { cause: error.cause });
  }
}
