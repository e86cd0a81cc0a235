import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getIntrospectionQuery, GraphQLError } from 'graphql';
import { OPERATION_LIMITS, shapeLimitBroken } from '../../../src/serve/operation-limits';
import { documentTextOf, gateRequest } from '../../../src/serve/request-gate';
import { parse } from 'graphql';

/** A payload-v2 event of a POST with a JSON body, or a GET with a query string. */
function event(
  method: 'GET' | 'POST',
  payload: { body?: string; rawQueryString?: string; isBase64Encoded?: boolean },
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/graphql',
    rawQueryString: payload.rawQueryString ?? '',
    headers: {},
    requestContext: { http: { method } } as APIGatewayProxyEventV2['requestContext'],
    body: payload.body,
    isBase64Encoded: payload.isBase64Encoded ?? false,
  };
}
const post = (query: unknown) => event('POST', { body: JSON.stringify({ query }) });

/** The code and limit of what gateRequest throws, or undefined when it lets the request through. */
function refusal(request: APIGatewayProxyEventV2, roles: Array<'read' | 'ingest'> = ['read']) {
  try {
    gateRequest(request, roles);
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return {
      code: error.extensions.code,
      limit: error.extensions.limit,
      status: (error.extensions.http as { status: number }).status,
      message: error.message,
    };
  }
}

const TRIP =
  '{ tripId: "trip-0000000001", vendorId: 2, pickupAt: "2023-02-01T08:15:00", dropoffAt: "2023-02-01T08:35:00", pickupZoneId: 74, dropoffZoneId: 75, passengerCount: 1, rateCodeId: 1, paymentType: 1, tripDistanceMiles: 2.5, fareAmount: 12.5, tipAmount: 2, tollsAmount: 0, totalAmount: 16 }';
const aliases = (count: number, field = 'zones { id }') => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('gateRequest', () => {
  it('refuses a request without a known key with 401 before looking at its document', () => {
    expect(refusal(post('{ zones { id } }'), [])).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      message: expect.stringContaining('x-api-key'),
    });
  });

  it('lets through a 500-trip ingestTrips written inline with every field, and the standard introspection query', () => {
    // Prepare
    const mutation = `mutation { ingestTrips(trips: [${Array(500).fill(TRIP).join(', ')}]) { accepted rejected { index tripId reason field message } } }`;

    // Act / Assess
    expect(refusal(post(mutation), ['ingest'])).toBeUndefined();
    expect(refusal(post(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true })))).toBeUndefined();
  });

  it.each([
    ['too many aliases', `{ zones { ${aliases(OPERATION_LIMITS.maxAliases + 1, 'id')} } }`, 'aliases'],
    ['too many root fields', `{ ${aliases(OPERATION_LIMITS.maxQueryRootFields + 1)} }`, 'rootFields'],
    ['two mutation fields', 'mutation { a: ingestTrips(trips: []) { accepted } b: ingestTrips(trips: []) { accepted } }', 'rootFields'],
    ['too deep', `{ __schema { types { ${'fields { type { '.repeat(7)}name${' } }'.repeat(7)} } } }`, 'depth'],
    [
      'aliases multiplied by nested fragments',
      `{ ...F3 } fragment F3 on Query { ...F2 ...F2 } fragment F2 on Query { ...F1 ...F1 } fragment F1 on Query { zones { ${aliases(8, 'id')} } }`,
      'aliases',
    ],
  ])('refuses %s with 400 QUERY_TOO_COMPLEX naming the limit', (_, query, limit) => {
    expect(refusal(post(query))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, status: 400 });
  });

  it('checks the query of a GET and of a base64 body', () => {
    // Prepare
    const query = `{ ${aliases(OPERATION_LIMITS.maxQueryRootFields + 1)} }`;
    const get = event('GET', { rawQueryString: new URLSearchParams({ query }).toString() });
    const base64 = event('POST', { body: Buffer.from(JSON.stringify({ query })).toString('base64'), isBase64Encoded: true });

    // Act / Assess
    expect(refusal(get)).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(refusal(base64)).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('leaves to Apollo what it answers itself: syntax errors, batches, persisted-query hashes, other bodies', () => {
    expect(refusal(post('{ zones { id '))).toBeUndefined();
    expect(refusal(event('POST', { body: JSON.stringify([{ query: '{ zones { id } }' }]) }))).toBeUndefined();
    expect(refusal(event('POST', { body: '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}' }))).toBeUndefined();
    expect(refusal(event('POST', { body: 'not json' }))).toBeUndefined();
    expect(refusal(post(42))).toBeUndefined();
  });
});

describe('documentTextOf', () => {
  it('reads the query of a GET or of a JSON body', () => {
    expect(documentTextOf(event('GET', { rawQueryString: 'query=%7B%20zones%20%7B%20id%20%7D%20%7D&variables=%7B%7D' }))).toBe(
      '{ zones { id } }',
    );
    expect(documentTextOf(post('{ zones { id } }'))).toBe('{ zones { id } }');
    expect(documentTextOf(event('POST', {}))).toBeUndefined();
  });
});

describe('shapeLimitBroken', () => {
  it('measures fragments that spread themselves or do not exist without failing (validation refuses them)', () => {
    expect(shapeLimitBroken(parse('{ ...A ...Missing } fragment A on Query { ...A zones { id } }'))).toBeUndefined();
  });

  it('counts depth through fragments', () => {
    // Prepare
    const deep = `{ __schema { ...T } } fragment T on __Schema { types { ${'fields { type { '.repeat(7)}name${' } }'.repeat(7)} } }`;

    // Act / Assess
    expect(shapeLimitBroken(parse(deep))?.extensions).toMatchObject({ limit: 'depth', value: 17 });
  });
});
