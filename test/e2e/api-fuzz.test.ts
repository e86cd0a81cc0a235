/**
 * The quick fuzzing run of `npm test` against the running stack: a few hundred operations generated
 * from the introspected schema and malformed requests, fixed seed. Never a 5xx, every answer within
 * 2 s, and the stack still answers a normal query afterwards. The long run is `npm run fuzz`
 * (bench/fuzz.ts, in BENCHMARKS.md).
 */
import { INGEST_TRIPS_MUTATION } from '../../src/cli/api-client/api-queries';
import { DEFAULT_MAX_ANSWER_MS, runFuzz } from '../../verify/fuzz/api-fuzz';
import { graphql } from '../support/graphql';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';

const RUNS = 400;
const SEED = 20261129;

let fixture: StackFixture;

beforeAll(async () => {
  fixture = await startStackFixture('api-fuzz');
  const trips = Array.from({ length: 50 }, (_, index) => ({
    tripId: `fuzz-${index}`,
    pickupAt: `2023-02-${String(1 + (index % 28)).padStart(2, '0')}T${String(index % 24).padStart(2, '0')}:10:00`,
    dropoffAt: `2023-02-${String(1 + (index % 28)).padStart(2, '0')}T${String(index % 24).padStart(2, '0')}:40:00`,
    pickupZoneId: 1 + ((index * 7) % 265),
    dropoffZoneId: 74,
    tripDistanceMiles: 3,
    fareAmount: 15,
    totalAmount: 19,
  }));
  await graphql(fixture.stack.graphqlUrl, INGEST_TRIPS_MUTATION, { trips }, fixture.ingestKey());
  await fixture.stack.waitForIdle({ timeoutMs: 60_000 });
});

afterAll(async () => {
  await fixture?.stop();
});

describe('fuzzing the API', () => {
  it(`answers ${RUNS} generated and malformed requests without a server error, each within ${DEFAULT_MAX_ANSWER_MS} ms, and keeps serving`, async () => {
    // Act
    const report = await runFuzz({ url: fixture.stack.graphqlUrl, keys: fixture.stack.apiKeys, runs: RUNS, seed: SEED });

    // Assess
    expect(report.failure).toBeUndefined();
    expect(report.tried).toBeGreaterThanOrEqual(RUNS);
    expect(report.servesAfterwards).toBe(true);
    // The inputs reach every door: data, client errors, keys refused, methods refused, bodies too large.
    for (const status of ['200', '400', '401', '403', '413']) expect(report.statusCounts[status]).toBeGreaterThan(0);
  });
});
