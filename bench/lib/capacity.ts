/**
 * Counts what DynamoDB reports as consumed: a middleware on a client asks every request for
 * ReturnConsumedCapacity TOTAL and sums the answer per operation. Optionally it also asks UpdateItem
 * for the new item (ReturnValues ALL_NEW, which costs nothing) so that the write units can be recomputed
 * from item sizes by AWS's rules (see item-size.ts) and compared with the emulator's figure.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSize, writeUnitsOf } from './item-size';

const WIRE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

function isWireValue(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && WIRE_TYPES.has(keys[0]);
}

/** An item in DynamoDB's wire format (AttributeValue maps), whichever form it came in. */
export function wireFormat(item: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.values(item).every(isWireValue)
    ? (item as Record<string, Record<string, unknown>>)
    : (marshall(item, { removeUndefinedValues: true }) as unknown as Record<string, Record<string, unknown>>);
}

export interface OperationTally {
  calls: number;
  /** Items written (puts in a BatchWriteItem, or 1) or read (items returned). */
  items: number;
  capacityUnits: number;
  conditionalFailures: number;
  /** UpdateItem only, with checkSizes: units recomputed from the new item's size by AWS's rules. */
  awsRuleUnits?: number;
  /** UpdateItem only, with checkSizes: sizes of the items after each update (bytes). */
  itemSizes?: number[];
}

export interface CapacityMeter {
  readonly byOperation: Record<string, OperationTally>;
  writeUnits(): number;
  readUnits(): number;
  reset(): void;
  snapshot(): Record<string, OperationTally>;
}

const WRITE_OPERATIONS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** Installs the meter on `client` (a document client shares its base client's middleware stack). */
export function installCapacityMeter(
  client: DynamoDBClient | DynamoDBDocumentClient,
  options: { checkSizes?: boolean } = {},
): CapacityMeter {
  const byOperation: Record<string, OperationTally> = {};
  const tally = (name: string) => (byOperation[name] ??= { calls: 0, items: 0, capacityUnits: 0, conditionalFailures: 0 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName ?? 'unknown');
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const sizeCheck = options.checkSizes && name === 'UpdateItemCommand' && input.ReturnValues === undefined;
      if (sizeCheck) input.ReturnValues = 'ALL_NEW';
      const entry = tally(name);
      entry.calls++;
      try {
        const result = await next(args);
        const output = result.output as unknown as Record<string, unknown>;
        const consumed = output.ConsumedCapacity as { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;
        entry.capacityUnits += Array.isArray(consumed)
          ? consumed.reduce((sum, used) => sum + (used.CapacityUnits ?? 0), 0)
          : (consumed?.CapacityUnits ?? 0);
        entry.items += itemsOf(name, input, output);
        if (sizeCheck && output.Attributes) {
          // A document client hands its middleware native values here: back to the wire format.
          const attributes = wireFormat(output.Attributes as Record<string, unknown>);
          const bytes = itemSize(attributes);
          entry.awsRuleUnits = (entry.awsRuleUnits ?? 0) + writeUnitsOf(bytes);
          (entry.itemSizes ??= []).push(bytes);
          delete output.Attributes;
        }
        return result;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') entry.conditionalFailures++;
        throw error;
      }
    },
    { step: 'serialize', priority: 'high', name: 'benchCapacityMeter' },
  );
  const sum = (write: boolean) =>
    Object.entries(byOperation).reduce(
      (total, [name, entry]) => total + (WRITE_OPERATIONS.has(name) === write ? entry.capacityUnits : 0),
      0,
    );
  return {
    byOperation,
    writeUnits: () => sum(true),
    readUnits: () => sum(false),
    reset: () => {
      for (const name of Object.keys(byOperation)) delete byOperation[name];
    },
    snapshot: () => JSON.parse(JSON.stringify(byOperation)) as Record<string, OperationTally>,
  };
}

function itemsOf(name: string, input: Record<string, unknown>, output: Record<string, unknown>): number {
  switch (name) {
    case 'BatchWriteItemCommand': {
      const requests = Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce((sum, list) => sum + list.length, 0);
      const unprocessed = Object.values((output.UnprocessedItems ?? {}) as Record<string, unknown[]>).reduce(
        (sum, list) => sum + list.length,
        0,
      );
      return requests - unprocessed;
    }
    case 'BatchGetItemCommand':
      return Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce((sum, list) => sum + list.length, 0);
    case 'QueryCommand':
      return Number(output.Count ?? 0);
    case 'GetItemCommand':
      return output.Item ? 1 : 0;
    default:
      return 1;
  }
}
