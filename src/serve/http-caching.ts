/**
 * Cache-Control of the API's answers. Answers need a key, so only the caller's own cache may keep them
 * (`private`), and they vary with the key. A successful query keeps as long as its shortest-lived root
 * field (cost-model.ts, `freshness`): insights over a range that ended long enough ago for late trips
 * to have landed keep an hour, anything nearer the present a few seconds, the pipeline's own counters
 * not at all; mutations and every error answer are `no-store`.
 */
import type { Freshness } from './cost-model';

export const CACHE_POLICY = {
  /**
   * When a range counts as settled: a trip is counted by pickup time and may end up to 24 hours later
   * (longer trips are rejected), and apps submit it after it ends; a day more covers their delays.
   * Replays of old files still change settled ranges: those show up within `settledMaxAgeSeconds`.
   */
  settledAfterMs: 48 * 60 * 60 * 1000,
  settledMaxAgeSeconds: 3600,
  /** Ranges that touch the last two days, the present or the future. */
  recentMaxAgeSeconds: 5,
  /** The zone table and the schema: they change with a deployment. */
  staticMaxAgeSeconds: 86_400,
} as const;

export const NO_STORE = 'no-store';

/** How long an answer of this freshness may be kept, in seconds, at `nowMs`. */
export function maxAgeSeconds(freshness: Freshness, nowMs: number): number {
  switch (freshness.kind) {
    case 'static':
      return CACHE_POLICY.staticMaxAgeSeconds;
    case 'live':
      return 0;
    case 'range':
      return freshness.toMs <= nowMs - CACHE_POLICY.settledAfterMs ? CACHE_POLICY.settledMaxAgeSeconds : CACHE_POLICY.recentMaxAgeSeconds;
  }
}

/** The Cache-Control header of a successful query answer of this freshness. */
export function cacheControlOf(freshness: Freshness, nowMs: number): string {
  const seconds = maxAgeSeconds(freshness, nowMs);
  // no-cache, not no-store: a client may keep the answer but must ask again before using it.
  return seconds === 0 ? 'private, no-cache' : `private, max-age=${seconds}`;
}
