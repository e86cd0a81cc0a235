/**
 * The HTTP API routes of the dashboard page: the CDK stack declares them on API Gateway, the local
 * HTTP front matches them the same way, both in front of src/dashboard/serve/handler.ts.
 */
export const DASHBOARD_ROUTES = [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/assets/{proxy+}' },
] as const;

/** `GET /`, `GET /assets/{proxy+}`: the routes as API Gateway keys them. */
export const DASHBOARD_ROUTE_KEYS = DASHBOARD_ROUTES.map((route) => `${route.method} ${route.path}`);
