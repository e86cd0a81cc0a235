import {
  apiKeyHeader,
  GraphQLAnswerError,
  GraphQLUnreachableError,
  postGraphQL,
  queryGraphQL,
} from '../../../../src/cli/api-client/graphql-client';
import { startFakeIngestApi, unusedEndpoint, type FakeIngestApi } from '../support/fake-ingest-api';

let api: FakeIngestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('postGraphQL', () => {
  it('posts the query and variables as JSON with the API key, and returns status, data and errors', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ json: { data: { zones: [] }, errors: [{ message: 'partial', extensions: { code: 'X' } }] } }));

    // Act
    const answer = await postGraphQL(api.url, { query: '{ zones { id } }', variables: { a: 1 } }, { headers: apiKeyHeader('secret') });

    // Assess
    expect(answer).toMatchObject({
      status: 200,
      ok: true,
      data: { zones: [] },
      errors: [{ message: 'partial', extensions: { code: 'X' } }],
    });
    expect(api.requests[0].body).toEqual({ query: '{ zones { id } }', variables: { a: 1 } });
    expect(api.requests[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'secret' });
  });

  it('sends a request serialised already as it is', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const body = JSON.stringify({ query: '{ __typename }' });

    // Act
    await postGraphQL(api.url, body);

    // Assess
    expect(api.requests[0].body).toEqual({ query: '{ __typename }' });
  });

  it('returns an answer that is not JSON with its status and the start of its body', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ status: 502, text: `Bad gateway ${'x'.repeat(300)}` }));

    // Act
    const answer = await postGraphQL(api.url, { query: '{ __typename }' });

    // Assess
    expect(answer).toMatchObject({ status: 502, ok: false, data: undefined, errors: undefined });
    expect(answer.bodyExcerpt).toHaveLength(200);
    expect(answer.bodyExcerpt).toMatch(/^Bad gateway x/);
  });

  it('throws GraphQLUnreachableError naming the endpoint and the cause when nothing listens', async () => {
    // Prepare
    const endpoint = await unusedEndpoint();

    // Act
    const call = postGraphQL(endpoint, { query: '{ __typename }' });

    // Assess
    await expect(call).rejects.toBeInstanceOf(GraphQLUnreachableError);
    await expect(call).rejects.toThrow(new RegExp(`^${endpoint} did not answer: .*ECONNREFUSED`));
  });

  it('gives up on a call that takes longer than timeoutMs', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ json: { data: {} }, delayMs: 500 }));

    // Act
    const call = postGraphQL(api.url, { query: '{ __typename }' }, { timeoutMs: 50 });

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'GraphQLUnreachableError', reason: 'timed out' });
  });
});

describe('queryGraphQL', () => {
  it('returns the data of an answer without errors', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ json: { data: { ingestionCounts: { acceptedTrips: 3 } } } }));

    // Act
    const data = await queryGraphQL<{ ingestionCounts: { acceptedTrips: number } }>(api.url, {
      query: '{ ingestionCounts { acceptedTrips } }',
    });

    // Assess
    expect(data).toEqual({ ingestionCounts: { acceptedTrips: 3 } });
  });

  it('throws GraphQLAnswerError with each error message and code', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({
      status: 401,
      json: { errors: [{ message: 'missing or unknown API key', extensions: { code: 'UNAUTHENTICATED' } }] },
    }));

    // Act
    const call = queryGraphQL(api.url, { query: '{ __typename }' });

    // Assess
    await expect(call).rejects.toBeInstanceOf(GraphQLAnswerError);
    await expect(call).rejects.toMatchObject({
      status: 401,
      message: `${api.url} answered with GraphQL error(s) (HTTP 401): [UNAUTHENTICATED] missing or unknown API key`,
    });
  });

  it('throws GraphQLAnswerError for an HTTP failure without GraphQL errors', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ status: 404, text: 'Cannot POST /graphq' }));

    // Act
    const call = queryGraphQL(api.url, { query: '{ __typename }' });

    // Assess
    await expect(call).rejects.toThrow(`${api.url} answered HTTP 404 without data`);
  });
});
