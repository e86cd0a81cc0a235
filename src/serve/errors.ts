/**
 * Errors at the GraphQL boundary: a code set carried in `extensions.code`, and the mapping that
 * keeps internals (stacks, SDK messages) away from clients.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { IngestError } from '../ingest/ingest-trips';
import { PublishError } from '../ingest/publisher';
import { withReadableStack } from '../stack-traces';

export const ERROR_CODES = {
  badUserInput: 'BAD_USER_INPUT',
  tooManyTrips: 'TOO_MANY_TRIPS',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  streamUnavailable: 'STREAM_UNAVAILABLE',
  /** Over the read budget of one request (src/serve/operation-limits.ts). */
  queryTooCostly: 'QUERY_TOO_COSTLY',
  /** Over a shape limit: aliases, root fields or depth (src/serve/operation-limits.ts). */
  queryTooComplex: 'QUERY_TOO_COMPLEX',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

/** A client mistake in a query's arguments, naming the argument. */
export function badUserInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ERROR_CODES.badUserInput, argument } });
}

/** Apollo's codes for errors it raises itself before resolvers run; they are safe to show. */
const APOLLO_CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** What error formatting logs through: the error method of the handler's Powertools Logger. */
export interface ErrorLogger {
  error(message: string, extra: { error: unknown }): void;
}

/**
 * Apollo `formatError` (with the logger bound): our GraphQLErrors and Apollo's own client errors pass;
 * domain errors get their code; anything else becomes a generic internal error (the original is
 * logged through `logger`, never sent).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, logger: ErrorLogger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (original instanceof IngestError) {
    return { message: original.message, path: formatted.path, extensions: { code: ERROR_CODES.tooManyTrips } };
  }
  if (original instanceof PublishError) {
    logger.error('publish failed', { error: withReadableStack(original) });
    return {
      message: 'the trip stream did not accept the trips; retry the call (it is idempotent)',
      path: formatted.path,
      extensions: { code: ERROR_CODES.streamUnavailable },
    };
  }
  if (original instanceof GraphQLError && typeof code === 'string' && code !== ERROR_CODES.internal) {
    const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  if (typeof code === 'string' && APOLLO_CLIENT_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  // Apollo raises a few client errors without a code, only an HTTP status (e.g. a persisted query
  // whose hash does not match its text): they are the client's, not ours.
  if (original instanceof GraphQLError && isClientStatus(original.extensions.http)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_REQUEST' } };
  }
  logger.error('unexpected error in a resolver', { error: withReadableStack(original) });
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ERROR_CODES.internal } };
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
