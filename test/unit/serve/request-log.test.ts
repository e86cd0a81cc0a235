import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { currentRequestFacts, requestErrorLogger, withRequestLog, type RequestLogger } from '../../../src/serve/request-log';

function recordingLogger(): RequestLogger & { lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message, extra) => lines.push({ level: 'info', message, extra }),
    error: (message, extra) => lines.push({ level: 'error', message, extra }),
  };
}

const event = (requestId: string) =>
  ({
    requestContext: { requestId, http: { method: 'POST' } },
    headers: { 'x-api-key': 'tpr_secret-key-value' },
  }) as unknown as APIGatewayProxyEventV2;
const context = { awsRequestId: 'lambda-1' } as Context;

describe('withRequestLog', () => {
  it('logs one line per request with its facts, and errors logged meanwhile carry the same keys', async () => {
    // Prepare
    const logger = recordingLogger();
    const errors = requestErrorLogger(logger);
    let clock = 0;
    const handler = withRequestLog(
      async () => {
        const facts = currentRequestFacts()!;
        facts.operationName = 'Daily';
        facts.operationType = 'query';
        facts.estimatedItems = 28;
        errors.error('unexpected error in a resolver', { error: new Error('boom') });
        clock += 12.34;
        return { statusCode: 200, headers: { 'cache-control': 'private, max-age=5' }, body: '{"data":{}}' };
      },
      logger,
      () => clock,
    );

    // Act
    const result = await handler(event('req-1'), context);

    // Assess
    const keys = {
      requestId: 'req-1',
      lambdaRequestId: 'lambda-1',
      method: 'POST',
      operationName: 'Daily',
      operationType: 'query',
      estimatedItems: 28,
    };
    expect(logger.lines).toEqual([
      { level: 'error', message: 'unexpected error in a resolver', extra: { ...keys, error: expect.any(Error) } },
      { level: 'info', message: 'request', extra: { ...keys, status: 200, durationMs: 12.3, errorCodes: [] } },
    ]);
    expect(result.headers?.['cache-control']).toBe('private, max-age=5');
    expect(JSON.stringify(logger.lines)).not.toContain('tpr_secret-key-value');
  });

  it('makes an error answer no-store and logs its codes, and keeps concurrent requests apart', async () => {
    // Prepare
    const logger = recordingLogger();
    const handler = withRequestLog(async (incoming) => {
      await new Promise((resolve) => setTimeout(resolve, incoming.requestContext.requestId === 'slow' ? 20 : 1));
      currentRequestFacts()!.operationName = incoming.requestContext.requestId;
      return {
        statusCode: 400,
        headers: { 'cache-control': 'private, max-age=5' },
        body: '{"errors":[{"extensions":{"code":"QUERY_TOO_COSTLY"}}]}',
      };
    }, logger);

    // Act
    const [slow] = await Promise.all([handler(event('slow'), context), handler(event('fast'), context)]);

    // Assess
    expect(slow.headers?.['cache-control']).toBe('no-store');
    expect(logger.lines.map((line) => [line.extra.requestId, line.extra.operationName, line.extra.errorCodes])).toEqual([
      ['fast', 'fast', ['QUERY_TOO_COSTLY']],
      ['slow', 'slow', ['QUERY_TOO_COSTLY']],
    ]);
  });
});
