/**
 * One `ingestTrips` call over HTTP (graphql-client.ts), retried on what retrying can fix. Retrying
 * is safe because replayed trips carry deterministic tripIds: the pipeline counts a tripId once.
 */
import type { TripSubmission } from '../../domain/trip';
import { withRetries } from '../../retry';
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

/** An attempt that failed in a way retrying can fix: no answer, HTTP 429 / 5xx, or STREAM_UNAVAILABLE. */
class RetryableAttemptError extends Error {
  override name = 'RetryableAttemptError';

  constructor(
    /** What went wrong, for IngestEndpointUnavailableError once the attempts are used up. */
    readonly failure: string,
    /** The pause the server asked for (Retry-After), if any. */
    readonly waitMs?: number,
    options?: ErrorOptions,
  ) {
    super(failure, options);
  }
}

async function attemptOnce(trips: readonly TripSubmission[], options: IngestCallOptions, timeoutMs: number): Promise<IngestAnswer> {
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
    throw new RetryableAttemptError(error.reason, undefined, { cause: error.cause });
  }
  const errors = reportsOf(reply.errors);
  if (reply.status === 429 || reply.status >= 500) {
    const detail = errors ? `: ${errors.map((error) => error.message).join('; ')}` : '';
    throw new RetryableAttemptError(`HTTP ${reply.status}${detail}`, retryAfterMs(reply.headers));
  }
  if (errors?.some((error) => error.code && RETRYABLE_GRAPHQL_CODES.has(error.code))) {
    throw new RetryableAttemptError(errors.map((error) => `${error.code}: ${error.message}`).join('; '));
  }
  if (errors) throw new IngestGraphQLError(endpoint, reply.status, errors);
  if (!reply.ok) throw new IngestHttpStatusError(endpoint, reply.status, reply.bodyExcerpt);
  return ingestAnswerOf(endpoint, reply);
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
  try {
    return await withRetries(() => attemptOnce(trips, options, policy.attemptTimeoutMs), {
      attempts: policy.maxAttempts,
      baseDelayMs: policy.baseDelayMs,
      maxDelayMs: policy.maxDelayMs,
      isRetryable: (error) => error instanceof RetryableAttemptError,
      requestedDelayMs: (error) => (error instanceof RetryableAttemptError ? error.waitMs : undefined),
      signal: options.signal,
      random: options.random,
    });
  } catch (error) {
    if (!(error instanceof RetryableAttemptError)) throw error;
    throw new IngestEndpointUnavailableError(options.endpoint, policy.maxAttempts, error.failure, { cause: error.cause });
  }
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
