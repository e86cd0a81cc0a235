import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sortByKey } from '../../../../src/cli/replay/external-sort';

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The reference: a stable in-memory sort. */
const stableSort = <T extends { key: number }>(items: readonly T[]) => [...items].sort((a, b) => a.key - b.key);

describe('sortByKey', () => {
  let tempDir: string;
  beforeEach(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-sort-test-'));
  });
  afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

  it('sorts in memory when the input fits, keeping equal keys in input order', async () => {
    const items = [3, 1, 2, 1, 3].map((key, index) => ({ key, index }));
    let spilled = 0;
    const sorted = await collect(
      sortByKey(from(items), (item) => item.key, { maxInMemory: 10, tempDir, onSpill: (runs) => (spilled = runs) }),
    );
    expect(sorted).toEqual(stableSort(items));
    expect(spilled).toBe(0);
  });

  it('spills sorted runs to disk and merges them into the same order as an in-memory sort, for any input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 17 }),
        async (keys, bound) => {
          const items = keys.map((key, index) => ({ key, index, note: `trip ${index}`, nothing: null }));
          let runs = 0;
          const sorted = await collect(
            sortByKey(from(items), (item) => item.key, { maxInMemory: bound, tempDir, onSpill: (count) => (runs = count) }),
          );
          expect(sorted).toEqual(stableSort(items));
          expect(runs).toBe(items.length > bound ? Math.ceil(items.length / bound) : 0);
          expect(readdirSync(tempDir)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('removes its runs when the reader stops early', async () => {
    const items = Array.from({ length: 50 }, (_, index) => ({ key: 50 - index }));
    const sorted = sortByKey(from(items), (item) => item.key, { maxInMemory: 7, tempDir });
    const first = await sorted.next();
    expect(first.value).toEqual({ key: 1 });
    expect(readdirSync(tempDir)).toHaveLength(1);
    await sorted.return(undefined);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('refuses a memory bound below one item', async () => {
    await expect(collect(sortByKey(from([1]), (item) => item, { maxInMemory: 0 }))).rejects.toThrow(RangeError);
  });
});
