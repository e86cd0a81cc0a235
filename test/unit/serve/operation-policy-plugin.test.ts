import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { ApiRole } from '../../../src/serve/api-keys';
import type { RequestContext } from '../../../src/serve/context';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import { OPERATION_LIMITS } from '../../../src/serve/operation-limits';
import { createApolloServer } from '../../../src/serve/server';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { validTrip } from './serve-fixtures';

const FEB_HOURS = (alias: string) =>
  `${alias}: fareTrend(range: { from: "2023-02-01", to: "2023-03-01" }, granularity: HOUR) { buckets { start trips } }`;

/** The API's own Apollo server in-process, over an in-memory reader that records its reads. */
describe('the operation-policy plugin, through the Apollo server', () => {
  let server: ApolloServer<RequestContext>;
  let reader: InMemoryInsightsReader;

  beforeAll(async () => {
    server = createApolloServer({ logger: { error: () => undefined } });
    await server.start();
  });

  afterAll(() => server.stop());

  beforeEach(() => {
    reader = new InMemoryInsightsReader().addTrips([validTrip()]);
  });

  async function execute(query: string, roles: ApiRole[] = ['read'], variables?: Record<string, unknown>) {
    const contextValue: RequestContext = {
      queries: new InsightsQueries(reader),
      publisher: { publish: async () => undefined },
      observeIngest: () => undefined,
      roles,
    };
    const response = await server.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status ?? 200, headers: response.http.headers, result: response.body.singleResult };
  }

  it('refuses an operation over the read budget with QUERY_TOO_COSTLY, the estimate and the limit, before any resolver', async () => {
    // Prepare: 8 hourly Februaries are 8 * 672 HOUR items.
    const query = `{ ${Array.from({ length: 8 }, (_, index) => FEB_HOURS(`a${index}`)).join(' ')} }`;

    // Act
    const { status, headers, result } = await execute(query);

    // Assess
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/about 5376 items, over the limit of 5000 per request/),
        extensions: { code: 'QUERY_TOO_COSTLY', estimatedItems: 5376, maxItems: OPERATION_LIMITS.maxEstimatedItems },
      }),
    ]);
    expect(reader.reads).toEqual([]);
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it('applies the budget to the values of the variables', async () => {
    // Prepare
    const query = `query ($range: TimeRangeInput!) { ${Array.from({ length: 8 }, (_, index) => `a${index}: fareTrend(range: $range, granularity: HOUR) { granularity }`).join(' ')} }`;

    // Act
    const oneDay = await execute(query, ['read'], { range: { from: '2023-02-01', to: '2023-02-02' } });
    const february = await execute(query, ['read'], { range: { from: '2023-02-01', to: '2023-03-01' } });

    // Assess
    expect(oneDay.result.errors).toBeUndefined();
    expect(february.result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('lets the API-key plugin answer a caller who may not run the operation at all', async () => {
    // Act
    const { status, result } = await execute(`{ ${Array.from({ length: 8 }, (_, index) => FEB_HOURS(`a${index}`)).join(' ')} }`, [
      'ingest',
    ]);

    // Assess
    expect(status).toBe(403);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a settled range be cached privately for an hour, by key', async () => {
    // Act
    const { headers, result } = await execute(`{ ${FEB_HOURS('a')} zones { id } }`);

    // Assess
    expect(result.errors).toBeUndefined();
    expect(headers.get('cache-control')).toBe('private, max-age=3600');
    expect(headers.get('vary')).toContain('x-api-key');
  });

  it('keeps a range that reaches the present a few seconds, and the live counters not at all', async () => {
    // Prepare
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();

    // Act
    const recent = await execute(`{ peakHours(range: { from: "2023-02-01", to: "${tomorrow}" }) { totalTrips } }`);
    const live = await execute('{ zones { id } ingestionCounts { acceptedTrips } }');

    // Assess
    expect(recent.headers.get('cache-control')).toBe('private, max-age=5');
    expect(live.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('lets heavy operations take turns, and a failed one gives its turn back', async () => {
    // Prepare: two hourly Februaries are 1,344 items, over the heavy threshold.
    const heavy = `{ ${FEB_HOURS('a')} ${FEB_HOURS('b')} }`;
    const failing = new InMemoryInsightsReader();
    failing.readAggregates = async () => {
      throw new Error('the table is gone');
    };
    const withReader = async (source: InMemoryInsightsReader) => {
      const contextValue: RequestContext = {
        queries: new InsightsQueries(source),
        publisher: { publish: async () => undefined },
        observeIngest: () => undefined,
        roles: ['read'],
      };
      const response = await server.executeOperation({ query: heavy }, { contextValue });
      return response.body.kind === 'single' ? response.body.singleResult : undefined;
    };
    const within = <T>(promise: Promise<T>) =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the heavy lane was not released')), 5000)),
      ]);

    // Act
    const [failed, first, second] = await within(Promise.all([withReader(failing), withReader(reader), withReader(reader)]));
    const after = await within(withReader(reader));

    // Assess
    expect(failed?.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    for (const result of [first, second, after]) expect(result?.errors).toBeUndefined();
  });

  it('answers mutations and errors with no-store', async () => {
    // Act
    const mutation = await execute('mutation { ingestTrips(trips: []) { accepted } }', ['ingest']);
    const badInput = await execute('{ peakHours(range: { from: "2023-03-01", to: "2023-02-01" }) { totalTrips } }');

    // Assess
    expect(mutation.result.errors).toBeUndefined();
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    expect(badInput.result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(badInput.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the landing page', () => {
  async function getHtml(landingPage?: { readKey: string }) {
    const server = createApolloServer({ logger: { error: () => undefined }, landingPage });
    await server.start();
    try {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'GET', headers: new HeaderMap([['accept', 'text/html']]), search: '', body: undefined },
        context: async () => ({}) as RequestContext,
      });
      return {
        status: response.status ?? 200,
        type: response.headers.get('content-type'),
        body: response.body.kind === 'complete' ? response.body.string : '',
      };
    } finally {
      await server.stop();
    }
  }

  it('serves Apollo Sandbox with the read key as a shared header when given one (locally)', async () => {
    // Act
    const page = await getHtml({ readKey: 'tpr_landing-page-test-key' });

    // Assess
    expect(page.type).toBe('text/html');
    expect(page.body).toContain('embeddable-sandbox');
    expect(page.body).toMatch(/"sharedHeaders":\{"x-api-key":"tpr_landing-page-test-key"\}/);
  });

  it('serves no page without one (on AWS): a browser GET gets a GraphQL error', async () => {
    // Act
    const page = await getHtml(undefined);

    // Assess
    expect(page.type).not.toBe('text/html');
    expect(page.status).toBe(400);
  });
});
