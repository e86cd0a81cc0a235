/**
 * Malformed HTTP for the API: bad and truncated JSON, JSON of the wrong shape, wrong content types,
 * empty and oversized (7 MB) bodies, invalid UTF-8, wrong methods, broken query strings. What a buggy
 * client, a scanner or a browser form could send.
 */
import fc from 'fast-check';

export interface RawRequest {
  readonly method: string;
  /** Path and query string, e.g. `/graphql?query=...`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  /** A short description for reports (bodies can be megabytes). */
  readonly label: string;
}

const SEVEN_MB = 7 * 1024 * 1024;
const VALID = '{"query":"{ zones { id } }"}';

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/graphql',
  'application/graphql-response+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
);

const brokenJson = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"query":',
    '{"query":"{ zones { id }"',
    'null',
    '[]',
    '[{}]',
    '42',
    '"text"',
    'true',
    '{"query":null}',
    '{"query":{}}',
  ),
  fc.constantFrom(
    '{"query":"{ zones { id } }","variables":"not an object"}',
    '{"query":"{ zones { id } }","variables":[1,2]}',
    '{"query":"{ zones { id } }","operationName":5}',
    '{"query":"{ zones { id } }","extensions":"x"}',
    '{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"x"}}}',
    '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"0000"}},"query":"{ zones { id } }"}',
    '{"query":"{ zones { id } }","__proto__":{"polluted":true}}',
  ),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.integer({ min: 1, max: VALID.length - 1 }).map((cut) => VALID.slice(0, cut)),
);

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogate halves, truncated sequences. */
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0x7b, 0x22, 0x71, 0x75, 0x65, 0x72, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.concat([Buffer.from('{"query":"{ zones { id'), Buffer.from([0xe2, 0x82]), Buffer.from(' } }"}')]),
  Buffer.from([0x80, 0x80, 0x80]),
);

const methods = fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'POST', 'GET');
const paths = fc.constantFrom('/graphql', '/graphql/', '/graphql/x', '/GRAPHQL', '/%ff', '/graphql?');
const brokenQueryStrings = fc.constantFrom(
  'query=%E0%A4%A',
  'query=%7B',
  'query=',
  'variables=not-json&query=%7B%20zones%20%7B%20id%20%7D%20%7D',
  'extensions=%7Bbad&query=%7B%20zones%20%7B%20id%20%7D%20%7D',
  'query=%7B%20zones%20%7B%20id%20%7D%20%7D&query=%7B%20zones%20%7D',
  'query=mutation%20%7B%20ingestTrips(trips%3A%20%5B%5D)%20%7B%20accepted%20%7D%20%7D',
  `query=${'%7B'.repeat(2000)}`,
);

/** Malformed requests; `keyHeaders` is what each request carries (a read key, an ingest key, none...). */
export function malformedHttpArbitrary(keyHeaders: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<RawRequest> {
  const post = fc.tuple(
    paths,
    contentTypes,
    fc.oneof(
      brokenJson.map((text) => Buffer.from(text)),
      invalidUtf8,
    ),
    keyHeaders,
  );
  return fc.oneof(
    {
      weight: 10,
      arbitrary: post.map(([path, contentType, body, keys]) => ({
        method: 'POST',
        path,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...keys },
        body,
        label: `POST ${path} (${contentType || 'no content type'}) ${JSON.stringify(body.subarray(0, 60).toString('latin1'))}`,
      })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(methods, paths, keyHeaders).map(([method, path, keys]) => ({
        method,
        path,
        headers: { 'content-type': 'application/json', ...keys },
        body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(VALID),
        label: `${method} ${path}`,
      })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(brokenQueryStrings, keyHeaders).map(([search, keys]) => ({
        method: 'GET',
        path: `/graphql?${search}`,
        headers: { ...keys },
        label: `GET /graphql?${search.slice(0, 60)}`,
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(contentTypes, keyHeaders).map(([contentType, keys]) => ({
        method: 'POST',
        path: '/graphql',
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...keys },
        body: Buffer.alloc(0),
        label: `POST empty body (${contentType || 'no content type'})`,
      })),
    },
    {
      // Rare: each is 7 MB on the wire.
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('json-string', 'zeros'), keyHeaders).map(([kind, keys]) => ({
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', ...keys },
        body:
          kind === 'zeros'
            ? Buffer.alloc(SEVEN_MB)
            : Buffer.concat([Buffer.from('{"query":"'), Buffer.alloc(SEVEN_MB, 0x61), Buffer.from('"}')]),
        label: `POST 7 MB body (${kind})`,
      })),
    },
  );
}
