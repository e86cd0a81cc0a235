/**
 * pipelineStatus through the running stack: the processor's own record of each shard, read back by
 * the API (the same path on AWS).
 */
import type { LocalStack } from '../../src/local/local-stack';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import { graphql, withKey } from '../support/graphql';

const STATUS = `{ pipelineStatus { shards { shardId iteratorAgeMs lastAppliedAt lastRecordArrivedAt lastSequenceNumber } maxIteratorAgeMs lastEventAt lastAppliedAt counts { acceptedTrips } } }`;
const INGEST = `mutation($trips: [TripInput!]!) { ingestTrips(trips: $trips) { accepted } }`;

let fixture: StackFixture;
let stack: LocalStack;

beforeAll(async () => {
  fixture = await startStackFixture('status');
  stack = fixture.stack;
});

afterAll(async () => {
  await fixture?.stop();
});

describe('pipelineStatus', () => {
  it('is empty before anything was processed', async () => {
    const response = await graphql<{ pipelineStatus: Record<string, unknown> }>(
      stack.graphqlUrl,
      STATUS,
      undefined,
      withKey(stack.apiKeys.read),
    );
    expect(response.data?.pipelineStatus).toMatchObject({
      shards: [],
      maxIteratorAgeMs: 0,
      lastEventAt: null,
      lastAppliedAt: null,
      counts: { acceptedTrips: 0 },
    });
  });

  it('shows each shard the processor applied, the newest pickup and the counts', async () => {
    // Prepare
    const trips = ['a', 'b', 'c', 'd', 'e', 'f'].map((suffix, index) => ({
      tripId: `status-${suffix}`,
      pickupAt: `2024-05-01T08:1${index}:00-04:00`,
      dropoffAt: '2024-05-01T09:00:00-04:00',
      pickupZoneId: 161,
      dropoffZoneId: 236,
      tripDistanceMiles: 2,
      fareAmount: 10,
      totalAmount: 12,
    }));
    await graphql(stack.graphqlUrl, INGEST, { trips }, withKey(stack.apiKeys.ingest));
    await stack.waitForIdle({ timeoutMs: 60_000 });

    // Act
    const response = await graphql<{
      pipelineStatus: {
        shards: Array<{ shardId: string; iteratorAgeMs: number }>;
        lastEventAt: string;
        lastAppliedAt: string;
        counts: { acceptedTrips: number };
      };
    }>(stack.graphqlUrl, STATUS, undefined, withKey(stack.apiKeys.read));

    // Assess
    const status = response.data!.pipelineStatus;
    expect(status.counts.acceptedTrips).toBe(6);
    expect(status.shards.length).toBeGreaterThan(0);
    expect(status.shards.every((shard) => shard.shardId.startsWith('shardId-') && shard.iteratorAgeMs >= 0)).toBe(true);
    expect(status.lastAppliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/);
    // The newest pickup of the latest batch of some shard: one of the trips' pickups.
    expect(trips.map((trip) => trip.pickupAt)).toContain(status.lastEventAt);
  });
});
