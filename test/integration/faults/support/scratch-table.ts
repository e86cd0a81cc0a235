/**
 * Fresh tables in the running emulator, one per run and pass, with the single table's key schema,
 * and a way to compare two of them item by item.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isMarkAttribute, itemKeyId } from '../../../../src/store/keys';
import { createTableInput } from '../../../../src/store/table-definition';

let created = 0;

/**
 * Creates an empty on-demand table with the single table's keys and returns its name once it is
 * ACTIVE (dynalite answers ResourceNotFoundException while a table is CREATING, even for a moment).
 */
export async function createScratchTable(client: DynamoDBClient, prefix: string): Promise<string> {
  const tableName = `${prefix}-${process.pid}-${++created}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') await sleep(5);
  return tableName;
}

export async function dropScratchTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
}

/** Every item of a table by `pk|sk`, without the exactly-once marks (they name sequence numbers, not results). */
export async function tableContents(documents: DynamoDBDocumentClient, tableName: string): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const kept = Object.fromEntries(Object.entries(item).filter(([name]) => !isMarkAttribute(name)));
      items.set(itemKeyId(item), kept);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The items that differ between two tables' contents (at most `limit`), for a readable failure. */
export function differences(
  actual: ReadonlyMap<string, Record<string, unknown>>,
  expected: ReadonlyMap<string, Record<string, unknown>>,
  limit = 5,
): Array<{ key: string; actual?: Record<string, unknown>; expected?: Record<string, unknown> }> {
  const found: Array<{ key: string; actual?: Record<string, unknown>; expected?: Record<string, unknown> }> = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key);
    const e = expected.get(key);
    if (JSON.stringify(sorted(a)) !== JSON.stringify(sorted(e))) found.push({ key, actual: a, expected: e });
    if (found.length >= limit) break;
  }
  return found;
}

function sorted(item: Record<string, unknown> | undefined): unknown {
  if (item === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(item)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, canonical(value)]),
  );
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Set) return [...value].sort();
  if (value && typeof value === 'object') return sorted(value as Record<string, unknown>);
  return value;
}
