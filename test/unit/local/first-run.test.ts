import { catchUp } from '../../../src/local/first-run';
import type { LocalStack } from '../../../src/local/local-stack';
import { PollerNotIdleError } from '../../../src/local/event-source-mapping/stream-poller';

/** Just what catchUp uses of a stack: the poller's status and waitForIdle. */
function stackStub(waitForIdle: () => Promise<void>): LocalStack {
  return {
    poller: { status: () => [{ recordsProcessed: 10, recordsSentToOnFailure: 0 }] },
    waitForIdle,
    onFailurePath: '/tmp/on-failure.jsonl',
  } as unknown as LocalStack;
}

describe('catchUp', () => {
  let log: jest.SpyInstance;
  beforeEach(() => (log = jest.spyOn(console, 'log').mockImplementation(() => undefined)));
  afterEach(() => log.mockRestore());

  it('announces when the processor is up to date', async () => {
    await catchUp(
      stackStub(async () => undefined),
      new AbortController().signal,
    );

    expect(log.mock.calls.flat().join('\n')).toMatch(/Data loaded/);
  });

  it('ends quietly when Ctrl-C stops the poller while it waits', async () => {
    const shutdown = new AbortController();
    let calls = 0;
    const stack = stackStub(async () => {
      calls++;
      if (calls === 1) throw new PollerNotIdleError('still behind');
      // Ctrl-C: the stack is stopping, and the poller's wait ends with its own error.
      shutdown.abort();
      throw new Error('the poller was stopped');
    });

    await expect(catchUp(stack, shutdown.signal)).resolves.toBeUndefined();
    expect(log.mock.calls.flat().join('\n')).not.toMatch(/Data loaded/);
  });

  it('still reports a failure that is not a shutdown', async () => {
    const broken = stackStub(async () => {
      throw new Error('checkpoint table unreadable');
    });

    await expect(catchUp(broken, new AbortController().signal)).rejects.toThrow('checkpoint table unreadable');
  });
});
