/**
 * At most N calls in flight: the replay's back-pressure. Reading waits for a free slot, so a fast
 * file never piles up more than N batches in memory, and the first failure stops the replay.
 */
export class BoundedCalls {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly limit: number) {}

  /** Aborted on the first failure, so calls still in flight stop instead of retrying for nothing. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Starts `call` once fewer than `limit` calls are in flight, and returns when it has started (not
   * finished). Throws the first failure of any earlier call, so the caller stops feeding work.
   */
  async start(call: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.limit && !this.failure) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = call()
      .catch((error: unknown) => {
        this.failure ??= { error };
        this.controller.abort(error);
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Waits for every call in flight; throws the first failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  /** Waits until nothing is in flight, failures or not: so a failed replay returns only when quiet. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
