import { MalformedResultError, toHttpResponse } from '../../../../src/local/api-gateway/api-gateway-result';

describe('toHttpResponse', () => {
  it('answers a string as a 200 JSON body', () => {
    // Act
    const response = toHttpResponse('{"data":{}}');

    // Assess
    expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"data":{}}') });
  });

  it('serialises an object without statusCode whole, as API Gateway infers', () => {
    // Act
    const response = toHttpResponse({ hello: 'world' } as never);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ hello: 'world' });
  });

  it('takes status, lower-cased headers and cookies, drops a stale content-length, decodes base64', () => {
    // Act
    const response = toHttpResponse({
      statusCode: 404,
      headers: { 'Content-Type': 'text/plain', 'Content-Length': 99, 'X-Flag': true },
      cookies: ['a=1'],
      body: Buffer.from('nope').toString('base64'),
      isBase64Encoded: true,
    });

    // Assess
    expect(response).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'text/plain', 'x-flag': 'true', 'set-cookie': ['a=1'] },
      body: Buffer.from('nope'),
    });
  });

  it.each([{ statusCode: 42 }, { statusCode: '200' }, { statusCode: 200, body: 12 }, { statusCode: 200, headers: 'x' }])(
    'rejects the malformed result %p',
    (result) => {
      // Act
      const map = () => toHttpResponse(result as never);

      // Assess
      expect(map).toThrow(MalformedResultError);
    },
  );
});
