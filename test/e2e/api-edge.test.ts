/**
 * The API's edge through the running stack, over HTTP as clients speak it: GET for queries and never
 * for mutations, CSRF prevention, Cache-Control, persisted queries by GET under the same budget,
 * batches refused, the local landing page, and one log line per request that never holds a key.
 */
import { createHash } from 'node:crypto';
import type { LocalStack } from '../../src/local/local-stack';
import { INGEST_TRIPS_MUTATION, INGESTION_COUNTS_QUERY } from '../../src/cli/api-client/api-queries';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import { graphql } from '../support/graphql';

// The API's request log is INFO; the handler reads the level when the stack loads it.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';

let fixture: StackFixture;
let stack: LocalStack;
const written: string[] = [];
let stdoutSpy: jest.SpyInstance;

beforeAll(async () => {
  stdoutSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  fixture = await startStackFixture('api-edge');
  stack = fixture.stack;
  const trips = Array.from({ length: 20 }, (_, index) => ({
    tripId: `api-edge-${index}`,
    pickupAt: `2023-02-0${1 + (index % 5)}T0${index % 10}:15:00`,
    dropoffAt: `2023-02-0${1 + (index % 5)}T0${index % 10}:40:00`,
    pickupZoneId: 74,
    dropoffZoneId: 75,
    tripDistanceMiles: 2.5,
    fareAmount: 12.5,
    totalAmount: 16,
  }));
  await graphql(stack.graphqlUrl, INGEST_TRIPS_MUTATION, { trips }, fixture.ingestKey());
  await stack.waitForIdle({ timeoutMs: 60_000 });
});

afterAll(async () => {
  await fixture?.stop();
  stdoutSpy?.mockRestore();
});

