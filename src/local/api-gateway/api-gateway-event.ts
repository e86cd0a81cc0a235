/**
 * An HTTP request as API Gateway's HTTP API hands it to a Lambda integration (payload format 2.0),
 * so that the deployed API handler runs locally unchanged.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { IncomingMessage } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '../lambda-runtime/lambda-context';

// API Gateway passes these bodies as text; anything else is base64-encoded.
const TEXT_CONTENT_TYPE = /^(text\/|application\/(json|graphql|xml|javascript|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface RequestIdentity {
  /** API Gateway's request id (also returned as the `apigw-requestid` header). */
  readonly requestId: string;
  /** When the request arrived. */
  readonly receivedAt: Date;
}

/** The route a request matched: its key (`GET /assets/{proxy+}`) and path parameters; `$default` otherwise. */
export interface MatchedRoute {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

/**
 * Builds the payload-v2 event of a request and its (complete) body: the matched route, headers
 * lower-cased with repeated ones joined by commas, cookies split out of the `cookie` header, the
 * query both raw and parsed, and the body as text or base64 depending on its content type.
 */
export function toApiGatewayEvent(
  request: IncomingMessage,
  body: Buffer,
  identity: RequestIdentity,
  route: MatchedRoute = { routeKey: '$default' },
): APIGatewayProxyEventV2 {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const headers = lowerCasedHeaders(request);
  const cookies = headers.cookie?.split(/;\s*/).filter((cookie) => cookie.length > 0);
  delete headers.cookie;
  const host = headers.host ?? 'localhost';
  const isBase64Encoded = body.length > 0 && !isTextBody(headers);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: parseQuery(rawQueryString) } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0].split(':')[0],
      http: {
        method: request.method ?? 'GET',
        path: safeDecode(rawPath),
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: normaliseIp(request.socket.remoteAddress),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: identity.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: apiGatewayTime(identity.receivedAt),
      timeEpoch: identity.receivedAt.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString(isBase64Encoded ? 'base64' : 'utf8') } : {}),
    isBase64Encoded,
  };
}

function lowerCasedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  // rawHeaders keeps repeated headers apart; node would merge some and drop others.
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i].toLowerCase();
    const value = request.rawHeaders[i + 1];
    headers[name] = name in headers ? `${headers[name]}${name === 'cookie' ? '; ' : ','}${value}` : value;
  }
  return headers;
}

function isTextBody(headers: Record<string, string>): boolean {
  const contentEncoding = headers['content-encoding'];
  if (contentEncoding && contentEncoding !== 'identity') return false;
  return TEXT_CONTENT_TYPE.test(headers['content-type'] ?? '');
}

function parseQuery(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function normaliseIp(address: string | undefined): string {
  return address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '127.0.0.1');
}

/** API Gateway's `requestContext.time` format, e.g. `12/Mar/2020:19:03:58 +0000`. */
function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
