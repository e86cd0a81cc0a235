import { OneAtATime, oneReadAtATime } from '../../../src/serve/one-at-a-time';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import type { InsightsReader } from '../../../src/serve/insights-reader';

/** A promise and its resolve function. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('OneAtATime', () => {
  it('lets holders through one at a time, in the order they came', async () => {
    // Prepare
    const lane = new OneAtATime();
    const order: string[] = [];
    const first = deferred();

    // Act
    const a = lane.run(async () => {
      order.push('a starts');
      await first.promise;
      order.push('a ends');
    });
    const b = lane.run(async () => void order.push('b runs'));
    await new Promise((resolve) => setImmediate(resolve));
    const whileAHolds = [...order];
    first.resolve();
    await Promise.all([a, b]);

    // Assess
    expect(whileAHolds).toEqual(['a starts']);
    expect(order).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('lets the next one through when a holder fails', async () => {
    // Prepare
    const lane = new OneAtATime();

    // Act
    const failed = lane.run(async () => {
      throw new Error('boom');
    });
    const next = lane.run(async () => 'ran');

    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});

describe('oneReadAtATime', () => {
  it('starts a read only when the one before it has answered', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const inner = new InMemoryInsightsReader();
    const slow: InsightsReader = {
      readAggregates: async (...args) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return inner.readAggregates(...args);
      },
      readHourCounts: (...args) => inner.readHourCounts(...args),
      readFlows: (...args) => inner.readFlows(...args),
      readFlowHours: (...args) => inner.readFlowHours(...args),
      readCounts: () => inner.readCounts(),
      readShardStatus: () => inner.readShardStatus(),
    };
    const reader = oneReadAtATime(slow);

    // Act
    await Promise.all([1, 2, 3].map(() => reader.readAggregates({ kind: 'CITY' }, 'HOUR', ['2023-02-01T00', '2023-02-01T23'])));

    // Assess
    expect(most).toBe(1);
  });
});
