/**
 * The API's edge, decided in one place: which browser origins may call it (CORS) and the rules API
 * Gateway applies for them, and whether the landing page is served. On AWS the HTTP API's
 * corsPreflight settings answer preflights and add the headers (infra/stateless-stack.ts, from the
 * `corsAllowedOrigins` CDK context); locally the HTTP front plays the same rules from the same
 * functions (src/local/api-gateway/cors.ts, from CORS_ALLOWED_ORIGINS). See docs/api-edge.md.
 */

export class ApiEdgeConfigError extends Error {
  override name = 'ApiEdgeConfigError';
}

/** The environment variables and CDK context keys of the edge. */
export const API_EDGE_SETTINGS = {
  /** Comma-separated origins, e.g. `https://bi.example.com,http://localhost:5173`, or `*`. */
  corsAllowedOriginsVariable: 'CORS_ALLOWED_ORIGINS',
  corsAllowedOriginsContext: 'corsAllowedOrigins',
  /** `off` turns the local landing page off; it is never on against AWS. */
  landingPageVariable: 'API_LANDING_PAGE',
} as const;

/**
 * What a cross-origin browser call may carry. `x-api-key` is why every call from another origin is
 * preflighted: a request with a custom header is never a "simple" CORS request.
 */
export const CORS_RULES = {
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['content-type', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name'],
  /** API Gateway's request id, for reporting a problem. */
  exposeHeaders: ['apigw-requestid'],
  /** How long a browser may reuse a preflight answer. */
  maxAgeSeconds: 600,
} as const;

// scheme://host[:port] and nothing else: no path, no trailing slash (browsers send origins this way).
const ORIGIN = /^https?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;

/**
 * The allowed origins from their comma-separated list (empty or unset: none, so no cross-origin call
 * is allowed). Each must be an origin as browsers send it (`https://bi.example.com`,
 * `http://localhost:5173`), lower case, or `*` alone. Throws ApiEdgeConfigError otherwise.
 */
export function parseAllowedOrigins(text: string | undefined): string[] {
  const origins = (text ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  if (origins.includes('*')) {
    if (origins.length > 1) throw new ApiEdgeConfigError('allowed origins: `*` allows every origin and cannot be combined with others');
    return origins;
  }
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new ApiEdgeConfigError(
        `allowed origins: ${JSON.stringify(origin)} is not an origin (scheme://host[:port] in lower case, no path), e.g. https://bi.example.com`,
      );
    }
  }
  return origins;
}

/** Whether a request's Origin is allowed: listed exactly (origins are case-insensitive), or `*`. */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  return allowed.includes('*') || allowed.includes(origin.toLowerCase());
}

/** The CORS headers of an answer to an allowed origin (none for any other). */
export function corsResponseHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!isOriginAllowed(origin, allowed)) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') ? '*' : origin!,
    'access-control-expose-headers': CORS_RULES.exposeHeaders.join(','),
  };
}

/**
 * The answer to a preflight (OPTIONS with Access-Control-Request-Method), as API Gateway's HTTP API
 * gives it when CORS is configured: 204, with the allow headers only for an allowed origin asking for
 * an allowed method and headers; the browser refuses the call when they are missing.
 */
export function preflightHeaders(
  origin: string | undefined,
  requestMethod: string | undefined,
  requestHeaders: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  if (!isOriginAllowed(origin, allowed)) return {};
  if (!requestMethod || !(CORS_RULES.allowMethods as readonly string[]).includes(requestMethod.toUpperCase())) return {};
  const asked = (requestHeaders ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  if (asked.some((name) => !(CORS_RULES.allowHeaders as readonly string[]).includes(name))) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') ? '*' : origin!,
    'access-control-allow-methods': CORS_RULES.allowMethods.join(','),
    'access-control-allow-headers': CORS_RULES.allowHeaders.join(','),
    'access-control-max-age': String(CORS_RULES.maxAgeSeconds),
  };
}

/**
 * Whether the API handler serves its landing page (Apollo Sandbox with the read key filled in): only
 * against the local emulators (DYNAMODB_ENDPOINT set, which the local runtime does and the CDK stack
 * never does), unless API_LANDING_PAGE=off.
 */
export function landingPageEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DYNAMODB_ENDPOINT) && env[API_EDGE_SETTINGS.landingPageVariable] !== 'off';
}
