import { INGEST_TRIPS_MUTATION } from '../../../../src/cli/api-client/api-queries';
import { postIngestTrips, probeEndpoint, type RetryPolicy } from '../../../../src/cli/api-client/ingest-client';
import {
  IngestEndpointUnavailableError,
  IngestGraphQLError,
  IngestHttpStatusError,
  IngestResponseShapeError,
} from '../../../../src/cli/api-client/ingest-errors';
import type { TripSubmission } from '../../../../src/domain/trip';
import { startFakeIngestApi, unusedEndpoint, type FakeIngestApi, type Responder } from '../support/fake-ingest-api';

const FAST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 2_000 };

function tripOf(tripId: string, overrides: Partial<TripSubmission> = {}): TripSubmission {
  return {
    tripId,
    vendorId: 1,
    pickupAt: '2023-02-01T08:00:00',
    dropoffAt: '2023-02-01T08:20:00',
    pickupZoneId: 132,
    dropoffZoneId: 1,
    passengerCount: null,
    rateCodeId: 1,
    paymentType: 1,
    tripDistanceMiles: 2.5,
    fareAmount: 12.5,
    tipAmount: null,
    tollsAmount: 0,
    totalAmount: 17.3,
    ...overrides,
  };
}

/** Scripted answers in turn; the last one repeats. */
function inTurn(...answers: ReturnType<Responder>[]): Responder {
  return (request) => answers[Math.min(request.index, answers.length - 1)];
}

const OK = { json: { data: { ingestTrips: { accepted: 1, rejected: [] } } } };

