import {
  ApiEdgeConfigError,
  corsResponseHeaders,
  isOriginAllowed,
  landingPageEnabled,
  parseAllowedOrigins,
  preflightHeaders,
} from '../../src/api-edge-config';

describe('parseAllowedOrigins', () => {
  it('reads a comma-separated list of origins, none when empty or unset', () => {
    expect(parseAllowedOrigins(' https://bi.example.com , http://localhost:5173 ')).toEqual([
      'https://bi.example.com',
      'http://localhost:5173',
    ]);
    expect(parseAllowedOrigins('')).toEqual([]);
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins('*')).toEqual(['*']);
  });

  it.each([
    'https://bi.example.com/',
    'bi.example.com',
    'https://bi.example.com/path',
    'ftp://bi.example.com',
    'https://BI.example.com',
    '*,https://a.example.com',
  ])('refuses %j, saying what an origin is', (text) => {
    expect(() => parseAllowedOrigins(text)).toThrow(ApiEdgeConfigError);
  });
});

describe('CORS rules', () => {
  const allowed = ['https://bi.example.com'];

  it('allows listed origins (case-insensitively) and every origin for *', () => {
    expect(isOriginAllowed('https://bi.example.com', allowed)).toBe(true);
    expect(isOriginAllowed('https://BI.example.com', allowed)).toBe(true);
    expect(isOriginAllowed('https://bi.example.com.evil.com', allowed)).toBe(false);
    expect(isOriginAllowed(undefined, allowed)).toBe(false);
    expect(isOriginAllowed('https://any.example', ['*'])).toBe(true);
  });

  it('echoes an allowed origin on answers, and * when every origin is allowed', () => {
    expect(corsResponseHeaders('https://bi.example.com', allowed)).toEqual({
      'access-control-allow-origin': 'https://bi.example.com',
      'access-control-expose-headers': 'apigw-requestid',
    });
    expect(corsResponseHeaders('https://other.example', allowed)).toEqual({});
    expect(corsResponseHeaders('https://other.example', ['*'])['access-control-allow-origin']).toBe('*');
  });

  it('allows a preflight for GET or POST with the API-key header, header names in any case', () => {
    expect(preflightHeaders('https://bi.example.com', 'get', 'X-Api-Key, Content-Type', allowed)).toMatchObject({
      'access-control-allow-methods': 'GET,POST',
    });
    expect(preflightHeaders('https://bi.example.com', 'PUT', 'x-api-key', allowed)).toEqual({});
    expect(preflightHeaders('https://bi.example.com', 'POST', 'authorization', allowed)).toEqual({});
  });
});

describe('landingPageEnabled', () => {
  it('is on against the local emulators and off on AWS, and can be turned off locally', () => {
    expect(landingPageEnabled({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567' })).toBe(true);
    expect(landingPageEnabled({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567', API_LANDING_PAGE: 'off' })).toBe(false);
    expect(landingPageEnabled({ API_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:k' })).toBe(false);
  });
});
