/**
 * A Lambda-like invocation context, so that handlers (and Powertools-style loggers) that read the
 * request id, the function name or the remaining time behave locally as they do on AWS.
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/** The account id the local runtime puts into ARNs (the emulators accept any). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LambdaContextOptions {
  readonly functionName: string;
  readonly region: string;
  /** The timeout the function would have on AWS: only feeds getRemainingTimeInMillis(). */
  readonly timeoutMs: number;
  readonly memoryLimitInMB?: number;
}

/**
 * Builds a fresh context for one invocation: a new request id and a deadline starting now. The
 * deprecated done/fail/succeed callbacks are not supported: handlers are async functions here.
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const deadline = Date.now() + options.timeoutMs;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is deprecated and not supported by the local runtime`);
  };
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${today}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
