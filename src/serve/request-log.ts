/**
 * One structured log line per API request, and the same context on every error logged while it runs.
 * The facts (operation, estimated cost, error codes) are gathered by the operation-policy plugin into
 * a per-request record held in an AsyncLocalStorage: the local stack serves requests concurrently in
 * one process, so a logger's persistent keys would mix them. No header is ever logged: keys travel
 * in one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Callback, Context } from 'aws-lambda';
import { NO_STORE } from './http-caching';

/** What is known of a request as it runs. */
export interface RequestFacts {
  /** API Gateway's request id (the `apigw-requestid` response header). */
  readonly requestId: string;
  /** The Lambda invocation's id. */
  readonly lambdaRequestId: string;
  readonly method: string;
  operationName?: string;
  operationType?: string;
  /** DynamoDB items the cost model expects the operation to read. */
  estimatedItems?: number;
  /** `extensions.code` of each error answered. */
  errorCodes: string[];
}

/** The logger calls used here: Powertools Logger's. */
export interface RequestLogger {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

const current = new AsyncLocalStorage<RequestFacts>();

/** The running request's facts, or undefined outside a request (e.g. Apollo's executeOperation in tests). */
export function currentRequestFacts(): RequestFacts | undefined {
  return current.getStore();
}

/** The keys every log line of a request carries. */
function logKeys(facts: RequestFacts): Record<string, unknown> {
  return {
    requestId: facts.requestId,
    lambdaRequestId: facts.lambdaRequestId,
    method: facts.method,
    operationName: facts.operationName,
    operationType: facts.operationType,
    estimatedItems: facts.estimatedItems,
  };
}

/** An error logger (for formatError) that adds the running request's keys to each entry. */
export function requestErrorLogger(logger: RequestLogger): { error(message: string, extra: { error: unknown }): void } {
  return {
    error: (message, extra) => {
      const facts = currentRequestFacts();
      logger.error(message, facts ? { ...logKeys(facts), ...extra } : extra);
    },
  };
}

type ApiLambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
  callback: Callback<APIGatewayProxyStructuredResultV2>,
) => void | Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps the API handler: runs it with a fresh facts record, makes every answer that is not a
 * successful query `no-store` unless the plugin set a policy, and logs one line when it answers.
 */
export function withRequestLog(handler: ApiLambdaHandler, logger: RequestLogger, now: () => number = performance.now.bind(performance)) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = now();
    const facts: RequestFacts = {
      requestId: event.requestContext?.requestId ?? 'unknown',
      lambdaRequestId: context?.awsRequestId ?? 'unknown',
      method: event.requestContext?.http?.method ?? 'unknown',
      errorCodes: [],
    };
    // Apollo's Lambda handler always answers through its promise, never through the callback.
    const result = (await current.run(facts, () => handler(event, context, () => undefined))) as APIGatewayProxyStructuredResultV2;
    const status = result.statusCode ?? 200;
    const headers = { ...result.headers };
    // Errors Apollo answers before its plugins run (bad JSON, a refused document) carry no policy.
    if (status !== 200 || headers['cache-control'] === undefined) headers['cache-control'] = NO_STORE;
    if (status >= 400 && facts.errorCodes.length === 0) facts.errorCodes.push(...errorCodesOf(result.body));
    logger.info('request', {
      ...logKeys(facts),
      status,
      durationMs: Math.round((now() - started) * 10) / 10,
      errorCodes: facts.errorCodes,
    });
    return { ...result, headers };
  };
}

/** The codes of a GraphQL error answer's body; none for a body that is not one. */
function errorCodesOf(body: string | undefined): string[] {
  try {
    const parsed = JSON.parse(body ?? '') as { errors?: Array<{ extensions?: { code?: unknown } }> };
    return (parsed.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
  } catch {
    return ['BAD_REQUEST'];
  }
}
