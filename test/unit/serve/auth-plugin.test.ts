import type { ApolloServer } from '@apollo/server';
import type { StreamRecord } from '../../../src/ingest/stream-record';
import type { ApiRole } from '../../../src/serve/api-keys';
import type { RequestContext } from '../../../src/serve/context';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import { createApolloServer } from '../../../src/serve/server';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { validTrip } from './serve-fixtures';

const PEAK_HOURS =
  '{ peakHours(range: { from: "2023-02-01T00:00:00", to: "2023-02-02T00:00:00" }, limit: 1) { totalTrips top { hourStart trips } } }';
const INGEST = `mutation { ingestTrips(trips: [{ tripId: "t-1", pickupAt: "2023-02-01T08:00:00", dropoffAt: "2023-02-01T08:20:00",
  pickupZoneId: 74, dropoffZoneId: 75, tripDistanceMiles: 1.5, fareAmount: 9, totalAmount: 11 }]) { accepted rejected { reason } } }`;

/** The API's own Apollo server, run in-process (no HTTP, no Lambda), over an in-memory reader and publisher. */
describe('the API-key plugin, through the Apollo server', () => {
  let server: ApolloServer<RequestContext>;
  const published: StreamRecord[] = [];
  const logged: string[] = [];
  const reader = new InMemoryInsightsReader().addTrips([validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:30:00' })]);

  beforeAll(async () => {
    server = createApolloServer({ logger: { error: (message) => logged.push(message) } });
    await server.start();
  });

  afterAll(() => server.stop());

  async function execute(query: string, roles: ApiRole[]) {
    const contextValue: RequestContext = {
      queries: new InsightsQueries(reader),
      publisher: { publish: async (records) => void published.push(...records) },
      observeIngest: () => undefined,
      roles,
    };
    const response = await server.executeOperation({ query }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, result: response.body.singleResult };
  }

  it('refuses a request without a valid key with 401 UNAUTHENTICATED, naming the header', async () => {
    // Act
    const { status, result } = await execute(PEAK_HOURS, []);

    // Assess
    expect(status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('x-api-key'), extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  it('refuses a query with an ingest key, and a mutation with a read key, with 403 FORBIDDEN', async () => {
    // Act
    const query = await execute(PEAK_HOURS, ['ingest']);
    const mutation = await execute(INGEST, ['read']);

    // Assess
    for (const { status, result } of [query, mutation]) {
      expect(status).toBe(403);
      expect(result.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    }
    expect(published).toEqual([]);
  });

  it('answers a query with a read key', async () => {
    // Act
    const { status, result } = await execute(PEAK_HOURS, ['read']);

    // Assess
    expect(status ?? 200).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ peakHours: { totalTrips: 1, top: [{ hourStart: '2023-02-01T08:00:00-05:00', trips: 1 }] } });
  });

  it('lets a mutation with an ingest key through to the stream', async () => {
    // Act
    const { result } = await execute(INGEST, ['ingest']);

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ ingestTrips: { accepted: 1, rejected: [] } });
    expect(published).toHaveLength(1);
    expect(logged).toEqual([]);
  });
});