describe('postIngestTrips', () => {
  let api: FakeIngestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('posts the ingestTrips mutation with the trips and headers, and returns the answer', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const trips = [tripOf('a-1'), tripOf('a-2', { fareAmount: -5 })];

    // Act
    const answer = await postIngestTrips(trips, { endpoint: api.url, headers: { 'x-api-key': 'secret' }, retry: FAST_RETRY });

    // Assess
    expect(answer).toEqual({
      accepted: 1,
      rejected: [{ index: 1, tripId: 'a-2', reason: 'AMOUNT_OUT_OF_RANGE', field: 'fareAmount', message: expect.any(String) }],
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].body).toEqual({ query: INGEST_TRIPS_MUTATION, variables: { trips } });
    expect(api.requests[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'secret' });
  });

  it('retries HTTP 503, 429 and a dropped connection, then returns the answer', async () => {
    // Prepare
    api = await startFakeIngestApi(inTurn({ status: 503, text: 'busy' }, { status: 429, headers: { 'retry-after': '0' } }, 'drop', OK));

    // Act
    const answer = await postIngestTrips([tripOf('b-1')], { endpoint: api.url, retry: FAST_RETRY });

    // Assess
    expect(answer.accepted).toBe(1);
    expect(api.requests).toHaveLength(4);
    expect(new Set(api.requests.map((request) => JSON.stringify(request.body)))).toEqual(new Set([JSON.stringify(api.requests[0].body)]));
  });

  it('waits longer between later retries (exponential backoff)', async () => {
    // Prepare: with the jitter pinned to its top, the pauses are about 20, 40 and 80 ms.
    const arrivals: number[] = [];
    api = await startFakeIngestApi((request) => {
      arrivals.push(Date.now());
      return request.index < 3 ? { status: 502 } : OK;
    });

    // Act
    await postIngestTrips([tripOf('c-1')], {
      endpoint: api.url,
      retry: { ...FAST_RETRY, baseDelayMs: 20, maxDelayMs: 1_000 },
      random: () => 0.999,
    });

    // Assess
    const gaps = arrivals.slice(1).map((time, index) => time - arrivals[index]);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
  });

  it('gives up after the last attempt with an error naming the endpoint and the last failure', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ status: 500, json: { errors: [{ message: 'stream unavailable' }] } }));

    // Act
    const call = postIngestTrips([tripOf('d-1')], { endpoint: api.url, retry: FAST_RETRY });

    // Assess
    await expect(call).rejects.toBeInstanceOf(IngestEndpointUnavailableError);
    await expect(call).rejects.toThrow(`${api.url} is unavailable after 4 attempt(s); last failure: HTTP 500: stream unavailable`);
    expect(api.requests).toHaveLength(4);
  });

  it('fails with IngestEndpointUnavailableError when nothing listens', async () => {
    // Prepare
    const endpoint = await unusedEndpoint();

    // Act
    const call = postIngestTrips([tripOf('e-1')], { endpoint, retry: FAST_RETRY });

    // Assess
    await expect(call).rejects.toThrow(IngestEndpointUnavailableError);
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
  });

  it('retries an attempt that times out', async () => {
    // Prepare
    api = await startFakeIngestApi(inTurn({ ...OK, delayMs: 500 }, OK));

    // Act
    const answer = await postIngestTrips([tripOf('f-1')], { endpoint: api.url, retry: { ...FAST_RETRY, attemptTimeoutMs: 100 } });

    // Assess
    expect(answer.accepted).toBe(1);
    expect(api.requests).toHaveLength(2);
  });

  it('reports a GraphQL errors[] answer with message and extensions.code, without retrying it', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({
      json: {
        data: null,
        errors: [{ message: 'At most 500 trips a call', extensions: { code: 'BAD_USER_INPUT' } }, { message: 'second' }],
      },
    }));

    // Act
    const call = postIngestTrips([tripOf('g-1')], { endpoint: api.url, retry: FAST_RETRY });

    // Assess
    await expect(call).rejects.toBeInstanceOf(IngestGraphQLError);
    await expect(call).rejects.toMatchObject({
      endpoint: api.url,
      status: 200,
      errors: [
        { message: 'At most 500 trips a call', code: 'BAD_USER_INPUT' },
        { message: 'second', code: undefined },
      ],
      message: expect.stringContaining('[BAD_USER_INPUT] At most 500 trips a call; second'),
    });
    expect(api.requests).toHaveLength(1);
  });

  it('reports a GraphQL validation failure answered with HTTP 400 as a GraphQL error', async () => {
    // Prepare: Apollo answers variable coercion failures this way.
    api = await startFakeIngestApi(() => ({
      status: 400,
      json: { errors: [{ message: 'Variable "$trips" got invalid value', extensions: { code: 'BAD_USER_INPUT' } }] },
    }));

    // Act
    const call = postIngestTrips([tripOf('h-1')], { endpoint: api.url, retry: FAST_RETRY });

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'IngestGraphQLError', status: 400 });
  });

  it('reports a 404 that is not GraphQL, and a 200 that is not an IngestResult, without retrying', async () => {
    // Prepare
    api = await startFakeIngestApi(inTurn({ status: 404, text: 'Cannot POST /graphq' }, { json: { data: { somethingElse: 1 } } }));

    // Act
    const notFound = postIngestTrips([tripOf('i-1')], { endpoint: api.url, retry: FAST_RETRY });
    await notFound.catch(() => undefined);
    const wrongShape = postIngestTrips([tripOf('i-2')], { endpoint: api.url, retry: FAST_RETRY });

    // Assess
    await expect(notFound).rejects.toThrow(IngestHttpStatusError);
    await expect(notFound).rejects.toThrow(/HTTP 404: Cannot POST \/graphq/);
    await expect(wrongShape).rejects.toThrow(IngestResponseShapeError);
    expect(api.requests).toHaveLength(2);
  });

  it('stops waiting between attempts when the caller aborts', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ status: 503 }));
    const controller = new AbortController();

    // Act
    const call = postIngestTrips([tripOf('j-1')], {
      endpoint: api.url,
      signal: controller.signal,
      retry: { ...FAST_RETRY, baseDelayMs: 10_000, maxDelayMs: 10_000 },
    });
    setTimeout(() => controller.abort(), 100);

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(api.requests).toHaveLength(1);
  });
});

describe('probeEndpoint', () => {
  it('passes when anything answers, whatever the status', async () => {
    // Prepare
    const api = await startFakeIngestApi(() => ({ status: 404, text: 'nope' }));

    // Act
    const probe = probeEndpoint(api.url);

    // Assess
    await expect(probe).resolves.toBeUndefined();
    await api.close();
  });

  it('fails at once when nothing listens', async () => {
    // Prepare
    const endpoint = await unusedEndpoint();

    // Act
    const probe = probeEndpoint(endpoint);

    // Assess
    await expect(probe).rejects.toThrow(IngestEndpointUnavailableError);
    await expect(probe).rejects.toThrow(endpoint);
  });
});