const FEBRUARY_PEAK = '{ peakHours(range: { from: "2023-02-01", to: "2023-03-01" }, limit: 1) { totalTrips top { hourStart trips } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A GET of /graphql with these query-string parameters (objects as JSON) and headers. */
async function get(parameters: Record<string, unknown>, headers: Record<string, string> = fixture.readKey()) {
  const search = new URLSearchParams(
    Object.entries(parameters).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
  const response = await fetch(`${stack.graphqlUrl}?${search}`, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const codeOf = (body: Record<string, unknown>) =>
  (body.errors as Array<{ extensions: { code: string } }> | undefined)?.[0]?.extensions.code;

describe('GET and caching', () => {
  it('answers a query by GET as by POST, cacheable privately by key for an hour since February is settled', async () => {
    // Act
    const byGet = await get({ query: FEBRUARY_PEAK });
    const byPost = await graphql(stack.graphqlUrl, FEBRUARY_PEAK, undefined, fixture.readKey());

    // Assess
    expect(byGet.status).toBe(200);
    expect(byGet.body).toEqual({ data: byPost.data });
    expect((byGet.body.data as { peakHours: { totalTrips: number } }).peakHours.totalTrips).toBe(20);
    expect(byGet.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(byGet.headers.get('vary')).toContain('x-api-key');
  });

  it('refuses a mutation by GET with 405, and the trips are not taken', async () => {
    // Prepare
    const mutation =
      'mutation { ingestTrips(trips: [{ tripId: "by-get", pickupAt: "2023-02-01T08:00:00", dropoffAt: "2023-02-01T08:10:00", pickupZoneId: 74, dropoffZoneId: 75, tripDistanceMiles: 1, fareAmount: 5, totalAmount: 6 }]) { accepted } }';

    // Act
    const answer = await get({ query: mutation }, fixture.ingestKey());
    const counts = await graphql<{ ingestionCounts: { acceptedTrips: number } }>(
      stack.graphqlUrl,
      INGESTION_COUNTS_QUERY,
      undefined,
      fixture.readKey(),
    );

    // Assess
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(counts.data?.ingestionCounts.acceptedTrips).toBe(20);
  });

  it('keeps the CSRF protection: a GET a browser could send without a preflight is refused', async () => {
    // Act: no key and no preflight-forcing header, as an <img src> or a link would send it.
    const simpleGet = await get({ query: FEBRUARY_PEAK }, {});
    const simplePost = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: FEBRUARY_PEAK });

    // Assess
    expect(simpleGet.status).toBe(400);
    expect(JSON.stringify(simpleGet.body)).toContain('Cross-Site Request Forgery');
    expect(simplePost.status).toBe(400);
  });

  it('refuses a batch of operations', async () => {
    // Act
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...fixture.readKey() },
      body: JSON.stringify([{ query: FEBRUARY_PEAK }, { query: FEBRUARY_PEAK }]),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('automatic persisted queries by GET', () => {
  it('asks for an unknown hash, registers a query sent with its hash, then answers the hash alone', async () => {
    // Prepare
    const query = '{ zones { id } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    // Act
    const unknown = await get({ extensions });
    const registered = await get({ query, extensions });
    const byHash = await get({ extensions });

    // Assess
    expect(codeOf(unknown.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(registered.status).toBe(200);
    expect(byHash.body).toEqual(registered.body);
    expect(byHash.headers.get('cache-control')).toBe('private, max-age=86400');
  });

  it('holds a persisted query to the read budget with the variables of each call', async () => {
    // Prepare
    const query = `query Trend($range: TimeRangeInput!) { ${Array.from({ length: 8 }, (_, index) => `a${index}: fareTrend(range: $range, granularity: HOUR) { granularity }`).join(' ')} }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    // Act
    const oneDay = await get({ query, extensions, variables: { range: { from: '2023-02-01', to: '2023-02-02' } } });
    const february = await get({ extensions, variables: { range: { from: '2023-02-01', to: '2023-03-01' } } });

    // Assess
    expect(oneDay.status).toBe(200);
    expect(february.status).toBe(400);
    expect(codeOf(february.body)).toBe('QUERY_TOO_COSTLY');
  });

  it('never registers a query that is refused', async () => {
    // Prepare
    const query = `{ ${Array.from({ length: 8 }, (_, index) => `a${index}: fareTrend(range: { from: "2023-02-01", to: "2023-03-01" }, granularity: HOUR) { granularity }`).join(' ')} }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    // Act
    const refused = await get({ query, extensions });
    const byHash = await get({ extensions });

    // Assess
    expect(codeOf(refused.body)).toBe('QUERY_TOO_COSTLY');
    expect(codeOf(byHash.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('the local landing page', () => {
  it('serves Apollo Sandbox at GET /graphql to a browser, with the read key filled in', async () => {
    // Act
    const response = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(html).toContain(`"sharedHeaders":{"x-api-key":"${stack.apiKeys.read}"}`);
  });
});

describe('the request log', () => {
  /** The API's request lines written so far. */
  const requestLines = () =>
    written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.service === 'api' && entry.message === 'request');

  it('writes one structured line per request, with its id, operation, estimated cost and duration', async () => {
    // Act
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...fixture.readKey() },
      body: JSON.stringify({ query: `query LogMe ${FEBRUARY_PEAK}` }),
    });
    const refused = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ zones { id } }"}',
    });

    // Assess
    const requestId = response.headers.get('apigw-requestid');
    const lines = requestLines();
    expect(lines.filter((line) => line.requestId === requestId)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        method: 'POST',
        status: 200,
        operationName: 'LogMe',
        operationType: 'query',
        estimatedItems: 28,
        durationMs: expect.any(Number),
        errorCodes: [],
        lambdaRequestId: expect.any(String),
      }),
    ]);
    expect(lines.find((line) => line.requestId === refused.headers.get('apigw-requestid'))).toMatchObject({
      status: 401,
      errorCodes: ['UNAUTHENTICATED'],
    });
  });

  it('never writes a key, whatever the request', () => {
    // Assess: every request of this file carried a key in its header; none may show in the output.
    const output = written.join('');
    expect(requestLines().length).toBeGreaterThan(10);
    expect(output).not.toContain(stack.apiKeys.read);
    expect(output).not.toContain(stack.apiKeys.ingest);
  });
});

/**
 * The requests the README's BI recipes make ("Use it from BI tools"), as each tool sends them: the
 * tools cannot run here (no network), so the tests send their exact requests and check the answers
 * are the flat tables the tools turn into rows.
 */
describe('the BI recipes', () => {
  const DAILY_FARES =
    'query Daily($range: TimeRangeInput!) { fareTrend(range: $range, granularity: DAY) { buckets { start trips averageFare medianFare } } }';
  const FEBRUARY_RANGE = { range: { from: '2023-02-01', to: '2023-03-01' } };

  /** Rows of scalars, one per bucket: what a table, a CSV or a sheet takes as is. */
  function expectFlatRows(body: unknown) {
    const buckets = (body as { data: { fareTrend: { buckets: Array<Record<string, unknown>> } } }).data.fareTrend.buckets;
    expect(buckets.length).toBeGreaterThan(0);
    for (const row of buckets) {
      expect(Object.keys(row)).toEqual(['start', 'trips', 'averageFare', 'medianFare']);
      for (const value of Object.values(row)) expect(['string', 'number']).toContain(typeof value);
    }
  }

  it('Grafana Infinity (GraphQL): a JSON POST with the key as a custom header', async () => {
    // Act: the data source's proxy sends the query and variables as JSON, with its configured headers.
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Grafana/11.3.0', ...fixture.readKey() },
      body: JSON.stringify({ query: DAILY_FARES, variables: FEBRUARY_RANGE }),
    });

    // Assess: the root selector data.fareTrend.buckets gives the table.
    expect(response.status).toBe(200);
    expectFlatRows(await response.json());
  });

  it('Power BI and Excel (Power Query M, Web.Contents with Content): a POST with the key header', async () => {
    // Act: Web.Contents(url, [Headers = [#"x-api-key" = key, #"Content-Type" = "application/json"], Content = Text.ToBinary(body)])
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: {
        'user-agent': 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
        'content-type': 'application/json',
        ...fixture.readKey(),
      },
      body: JSON.stringify({ query: DAILY_FARES, variables: FEBRUARY_RANGE }),
    });

    // Assess
    expect(response.status).toBe(200);
    expectFlatRows(await response.json());
  });

  it('Google Sheets (Apps Script, UrlFetchApp.fetch with headers): a POST with the key header', async () => {
    // Act: UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json', headers: { 'x-api-key': key }, payload })
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (compatible; Google-Apps-Script)', ...fixture.readKey() },
      body: JSON.stringify({ query: DAILY_FARES, variables: FEBRUARY_RANGE }),
    });

    // Assess
    expect(response.status).toBe(200);
    expectFlatRows(await response.json());
  });

  it('curl GET: the query and variables in the query string, the key in a header', async () => {
    // Act: curl -G --data-urlencode query=... --data-urlencode variables=... -H "x-api-key: $READ_KEY"
    const answer = await get({ query: DAILY_FARES, variables: FEBRUARY_RANGE });

    // Assess
    expect(answer.status).toBe(200);
    expectFlatRows(answer.body);
  });

  it('Google Sheets IMPORTDATA (a GET without custom headers) is refused: use Apps Script instead', async () => {
    // Act: IMPORTDATA can only name a URL; a key in the URL would end up in logs and histories.
    const response = await fetch(
      `${stack.graphqlUrl}?${new URLSearchParams({ query: DAILY_FARES, variables: JSON.stringify(FEBRUARY_RANGE) })}`,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Cross-Site Request Forgery');
  });
});

describe('the token limit', () => {
  it('lets a 500-trip ingestTrips written inline with every field through', async () => {
    // Prepare
    const trip = (index: number) =>
      `{ tripId: "inline-${index}", vendorId: 2, pickupAt: "2023-02-01T08:15:00", dropoffAt: "2023-02-01T08:35:00", pickupZoneId: 74, dropoffZoneId: 75, passengerCount: 1, rateCodeId: 1, paymentType: 1, tripDistanceMiles: 2.5, fareAmount: 12.5, tipAmount: 2, tollsAmount: 0, totalAmount: 16 }`;
    const mutation = `mutation { ingestTrips(trips: [${Array.from({ length: 500 }, (_, index) => trip(index)).join(', ')}]) { accepted rejected { index } } }`;

    // Act
    const answer = await graphql<{ ingestTrips: { accepted: number } }>(stack.graphqlUrl, mutation, undefined, fixture.ingestKey());

    // Assess
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.ingestTrips.accepted).toBe(500);
  });
});
