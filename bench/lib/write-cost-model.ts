/**
 * The processor's write cost computed, not measured: trips spread over shards as Kinesis spreads them
 * (MD5 of the tripId), delivered in batches per shard, each batch's contributions grouped per item and
 * applied as the store applies them (one UpdateItem per item, split at 200 distinct attributes, a mark
 * per shard), each update billed by AWS's rule: ceil(larger of the item's sizes before and after / 1 KB),
 * sizes by AWS's rules (item-size.ts). Plus one ledger put per trip (1 unit: the item is under 1 KB) and
 * per batch one counters update and one shard-status put (1 unit each). Deterministic and quick (no
 * emulator), so item layouts can be compared before the store writes them; on format 2 it reproduces the
 * measured figure (bench/write-units.ts) to 0.001 write units per trip.
 */
import { markAttribute, markValue } from '../../src/store/keys';
import type { Trip } from '../../src/domain/trip';
import { sequenceNumberOf, shardIdOf, shardOfKey } from './events';
import type { ItemLayout } from './format3-items';
import { valueSize, writeUnitsOf } from './item-size';
import { median } from './stats';

/** src/store/marked-increments.ts splits an update at this many distinct attributes (an expression's 4 KB cap). */
const MAX_ATTRIBUTES_PER_UPDATE = 200;

export interface WriteCostOptions {
  readonly shards: number;
  readonly batchSize: number;
  /** Distinct attributes per UpdateItem before the update is split (the store's: 200). */
  readonly maxAttributesPerUpdate?: number;
}

export interface ItemKindFigures {
  items: number;
  updatesPerTrip: number;
  writeUnitsPerTrip: number;
  /** Sizes at the end (AWS's rules), bytes. */
  medianBytes: number;
  maxBytes: number;
}

export interface WriteCostFigures {
  trips: number;
  batches: number;
  writeUnitsPerTrip: number;
  ledgerPerTrip: number;
  aggregatesPerTrip: number;
  countersAndStatusPerTrip: number;
  updatesPerTrip: number;
  /** Distinct attributes added per update, summed: what an update expression carries. */
  attributeAddsPerTrip: number;
  /**
   * Attributes of the updated items after each update, summed: what an emulator reads, copies, sizes and
   * rewrites per update (dynalite's cost grows with it), and what DynamoDB bills by.
   */
  attributeVisitsPerTrip: number;
  byKind: Record<string, ItemKindFigures>;
}

interface ModelItem {
  kind: string;
  bytes: number;
  /** Attribute name -> value. */
  values: Map<string, number>;
  marks: Set<string>;
  updates: number;
  writeUnits: number;
}

/** `AGG#ZONE#074#DAY` -> `ZONE#DAY`, `AGG#BOROUGH#QUEENS#HOUR` -> `BOROUGH#HOUR`, `FLOW#DAY` as it is. */
export function itemKind(pk: string): string {
  const parts = pk.split('#');
  return parts[0] === 'AGG' ? `${parts[1]}#${parts[parts.length - 1]}` : pk;
}

function numberBytes(value: number): number {
  return valueSize({ N: String(value) });
}

