/**
 * Route matching as API Gateway's HTTP API does it for the routes this project declares: a method and
 * a literal path (`GET /`), or a path ending in a greedy variable (`GET /assets/{proxy+}`). Requests
 * that match no route go to the `$default` route.
 */

export interface RouteMatch {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

const GREEDY = /^(.*\/)\{(\w+)\+\}$/;

/** The route `routeKey` (`METHOD /path`) matched by `method` and `path`, with its path parameters; else undefined. */
export function matchRoute(routeKey: string, method: string, path: string): RouteMatch | undefined {
  const space = routeKey.indexOf(' ');
  const routeMethod = routeKey.slice(0, space);
  const routePath = routeKey.slice(space + 1);
  if (routeMethod !== 'ANY' && routeMethod !== method.toUpperCase()) return undefined;
  const greedy = GREEDY.exec(routePath);
  if (!greedy) return routePath === path ? { routeKey } : undefined;
  const [, prefix, name] = greedy;
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  return { routeKey, pathParameters: { [name]: safeDecode(path.slice(prefix.length)) } };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
