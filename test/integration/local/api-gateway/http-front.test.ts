import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { request } from 'node:http';
import { PortInUseError } from '../../../../src/local/errors';
import { startHttpFront, type ApiHandler, type HttpFront } from '../../../../src/local/api-gateway/http-front';
import { silentLogger } from '../../../../src/local/logger';

const fronts: HttpFront[] = [];

afterEach(async () => {
  await Promise.all(fronts.splice(0).map((front) => front.close()));
});

async function front(handler: ApiHandler, options: { maxBodyBytes?: number; port?: number } = {}): Promise<HttpFront> {
  const started = await startHttpFront({ handler, port: options.port ?? 0, maxBodyBytes: options.maxBodyBytes, logger: silentLogger });
  fronts.push(started);
  return started;
}

/** Answers with the event and context it was given, so that tests can look at both. */
const echo: ApiHandler = async (event: APIGatewayProxyEventV2, context: Context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ event, context: { ...context, remaining: context.getRemainingTimeInMillis() } }),
});

describe('startHttpFront', () => {
  it('hands requests that match a route to its function with the route key and path parameters, the rest to $default', async () => {
    // Prepare
    const asset: ApiHandler = async (event: APIGatewayProxyEventV2, context: Context) => ({
      statusCode: 200,
      body: JSON.stringify({ routeKey: event.routeKey, pathParameters: event.pathParameters, functionName: context.functionName }),
    });
    const started = await startHttpFront({
      handler: echo,
      routes: [{ routeKey: 'GET /assets/{proxy+}', handler: asset, functionName: 'assets' }],
      port: 0,
      logger: silentLogger,
    });
    fronts.push(started);

    // Act
    const routed = await (await fetch(`${started.url}/assets/app-1.js?v=2`)).json();
    const fallback = (await (await fetch(`${started.url}/assets/app-1.js`, { method: 'POST', body: '{}' })).json()) as {
      event: APIGatewayProxyEventV2;
    };

    // Assess
    expect(routed).toEqual({ routeKey: 'GET /assets/{proxy+}', pathParameters: { proxy: 'app-1.js' }, functionName: 'assets' });
    expect(fallback.event.routeKey).toBe('$default');
    expect(fallback.event.pathParameters).toBeUndefined();
  });

  it('hands the handler an API Gateway HTTP API payload v2 event', async () => {
    // Prepare
    const { url } = await front(echo);

    // Act
    const response = await fetch(`${url}/graphql?a=1&b=two%20words&a=3`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc', Cookie: 'c1=v1; c2=v2', 'User-Agent': 'jest' },
      body: '{"query":"{ __typename }"}',
    });

    // Assess
    expect(response.status).toBe(200);
    const { event, context } = (await response.json()) as { event: APIGatewayProxyEventV2; context: Record<string, unknown> };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/graphql',
      rawQueryString: 'a=1&b=two%20words&a=3',
      queryStringParameters: { a: '1,3', b: 'two words' },
      cookies: ['c1=v1', 'c2=v2'],
      body: '{"query":"{ __typename }"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        routeKey: '$default',
        stage: '$default',
        http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
        requestId: response.headers.get('apigw-requestid'),
        timeEpoch: expect.any(Number),
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      },
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 'abc', 'user-agent': 'jest' });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(context).toMatchObject({ functionName: 'taxi-pulse-api', awsRequestId: expect.any(String), remaining: expect.any(Number) });
  });

  it('passes a binary body base64-encoded and a GET without body or query', async () => {
    // Prepare
    const { url } = await front(echo);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);

    // Act
    const binary = await fetch(`${url}/upload`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const plain = await fetch(`${url}/`);

    // Assess
    const { event } = (await binary.json()) as { event: APIGatewayProxyEventV2 };
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
    const { event: get } = (await plain.json()) as { event: APIGatewayProxyEventV2 };
    expect(get).toMatchObject({ rawPath: '/', rawQueryString: '', isBase64Encoded: false });
    expect(get.body).toBeUndefined();
    expect(get.queryStringParameters).toBeUndefined();
  });

  it('writes status, headers, cookies and a base64 body back', async () => {
    // Prepare
    const { url } = await front(async () => ({
      statusCode: 201,
      headers: { 'X-Answer': 42, 'content-type': 'application/octet-stream' },
      cookies: ['session=abc; HttpOnly', 'theme=dark'],
      body: Buffer.from('binary!').toString('base64'),
      isBase64Encoded: true,
    }));

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('42');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('binary!');
  });

  it('answers a string result as a 200 JSON body', async () => {
    // Prepare
    const { url } = await front(async () => '{"ok":true}');

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers a crashing handler with a generic 500 that reveals nothing', async () => {
    // Prepare
    const { url } = await front(async () => {
      throw new Error('secret table name in a stack trace');
    });

    // Act
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    // Assess
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(text).not.toMatch(/secret|at /);
  });

  it('answers a malformed result with a 500', async () => {
    // Prepare
    const { url } = await front(async () => ({ statusCode: 'two hundred' }) as never);

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(500);
  });

  it('refuses a body over the limit with 413 without invoking the handler', async () => {
    // Prepare
    let invoked = false;
    const { url } = await front(
      async () => {
        invoked = true;
        return { statusCode: 200 };
      },
      { maxBodyBytes: 1024 },
    );

    // Act
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2048) });

    // Assess
    expect(response.status).toBe(413);
    expect(invoked).toBe(false);
  });

  it.each([10_300, 20_000, 200_000, 2_000_000])(
    "answers a GET whose URL of %s characters is over API Gateway's quota with 431, read whole (ten in a row)",
    async (length) => {
      // Prepare
      let invoked = false;
      const { url } = await front(async () => {
        invoked = true;
        return { statusCode: 200 };
      });
      const target = new URL(url);

      // Act: ten in a row, as the fuzzer sends them (the reset it once met could not be reproduced here;
      // the 10,300-character case is under Node's 16 KB and is refused by the quota alone).
      const statuses: Array<number | string> = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        statuses.push(
          await new Promise<number | string>((resolve) => {
            const call = request(
              { host: target.hostname, port: target.port, path: `/graphql?query=${'a'.repeat(length)}`, agent: false },
              (response) => {
                response.resume();
                response.on('end', () => resolve(response.statusCode ?? 0));
              },
            );
            call.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
            call.end();
          }),
        );
      }

      // Assess
      expect(statuses).toEqual(Array(10).fill(431));
      expect(invoked).toBe(false);
    },
  );

  it("passes a request whose request line and headers fit API Gateway's 10,240 bytes", async () => {
    const { url } = await front(echo);
    const response = await fetch(`${url}/graphql?query=${'a'.repeat(9000)}`);
    expect(response.status).toBe(200);
  });

  it('rejects with PortInUseError when the port is taken', async () => {
    // Prepare
    const { port } = await front(echo);

    // Act
    const second = front(echo, { port });

    // Assess
    await expect(second).rejects.toBeInstanceOf(PortInUseError);
    await expect(second).rejects.toMatchObject({ port });
  });
});

