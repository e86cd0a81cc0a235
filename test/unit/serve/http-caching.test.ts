import { cacheControlOf, CACHE_POLICY, maxAgeSeconds } from '../../../src/serve/http-caching';

describe('Cache-Control of query answers', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  it('keeps insights over a range that ended before late trips stop arriving for an hour, nearer ones a few seconds', () => {
    expect(cacheControlOf({ kind: 'range', toMs: now - CACHE_POLICY.settledAfterMs }, now)).toBe('private, max-age=3600');
    expect(cacheControlOf({ kind: 'range', toMs: now - CACHE_POLICY.settledAfterMs + 1 }, now)).toBe('private, max-age=5');
    expect(cacheControlOf({ kind: 'range', toMs: now + 86_400_000 }, now)).toBe('private, max-age=5');
  });

  it('asks for revalidation of the live counters and keeps the zone table a day', () => {
    expect(cacheControlOf({ kind: 'live' }, now)).toBe('private, no-cache');
    expect(maxAgeSeconds({ kind: 'static' }, now)).toBe(86_400);
  });
});
