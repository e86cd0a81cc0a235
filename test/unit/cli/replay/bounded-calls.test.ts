import { BoundedCalls } from '../../../../src/cli/replay/bounded-calls';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('BoundedCalls', () => {
  it('keeps at most `limit` calls in flight, starting the next when one finishes', async () => {
    // Prepare
    const calls = new BoundedCalls(2);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let mostRunning = 0;
    const call = (index: number) => async () => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      await gates[index].promise;
      running -= 1;
    };

    // Act
    await calls.start(call(0));
    await calls.start(call(1));
    const third = calls.start(call(2));
    const thirdStartedEarly = running === 3;
    gates[0].resolve();
    await third;
    gates[1].resolve();
    gates[2].resolve();
    await calls.drain();

    // Assess
    expect(thirdStartedEarly).toBe(false);
    expect(mostRunning).toBe(2);
  });

  it('throws the first failure to the next start and to drain, and aborts its signal', async () => {
    // Prepare
    const calls = new BoundedCalls(1);
    const failure = new Error('boom');

    // Act
    await calls.start(async () => {
      throw failure;
    });
    const next = calls.start(async () => undefined);

    // Assess
    await expect(next).rejects.toBe(failure);
    await expect(calls.drain()).rejects.toBe(failure);
    expect(calls.signal.aborted).toBe(true);
  });
});
