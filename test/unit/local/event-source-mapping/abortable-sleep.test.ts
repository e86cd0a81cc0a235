import { abortableSleep, backoffDelay } from '../../../../src/local/event-source-mapping/abortable-sleep';

describe('backoffDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    // Act
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 100, 1000));

    // Assess
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('abortableSleep', () => {
  it('returns as soon as the signal aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const started = Date.now();

    // Act
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort();
    await sleeping;

    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