/** Write cost of `trips` (in stream order) under `layout`. */
export function modelWriteCost(trips: readonly Trip[], layout: ItemLayout, options: WriteCostOptions): WriteCostFigures {
  const maxAttributes = options.maxAttributesPerUpdate ?? MAX_ATTRIBUTES_PER_UPDATE;
  const perShard: Trip[][] = Array.from({ length: options.shards }, () => []);
  for (const trip of trips) perShard[shardOfKey(trip.tripId, options.shards)].push(trip);
  const items = new Map<string, ModelItem>();
  let batches = 0;
  let updates = 0;
  let aggregateUnits = 0;
  let adds = 0;
  let visits = 0;
  const rounds = Math.max(...perShard.map((shardTrips) => Math.ceil(shardTrips.length / options.batchSize)));
  // Batches interleave round-robin across shards, as an event source mapping delivers a full stream.
  for (let round = 0; round < rounds; round++) {
    for (let shard = 0; shard < options.shards; shard++) {
      const start = round * options.batchSize;
      const batch = perShard[shard].slice(start, start + options.batchSize);
      if (batch.length === 0) continue;
      batches++;
      const markName = markAttribute(shardIdOf(shard));
      const grouped = new Map<
        string,
        { pk: string; sk: string; contributions: Array<{ sequence: number; increments: ReadonlyMap<string, number> }> }
      >();
      batch.forEach((trip, offset) => {
        for (const { key, increments } of layout(trip)) {
          const id = `${key.pk}\u0000${key.sk}`;
          let entry = grouped.get(id);
          if (!entry) grouped.set(id, (entry = { pk: key.pk, sk: key.sk, contributions: [] }));
          entry.contributions.push({ sequence: start + offset + 1, increments });
        }
      });
      for (const [id, { pk, sk, contributions }] of grouped) {
        let item = items.get(id);
        if (!item) {
          item = {
            kind: itemKind(pk),
            bytes: 2 + pk.length + 2 + sk.length,
            values: new Map(),
            marks: new Set(),
            updates: 0,
            writeUnits: 0,
          };
          items.set(id, item);
        }
        for (let next = 0; next < contributions.length;) {
          // One update per chunk of at most maxAttributes distinct names, as the store splits them.
          const names = new Set<string>();
          let count = 0;
          for (const { increments } of contributions.slice(next)) {
            for (const name of increments.keys()) names.add(name);
            if (count > 0 && names.size > maxAttributes) break;
            count++;
          }
          const chunk = contributions.slice(next, next + count);
          next += count;
          const sums = new Map<string, number>();
          for (const { increments } of chunk) for (const [name, amount] of increments) sums.set(name, (sums.get(name) ?? 0) + amount);
          const before = item.bytes;
          for (const [name, amount] of sums) {
            if (amount === 0) continue;
            adds++;
            const old = item.values.get(name);
            const value = (old ?? 0) + amount;
            item.bytes += old === undefined ? Buffer.byteLength(name) + numberBytes(value) : numberBytes(value) - numberBytes(old);
            item.values.set(name, value);
          }
          if (!item.marks.has(markName)) {
            item.marks.add(markName);
            item.bytes += markName.length + markValue(sequenceNumberOf(shard, 1)).length;
          }
          const units = writeUnitsOf(Math.max(before, item.bytes));
          item.updates++;
          item.writeUnits += units;
          aggregateUnits += units;
          updates++;
          visits += item.values.size + item.marks.size;
        }
      }
    }
  }
  const n = trips.length;
  const byKind: Record<string, ItemKindFigures> = {};
  const kinds = new Map<string, ModelItem[]>();
  for (const item of items.values()) kinds.set(item.kind, [...(kinds.get(item.kind) ?? []), item]);
  for (const [kind, list] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
    byKind[kind] = {
      items: list.length,
      updatesPerTrip: list.reduce((sum, item) => sum + item.updates, 0) / n,
      writeUnitsPerTrip: list.reduce((sum, item) => sum + item.writeUnits, 0) / n,
      medianBytes: Math.round(median(list.map((item) => item.bytes))),
      maxBytes: Math.max(...list.map((item) => item.bytes)),
    };
  }
  const countersAndStatus = 2 * batches;
  return {
    trips: n,
    batches,
    writeUnitsPerTrip: (n + aggregateUnits + countersAndStatus) / n,
    ledgerPerTrip: 1,
    aggregatesPerTrip: aggregateUnits / n,
    countersAndStatusPerTrip: countersAndStatus / n,
    updatesPerTrip: updates / n,
    attributeAddsPerTrip: adds / n,
    attributeVisitsPerTrip: visits / n,
    byKind,
  };
}
