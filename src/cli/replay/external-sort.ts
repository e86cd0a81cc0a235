/**
 * Sorting a stream of items by a numeric key within a memory bound: up to `maxInMemory` items are
 * sorted in memory; beyond that, each full buffer is sorted and spilled to a temporary file as a run
 * (JSON lines), and the runs are merged with a heap, reading one line of each at a time. The sort is
 * stable: equal keys keep their input order. The replay uses it to send a file's trips in pickup order.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';

export interface ExternalSortOptions {
  /** Items held in memory at most (while reading and while merging, apart from one per run). */
  readonly maxInMemory: number;
  /** Where runs are spilled (a fresh folder inside it, removed afterwards); the OS temp folder by default. */
  readonly tempDir?: string;
  /** Called with the number of runs when the input did not fit in memory. */
  readonly onSpill?: (runs: number) => void;
}

interface Keyed<T> {
  /** Sort key. */
  readonly k: number;
  /** Input position: breaks ties, so the sort is stable. */
  readonly i: number;
  readonly v: T;
}

const byKeyThenPosition = <T>(a: Keyed<T>, b: Keyed<T>) => a.k - b.k || a.i - b.i;

/**
 * Yields the items of `source` in ascending `key` order (ties in input order). Items must survive
 * JSON.stringify/parse unchanged when the input spills (plain data such as trip submissions do).
 * Temporary files are removed when the generator finishes, fails or is closed early.
 */
export async function* sortByKey<T>(source: AsyncIterable<T>, key: (item: T) => number, options: ExternalSortOptions): AsyncGenerator<T> {
  if (!Number.isInteger(options.maxInMemory) || options.maxInMemory < 1) {
    throw new RangeError(`maxInMemory must be a positive integer, got ${options.maxInMemory}`);
  }
  let buffer: Keyed<T>[] = [];
  let position = 0;
  let runDir: string | undefined;
  const runs: string[] = [];
  try {
    for await (const item of source) {
      // A full buffer spills only when one more item comes: an input of exactly the bound stays in memory.
      if (buffer.length === options.maxInMemory) {
        runDir ??= await mkdtemp(join(options.tempDir ?? tmpdir(), 'taxi-pulse-sort-'));
        runs.push(await spill(buffer.sort(byKeyThenPosition), join(runDir, `run-${runs.length}.jsonl`)));
        buffer = [];
      }
      buffer.push({ k: key(item), i: position++, v: item });
    }
    buffer.sort(byKeyThenPosition);
    if (runs.length === 0) {
      for (const item of buffer) yield item.v;
      return;
    }
    if (buffer.length > 0) runs.push(await spill(buffer, join(runDir!, `run-${runs.length}.jsonl`)));
    buffer = [];
    options.onSpill?.(runs.length);
    yield* merge<T>(runs);
  } finally {
    if (runDir) await rm(runDir, { recursive: true, force: true });
  }
}

async function spill<T>(sorted: readonly Keyed<T>[], path: string): Promise<string> {
  const out = createWriteStream(path);
  for (const item of sorted) {
    if (!out.write(`${JSON.stringify(item)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** A k-way merge of sorted runs: a binary min-heap holding the head of each run. */
async function* merge<T>(paths: readonly string[]): AsyncGenerator<T> {
  const readers = paths.map((path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator]());
  try {
    const heap: Array<{ item: Keyed<T>; run: number }> = [];
    const pull = async (run: number) => {
      const next = await readers[run].next();
      if (!next.done) push(heap, { item: JSON.parse(next.value) as Keyed<T>, run });
    };
    for (let run = 0; run < readers.length; run++) await pull(run);
    while (heap.length > 0) {
      const { item, run } = pop(heap);
      yield item.v;
      await pull(run);
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.return?.()));
  }
}

type Entry<T> = { item: Keyed<T>; run: number };

function push<T>(heap: Entry<T>[], entry: Entry<T>): void {
  heap.push(entry);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (byKeyThenPosition(heap[parent].item, heap[index].item) <= 0) break;
    [heap[parent], heap[index]] = [heap[index], heap[parent]];
    index = parent;
  }
}

function pop<T>(heap: Entry<T>[]): Entry<T> {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && byKeyThenPosition(heap[left].item, heap[smallest].item) < 0) smallest = left;
      if (right < heap.length && byKeyThenPosition(heap[right].item, heap[smallest].item) < 0) smallest = right;
      if (smallest === index) break;
      [heap[smallest], heap[index]] = [heap[index], heap[smallest]];
      index = smallest;
    }
  }
  return top;
}
