/**
 * Bad input through the running stack: every mistake gets a GraphQL error or a per-trip rejection that
 * names the field and the reason, valid trips of the same call still count, nothing answers 500, and
 * rejected trips are kept and counted by reason.
 */
import type { LocalStack } from '../../src/local/local-stack';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import { INGEST_TRIPS_MUTATION, INGESTION_COUNTS_QUERY, PEAK_HOURS_QUERY } from '../../src/cli/api-client/api-queries';
import { graphql, withKey } from '../support/graphql';

let fixture: StackFixture;
let stack: LocalStack;

beforeAll(async () => {
  fixture = await startStackFixture('bad-input');
  stack = fixture.stack;
});

afterAll(async () => {
  await fixture?.stop();
});

const ingestKey = () => fixture.ingestKey();
const readKey = () => fixture.readKey();

let nextId = 0;
function trip(overrides: Record<string, unknown> = {}) {
  return {
    tripId: `bad-input-${++nextId}`,
    pickupAt: '2024-05-01T08:15:00',
    dropoffAt: '2024-05-01T08:40:00',
    pickupZoneId: 161,
    dropoffZoneId: 236,
    tripDistanceMiles: 2.1,
    fareAmount: 12.8,
    tipAmount: 3,
    totalAmount: 19.3,
    ...overrides,
  };
}

async function postRaw(body: string, contentType = 'application/json') {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': contentType, ...readKey() }, body });
  return { status: response.status, text: await response.text() };
}

