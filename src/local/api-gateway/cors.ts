/**
 * CORS as API Gateway's HTTP API plays it when its corsPreflight settings are given (infra/stateless-
 * stack.ts): API Gateway answers every preflight itself (the Lambda never sees an OPTIONS request) and
 * adds the CORS headers to the integration's answers for allowed origins. Without allowed origins there
 * is no CORS configuration, and an OPTIONS request matches no route (404). The rules and the origins
 * come from src/api-edge-config.ts, as on AWS.
 */
import type { IncomingMessage } from 'node:http';
import { corsResponseHeaders, preflightHeaders } from '../../api-edge-config';
import type { HttpResponse } from './api-gateway-result';

/** API Gateway's answer to an OPTIONS request, or undefined for any other method. */
export function answerOptions(request: IncomingMessage, allowedOrigins: readonly string[]): HttpResponse | undefined {
  if (request.method !== 'OPTIONS') return undefined;
  if (allowedOrigins.length === 0) {
    return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Not Found"}') };
  }
  const headers = preflightHeaders(
    request.headers.origin,
    header(request, 'access-control-request-method'),
    header(request, 'access-control-request-headers'),
    allowedOrigins,
  );
  return { statusCode: 204, headers, body: Buffer.alloc(0) };
}

/** The CORS headers API Gateway adds to an answer for the request's origin (none when it is not allowed). */
export function corsHeadersFor(request: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> {
  return corsResponseHeaders(request.headers.origin, allowedOrigins);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
