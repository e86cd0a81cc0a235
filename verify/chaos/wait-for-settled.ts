/**
 * Waits until the processor has caught up with everything the replay sent, seen from outside through
 * the API: the accepted count reaches the expected one and nothing changes for a while. A pipeline
 * that counts wrong never reaches it: then it waits until nothing changed for `giveUpQuietMs` (or
 * the timeout) and the comparison shows the difference.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, IngestionCountsAnswer } from './api-client';

export interface SettleOptions {
  readonly expectedAccepted: number;
  readonly timeoutMs: number;
  /** Unchanged this long with the expected count: settled. */
  readonly quietMs?: number;
  /** Unchanged this long without it: give up waiting. */
  readonly giveUpQuietMs?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly onPoll?: (counts: IngestionCountsAnswer) => void;
}

export async function waitForSettled(api: ApiClient, options: SettleOptions): Promise<IngestionCountsAnswer> {
  const { quietMs = 3000, giveUpQuietMs = 30_000, pollMs = 500 } = options;
  const deadline = Date.now() + options.timeoutMs;
  let last = await api.ingestionCounts();
  let changedAt = Date.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const quietFor = Date.now() - changedAt;
    if (last.acceptedTrips === options.expectedAccepted && quietFor >= quietMs) return last;
    if (quietFor >= giveUpQuietMs || Date.now() > deadline) return last;
    await sleep(pollMs, undefined, { signal: options.signal });
    const counts = await api.ingestionCounts();
    options.onPoll?.(counts);
    if (JSON.stringify(counts) !== JSON.stringify(last)) changedAt = Date.now();
    last = counts;
  }
}