describe('bad input', () => {
  it('rejects a bad field per trip, naming field and reason, and accepts the valid trips of the call', async () => {
    // Act
    const response = await graphql<{ ingestTrips: { accepted: number; rejected: Array<Record<string, unknown>> } }>(
      stack.graphqlUrl,
      INGEST_TRIPS_MUTATION,
      {
        trips: [trip(), trip({ pickupZoneId: 999 }), trip({ fareAmount: -5 }), trip({ pickupAt: 'not a time' }), trip()],
      },
      ingestKey(),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.data?.ingestTrips.accepted).toBe(2);
    expect(response.data?.ingestTrips.rejected).toEqual([
      expect.objectContaining({ index: 1, reason: 'UNKNOWN_ZONE', field: 'pickupZoneId' }),
      expect.objectContaining({ index: 2, reason: 'AMOUNT_OUT_OF_RANGE', field: 'fareAmount' }),
      expect.objectContaining({ index: 3, reason: 'INVALID_TIME', field: 'pickupAt' }),
    ]);
  });

  it('keeps rejected trips and counts them by reason', async () => {
    // Prepare
    await graphql(
      stack.graphqlUrl,
      INGEST_TRIPS_MUTATION,
      { trips: [trip({ tripId: 'kept-1', dropoffZoneId: 0 }), trip({ tripId: 'kept-2', tipAmount: -1 })] },
      ingestKey(),
    );

    // Act
    await stack.waitForIdle({ timeoutMs: 60_000 });
    const response = await graphql<{ ingestionCounts: { rejectedByReason: Array<{ reason: string; trips: number }> } }>(
      stack.graphqlUrl,
      INGESTION_COUNTS_QUERY,
      undefined,
      readKey(),
    );

    // Assess
    const byReason = Object.fromEntries(response.data!.ingestionCounts.rejectedByReason.map(({ reason, trips }) => [reason, trips]));
    expect(byReason).toMatchObject({ UNKNOWN_ZONE: 2, NEGATIVE_AMOUNT: 1, AMOUNT_OUT_OF_RANGE: 1, INVALID_TIME: 1 });
  });

  it('answers a wrong type with BAD_USER_INPUT naming the field', async () => {
    const response = await graphql(stack.graphqlUrl, INGEST_TRIPS_MUTATION, { trips: [trip({ fareAmount: 'twelve' })] }, ingestKey());
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toContain('fareAmount');
  });

  it('refuses 501 trips in one call with TOO_MANY_TRIPS and writes none of them', async () => {
    const response = await graphql(
      stack.graphqlUrl,
      INGEST_TRIPS_MUTATION,
      { trips: Array.from({ length: 501 }, () => trip()) },
      ingestKey(),
    );
    expect(response.status).toBe(200);
    expect(response.errors?.[0].extensions?.code).toBe('TOO_MANY_TRIPS');
    expect(response.errors?.[0].message).toContain('500');
  });

  it('keeps an undecodable stream record aside and goes on with the records behind it', async () => {
    // Prepare: garbage written straight to the stream, then a valid trip on the same partition key
    const { PutRecordCommand } = await import('@aws-sdk/client-kinesis');
    const { emulatorClients } = await import('../../src/local/emulators/emulator-clients');
    const clients = emulatorClients(stack.endpoints, 'us-east-1');
    await clients.kinesis.send(
      new PutRecordCommand({ StreamName: stack.streamName, PartitionKey: 'poison-1', Data: Buffer.from('{"v":1,"type":"trip","trip":') }),
    );
    await graphql(
      stack.graphqlUrl,
      INGEST_TRIPS_MUTATION,
      { trips: [trip({ tripId: 'poison-1', pickupAt: '2024-06-03T10:00:00', dropoffAt: '2024-06-03T10:20:00' })] },
      ingestKey(),
    );
    clients.destroy();

    // Act
    await stack.waitForIdle({ timeoutMs: 60_000 });
    const counts = await graphql<{ ingestionCounts: { poisonRecords: number } }>(
      stack.graphqlUrl,
      INGESTION_COUNTS_QUERY,
      undefined,
      readKey(),
    );
    const peak = await graphql<{ peakHours: { totalTrips: number } }>(
      stack.graphqlUrl,
      PEAK_HOURS_QUERY,
      { range: { from: '2024-06-03', to: '2024-06-04' } },
      readKey(),
    );

    // Assess
    expect(counts.data?.ingestionCounts.poisonRecords).toBe(1);
    expect(peak.data?.peakHours.totalTrips).toBe(1);
  });

  it('answers a call without a valid API key with UNAUTHENTICATED, and a key of the wrong role with FORBIDDEN', async () => {
    const noKey = await graphql(stack.graphqlUrl, PEAK_HOURS_QUERY, { range: { from: '2024-05-01', to: '2024-06-01' } });
    const wrongKey = await graphql(
      stack.graphqlUrl,
      PEAK_HOURS_QUERY,
      { range: { from: '2024-05-01', to: '2024-06-01' } },
      withKey('tpr_not-a-key-at-all-0000'),
    );
    const readKeyIngesting = await graphql(stack.graphqlUrl, INGEST_TRIPS_MUTATION, { trips: [trip()] }, readKey());
    expect([noKey.status, noKey.errors?.[0].extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([wrongKey.status, wrongKey.errors?.[0].extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([readKeyIngesting.status, readKeyIngesting.errors?.[0].extensions?.code]).toEqual([403, 'FORBIDDEN']);
    expect(readKeyIngesting.data).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"query": '],
    ['no query', '{}'],
    ['a syntax error', JSON.stringify({ query: '{ peakHours( }' })],
    ['an unknown field', JSON.stringify({ query: '{ nope }' })],
  ])('answers %s with a 400 and a GraphQL error code, never a 500', async (_, body) => {
    const response = await postRaw(body);
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it.each([
    [{ range: { from: '2024-05-01', to: '2024-04-01' } }, 'range.to'],
    [{ range: { from: 'yesterday', to: '2024-04-01' } }, 'range.from'],
    [{ range: { from: '2024-05-01', to: '2024-06-01' }, zoneId: 266 }, 'zoneId'],
    [{ range: { from: '2024-05-01', to: '2024-06-01' }, zoneId: 1, borough: 'EWR' }, 'zoneId'],
    [{ range: { from: '2024-05-01', to: '2024-06-01' }, limit: 0 }, 'limit'],
  ])('answers bad query arguments %j with BAD_USER_INPUT naming %s', async (variables, argument) => {
    const response = await graphql(stack.graphqlUrl, PEAK_HOURS_QUERY, variables, readKey());
    expect(response.status).toBe(200);
    expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
  });
});
