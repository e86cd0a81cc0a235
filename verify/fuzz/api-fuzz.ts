/**
 * The API fuzzer: operations generated from the introspected schema and malformed HTTP, sent one at a
 * time to a running endpoint with a read key, an ingest key, a wrong key or none. Every answer must
 * come within the time limit and never be a server error (a 5xx, or INTERNAL_SERVER_ERROR in a body),
 * and a normal query must still answer afterwards. Used by the quick run in `npm test` (test/e2e/api-fuzz.test.ts) and the long one
 * (`npm run fuzz`, bench/fuzz.ts, reported in BENCHMARKS.md).
 */
import fc from 'fast-check';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { API_KEY_HEADER } from '../../src/serve/api-keys';
import { malformedHttpArbitrary, type RawRequest } from './http-inputs';
import { operationArbitrary, schemaFromIntrospection } from './operations';

export interface FuzzOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly url: string;
  readonly keys: { readonly read: string; readonly ingest: string };
  readonly runs: number;
  readonly seed: number;
  /** An answer slower than this fails the run. */
  readonly maxAnswerMs?: number;
  readonly onProgress?: (tried: number) => void;
}

/** What one answer was: its status and time. */
export interface FuzzAnswer {
  readonly status: number;
  readonly ms: number;
  /** The answer's body (only what a failure report needs is read from it). */
  readonly body: string;
}

export interface FuzzReport {
  readonly tried: number;
  readonly seed: number;
  /** The first input that broke a rule (shrunk), or undefined. */
  readonly failure?: { readonly input: string; readonly reason: string };
  readonly statusCounts: Record<string, number>;
  readonly maxMs: number;
  readonly p99Ms: number;
  /** Whether a normal query answered correctly after the run. */
  readonly servesAfterwards: boolean;
  readonly seconds: number;
}

export const DEFAULT_MAX_ANSWER_MS = 2000;

/**
 * Sends one request on a connection of its own (a reused one could be closing after the previous
 * answer, which is the client's race, not the API's fault); resolves with its status and time, or
 * rejects (connection error, timeout).
 */
export function send(url: string, input: RawRequest, timeoutMs: number): Promise<FuzzAnswer> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: input.method,
        path: input.path,
        headers: input.headers,
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    call.on('timeout', () => call.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    call.on('error', reject);
    call.end(input.body);
  });
}

/** A GraphQL operation as the request a client sends: POST JSON, or GET for some queries. */
function asRequest(
  operation: { query: string; variables?: unknown; operationName?: unknown },
  byGet: boolean,
  keys: Record<string, string>,
): RawRequest {
  const label = operation.query.slice(0, 300);
  if (byGet) {
    const search = new URLSearchParams({ query: operation.query, variables: JSON.stringify(operation.variables ?? {}) });
    return { method: 'GET', path: `/graphql?${search}`, headers: { ...keys }, label: `GET ${label}` };
  }
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...keys },
    body: Buffer.from(JSON.stringify(operation)),
    label: `POST ${label} ${JSON.stringify(operation.variables ?? {}).slice(0, 200)}`,
  };
}

async function introspect(url: string, readKey: string): Promise<IntrospectionQuery> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [API_KEY_HEADER]: readKey },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data?: IntrospectionQuery };
  if (!body.data) throw new Error(`introspection failed: HTTP ${response.status}`);
  return body.data;
}

const NORMAL_QUERY = '{ zones { id } }';

/** Runs the fuzzer; resolves with what it found (a failure is reported, not thrown). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const maxAnswerMs = options.maxAnswerMs ?? DEFAULT_MAX_ANSWER_MS;
  const schema = schemaFromIntrospection(await introspect(options.url, options.keys.read));
  const keyHeaders = fc.constantFrom<Record<string, string>>(
    { [API_KEY_HEADER]: options.keys.read },
    { [API_KEY_HEADER]: options.keys.read },
    { [API_KEY_HEADER]: options.keys.ingest },
    { [API_KEY_HEADER]: 'tpr_not-a-key-of-this-stack-000000' },
    {},
  );
  const operations = fc
    .tuple(operationArbitrary(schema), fc.boolean(), keyHeaders)
    .map(([operation, byGet, keys]) => asRequest(operation, byGet && !operation.query.startsWith('mutation'), keys));
  const inputs = fc.oneof({ weight: 3, arbitrary: operations }, { weight: 1, arbitrary: malformedHttpArbitrary(keyHeaders) });
  const statusCounts: Record<string, number> = {};
  const times: number[] = [];
  let tried = 0;
  const result = await fc.check(
    fc.asyncProperty(inputs, async (input) => {
      tried++;
      options.onProgress?.(tried);
      const answer = await send(options.url, input, maxAnswerMs + 1000);
      statusCounts[answer.status] = (statusCounts[answer.status] ?? 0) + 1;
      times.push(answer.ms);
      if (answer.status >= 500) throw new Error(`HTTP ${answer.status}`);
      // An internal error means the API met something it did not foresee, whatever the status.
      if (answer.body.includes('"INTERNAL_SERVER_ERROR"')) throw new Error(`INTERNAL_SERVER_ERROR (HTTP ${answer.status})`);
      if (answer.ms > maxAnswerMs) throw new Error(`answered in ${Math.round(answer.ms)} ms, over ${maxAnswerMs} ms`);
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: false },
  );
  const after = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [API_KEY_HEADER]: options.keys.read },
    body: JSON.stringify({ query: NORMAL_QUERY }),
  })
    .then(
      async (response) =>
        response.status === 200 && ((await response.json()) as { data?: { zones?: unknown[] } }).data?.zones?.length === 265,
    )
    .catch(() => false);
  times.sort((a, b) => a - b);
  const failed = result.failed && result.counterexample ? (result.counterexample[0] as RawRequest) : undefined;
  return {
    tried,
    seed: options.seed,
    failure: failed ? { input: failed.label, reason: String((result.errorInstance as Error | undefined)?.message ?? 'failed') } : undefined,
    statusCounts,
    maxMs: Math.round(times[times.length - 1] ?? 0),
    p99Ms: Math.round(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0),
    servesAfterwards: after,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
