/**
 * What a request must pass before Apollo parses and validates it, checked while its context is built
 * (Apollo answers an error thrown there with its HTTP status, before any document work): a valid API
 * key, then the shape limits of its document. Validating a large document costs ten to thirty times
 * parsing it, so a document over the limits is refused after a parse of its own, never validated.
 * Which role the key needs depends on the operation, which the API-key plugin checks once it is known.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GraphQLError, parse } from 'graphql';
import { API_KEY_HEADER, type ApiRole } from './api-keys';
import { ERROR_CODES } from './errors';
import { OPERATION_LIMITS, shapeLimitBroken } from './operation-limits';

/** A request without a key we know. */
export function unauthenticated(needed?: ApiRole): GraphQLError {
  const what = needed ? `a ${needed} key` : 'a read key (queries) or an ingest key (ingestTrips)';
  return new GraphQLError(`missing or unknown API key: send ${what} in the ${API_KEY_HEADER} header`, {
    extensions: { code: ERROR_CODES.unauthenticated, http: { status: 401 } },
  });
}

/**
 * The GraphQL document text of a request: the `query` of a JSON body (POST) or of the query string
 * (GET). Undefined for anything else (a batch, a persisted-query hash alone, a body Apollo refuses):
 * Apollo answers those itself; a persisted query was checked when it was registered with its text.
 */
export function documentTextOf(event: APIGatewayProxyEventV2): string | undefined {
  if (event.requestContext?.http?.method === 'GET') {
    return new URLSearchParams(event.rawQueryString ?? '').get('query') ?? undefined;
  }
  if (!event.body) return undefined;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const body: unknown = JSON.parse(text);
    const query = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined;
    return typeof query === 'string' ? query : undefined;
  } catch {
    return undefined;
  }
}

/** Throws the client error that refuses the request (401, or 400 QUERY_TOO_COMPLEX), if any. */
export function gateRequest(event: APIGatewayProxyEventV2, roles: readonly ApiRole[]): void {
  if (roles.length === 0) throw unauthenticated();
  const text = documentTextOf(event);
  if (text === undefined) return;
  let document;
  try {
    document = parse(text, { maxTokens: OPERATION_LIMITS.maxTokens, noLocation: true });
  } catch {
    // A syntax error, or too many tokens: Apollo's own parse answers it as GRAPHQL_PARSE_FAILED.
    return;
  }
  const broken = shapeLimitBroken(document);
  if (broken) throw broken;
}
