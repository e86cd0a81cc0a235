/**
 * Is a rebuilt table the live table? Reads both whole (a Scan: a verification tool, never behind the
 * API) and compares them item by item: every figure of every aggregate, flow and counters item, every
 * ledger item (trip ledger, rejected trips, poison records) and the format stamp, with the exactly-once
 * marks compared on their own. Items of the local runtime's own bookkeeping, which a table of the lake
 * does not hold (the poller's checkpoints, the processor's shard status), are left out, by name.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { isMarkAttribute, itemKeyId } from '../../src/store/keys';

/** Partitions of runtime bookkeeping, not of the pipeline's data: not in a rebuilt table. */
export const BOOKKEEPING_PARTITIONS = [/^CHECKPOINT#/, /^STATUS$/];

export interface TableComparison {
  /** Items compared (bookkeeping left out), per table. */
  readonly liveItems: number;
  readonly rebuiltItems: number;
  /** Items by the kind their partition names (AGG, FLOW, TRIP, REJECTED, POISON, STATS). */
  readonly kinds: Record<string, number>;
  /** Differences in figures or ledger content: none means the tables hold the same data. */
  readonly differences: readonly string[];
  /** Items whose marks differ (figures aside). */
  readonly markDifferences: readonly string[];
}

/** Every item of a table, by `pk|sk`. */
export async function scanTable(client: DynamoDBDocumentClient, tableName: string): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) items.set(itemKeyId(item), item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function split(item: Record<string, unknown>): { figures: Record<string, unknown>; marks: Record<string, unknown> } {
  const figures: Record<string, unknown> = {};
  const marks: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) (isMarkAttribute(name) ? marks : figures)[name] = value;
  return { figures, marks };
}

/** Compares two tables item by item (see the file comment); at most `limit` differences spelt out of each kind. */
export async function compareTables(
  client: DynamoDBDocumentClient,
  liveTable: string,
  rebuiltTable: string,
  limit = 10,
): Promise<TableComparison> {
  const keep = (items: Map<string, Record<string, unknown>>) =>
    new Map([...items].filter(([, item]) => !BOOKKEEPING_PARTITIONS.some((pattern) => pattern.test(String(item.pk)))));
  const [live, rebuilt] = await Promise.all([scanTable(client, liveTable).then(keep), scanTable(client, rebuiltTable).then(keep)]);
  const differences: string[] = [];
  const markDifferences: string[] = [];
  let differing = 0;
  let marksDiffering = 0;
  const kinds: Record<string, number> = {};
  for (const [id, item] of live) {
    const kind = String(item.pk).split('#')[0];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const other = rebuilt.get(id);
    if (!other) {
      if (differing++ < limit) differences.push(`${id}: in ${liveTable}, not in ${rebuiltTable}`);
      continue;
    }
    const a = split(item);
    const b = split(other);
    if (!isDeepStrictEqual(a.figures, b.figures)) {
      const names = [...new Set([...Object.keys(a.figures), ...Object.keys(b.figures)])].filter(
        (name) => !isDeepStrictEqual(a.figures[name], b.figures[name]),
      );
      if (differing++ < limit) {
        differences.push(
          `${id}: ${names
            .slice(0, 5)
            .map((name) => `${name} ${JSON.stringify(a.figures[name])} live, ${JSON.stringify(b.figures[name])} rebuilt`)
            .join('; ')}`,
        );
      }
    }
    if (!isDeepStrictEqual(a.marks, b.marks) && marksDiffering++ < limit) {
      markDifferences.push(`${id}: marks ${JSON.stringify(a.marks)} live, ${JSON.stringify(b.marks)} rebuilt`);
    }
  }
  for (const id of rebuilt.keys())
    if (!live.has(id) && differing++ < limit) differences.push(`${id}: in ${rebuiltTable}, not in ${liveTable}`);
  if (differing > differences.length) differences.push(`... ${differing} items differ in all`);
  if (marksDiffering > markDifferences.length) markDifferences.push(`... ${marksDiffering} items' marks differ in all`);
  return { liveItems: live.size, rebuiltItems: rebuilt.size, kinds, differences, markDifferences };
}
