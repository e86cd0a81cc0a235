/**
 * How API Gateway's HTTP API turns a Lambda result (payload format 2.0) into an HTTP response.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { OutgoingHttpHeaders } from 'node:http';
import { LocalRuntimeError } from '../errors';

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** The handler returned something API Gateway would answer with a 500. */
export class MalformedResultError extends LocalRuntimeError {
  override name = 'MalformedResultError';
}

/**
 * Maps a handler result by API Gateway's rules: a string is a 200 JSON body; an object without
 * `statusCode` is serialised whole as a 200 JSON body; otherwise statusCode, headers, cookies (as
 * set-cookie) and body (decoded when isBase64Encoded) are taken as given.
 */
export function toHttpResponse(result: APIGatewayProxyResultV2<unknown>): HttpResponse {
  if (typeof result === 'string') return json(200, result);
  if (result === null || result === undefined) return json(200, '');
  if (typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
    return json(200, JSON.stringify(result));
  }
  const structured = result as {
    statusCode?: unknown;
    headers?: unknown;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const { statusCode } = structured;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new MalformedResultError(`statusCode ${String(statusCode)} is not an HTTP status`);
  }
  if (structured.body !== undefined && typeof structured.body !== 'string') {
    throw new MalformedResultError('body must be a string');
  }
  const headers: OutgoingHttpHeaders = {};
  if (structured.headers !== undefined && structured.headers !== null) {
    if (typeof structured.headers !== 'object') throw new MalformedResultError('headers must be an object');
    for (const [name, value] of Object.entries(structured.headers)) headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(structured.cookies) && structured.cookies.length > 0) {
    headers['set-cookie'] = structured.cookies.map(String);
  }
  const text = structured.body ?? '';
  const body = structured.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  // The handler's content-length may be stale (e.g. after base64 decoding): node sets the real one.
  delete headers['content-length'];
  return { statusCode, headers, body };
}

function json(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
}
