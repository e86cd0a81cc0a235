import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { TooManyTripsError } from '../../../src/ingest/ingest-trips';
import { PublishError } from '../../../src/ingest/publisher';
import { badUserInput, ERROR_CODES, formatError, type ErrorLogger } from '../../../src/serve/errors';

/** A logger that keeps what it is given. */
function recordingLogger(): ErrorLogger & { entries: Array<{ message: string; error: unknown }> } {
  const entries: Array<{ message: string; error: unknown }> = [];
  return { entries, error: (message, { error }) => entries.push({ message, error }) };
}

/** What Apollo hands formatError for an error a resolver threw: the formatted error and the wrapping GraphQLError. */
function thrownByResolver(original: Error): [GraphQLFormattedError, unknown] {
  const wrapped = new GraphQLError(original.message, { path: ['peakHours'], originalError: original });
  const formatted = { message: original.message, path: ['peakHours'], extensions: { code: ERROR_CODES.internal, stacktrace: ['at x'] } };
  return [formatted, wrapped];
}

describe('formatError', () => {
  it('answers too many trips with its own code and message', () => {
    // Prepare
    const logger = recordingLogger();

    // Act
    const answer = formatError(...thrownByResolver(new TooManyTripsError(501)), logger);

    // Assess
    expect(answer).toEqual({ message: 'at most 500 trips per call, got 501', path: ['peakHours'], extensions: { code: 'TOO_MANY_TRIPS' } });
    expect(logger.entries).toEqual([]);
  });

  it('answers a publish failure as a retryable STREAM_UNAVAILABLE, and logs the failure without sending it', () => {
    // Prepare
    const logger = recordingLogger();

    // Act
    const answer = formatError(...thrownByResolver(new PublishError('3 records not written: InternalFailure')), logger);

    // Assess
    expect(answer.extensions).toEqual({ code: 'STREAM_UNAVAILABLE' });
    expect(answer.message).not.toContain('InternalFailure');
    expect(logger.entries).toEqual([
      { message: 'publish failed', error: expect.objectContaining({ message: '3 records not written: InternalFailure' }) },
    ]);
  });

  it('passes a client error of ours with its code and argument, without stack or HTTP details', () => {
    // Prepare
    const error = badUserInput('range.to must be after range.from', 'range.to');
    const formatted = {
      message: error.message,
      path: ['fareTrend'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'range.to', stacktrace: ['at y'], http: { status: 400 } },
    };

    // Act
    const answer = formatError(formatted, error, recordingLogger());

    // Assess
    expect(answer).toEqual({ message: error.message, path: ['fareTrend'], extensions: { code: 'BAD_USER_INPUT', argument: 'range.to' } });
  });

  it("passes Apollo's own client errors with only their code", () => {
    // Prepare
    const formatted = {
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at z'] },
    };

    // Act
    const answer = formatError(formatted, new GraphQLError(formatted.message), recordingLogger());

    // Assess
    expect(answer).toEqual({
      message: formatted.message,
      locations: formatted.locations,
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('hides anything else behind a generic internal error, and logs the original with its stack', () => {
    // Prepare
    const logger = recordingLogger();
    const secret = new Error('connect ECONNREFUSED 10.0.0.7:8000 (table taxi-pulse-prod)');

    // Act
    const answer = formatError(...thrownByResolver(secret), logger);

    // Assess
    expect(answer).toEqual({ message: 'Internal server error', path: ['peakHours'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(answer)).not.toContain('10.0.0.7');
    expect(logger.entries).toEqual([
      {
        message: 'unexpected error in a resolver',
        error: expect.objectContaining({ message: secret.message, stack: expect.stringContaining('Error:') }),
      },
    ]);
  });
});

describe('formatError of client errors Apollo raises without a code', () => {
  it('answers them as BAD_REQUEST with their message, and logs nothing', () => {
    // Prepare: what Apollo throws for a persisted query whose hash does not match its text.
    const logger = recordingLogger();
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400, headers: new Map() } } });
    const formatted = { message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };

    // Act
    const answer = formatError(formatted, error, logger);

    // Assess
    expect(answer).toEqual({
      message: 'provided sha does not match query',
      locations: undefined,
      path: undefined,
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(logger.entries).toEqual([]);
  });
});