describe('startHttpFront CORS, as API Gateway plays its corsPreflight settings', () => {
  const ALLOWED = 'https://bi.example.com';
  let invocations: APIGatewayProxyEventV2[];
  const recording: ApiHandler = async (event: APIGatewayProxyEventV2) => {
    invocations.push(event);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"data":{}}' };
  };

  beforeEach(() => {
    invocations = [];
  });

  async function corsFront(allowedOrigins: string[]): Promise<HttpFront> {
    const started = await startHttpFront({ handler: recording, port: 0, logger: silentLogger, corsAllowedOrigins: allowedOrigins });
    fronts.push(started);
    return started;
  }

  const preflight = (url: string, origin: string, requestHeaders = 'content-type,x-api-key', method = 'POST') =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': requestHeaders },
    });

  it('answers a preflight from an allowed origin itself, without invoking the handler', async () => {
    // Prepare
    const { url } = await corsFront([ALLOWED]);

    // Act
    const response = await preflight(url, ALLOWED);

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(invocations).toEqual([]);
  });

  it('answers a preflight from another origin, or for another method or header, without allow headers', async () => {
    // Prepare
    const { url } = await corsFront([ALLOWED]);

    // Act
    const answers = await Promise.all([
      preflight(url, 'https://evil.example.com'),
      preflight(url, ALLOWED, 'content-type', 'DELETE'),
      preflight(url, ALLOWED, 'x-api-key,x-secret'),
    ]);

    // Assess
    for (const response of answers) {
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(invocations).toEqual([]);
  });

  it('adds the allow-origin header to answers for an allowed origin only', async () => {
    // Prepare
    const { url } = await corsFront([ALLOWED]);
    const post = (origin: string) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { Origin: origin, 'content-type': 'application/json' }, body: '{}' });

    // Act
    const [allowed, other] = await Promise.all([post(ALLOWED), post('https://evil.example.com')]);

    // Assess
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('apigw-requestid');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(invocations).toHaveLength(2);
  });

  it('answers OPTIONS with 404 when no origin is allowed, as an HTTP API without CORS has no OPTIONS route', async () => {
    // Prepare
    const { url } = await corsFront([]);

    // Act
    const response = await preflight(url, ALLOWED);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(invocations).toEqual([]);
  });
});
