/**
 * A first-come first-served lane that lets one holder through at a time, and a read port whose reads
 * take turns in one. Heavy operations use both (operation-policy-plugin.ts): in a process serving many
 * requests at once (the local stack) they run one after another, each read at a time, and light
 * requests keep their share of the event loop; a Lambda instance serves one request at a time, so
 * there the lane never waits.
 */
import type { InsightsReader } from './insights-reader';

export class OneAtATime {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when it is the caller's turn, with the function that ends it (call it exactly once). */
  async enter(): Promise<() => void> {
    let leave!: () => void;
    const turn = new Promise<void>((resolve) => (leave = resolve));
    const before = this.tail;
    this.tail = before.then(() => turn);
    await before;
    return leave;
  }

  /** Runs `work` in its turn. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const leave = await this.enter();
    try {
      return await work();
    } finally {
      leave();
    }
  }
}

/** The read port with its reads one at a time, in the order they were asked for. */
export function oneReadAtATime(reader: InsightsReader): InsightsReader {
  const lane = new OneAtATime();
  return {
    readAggregates: (...args) => lane.run(() => reader.readAggregates(...args)),
    readHourCounts: (...args) => lane.run(() => reader.readHourCounts(...args)),
    readFlows: (...args) => lane.run(() => reader.readFlows(...args)),
    readFlowHours: (...args) => lane.run(() => reader.readFlowHours(...args)),
    readCounts: () => lane.run(() => reader.readCounts()),
    readShardStatus: () => lane.run(() => reader.readShardStatus()),
  };
}
