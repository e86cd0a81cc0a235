/**
 * Exactly-once counters without transactions: each item remembers, per shard, the highest sequence
 * number whose contribution it holds (its high-water mark), and an update adds exactly the
 * contributions above that mark. The argument why this is exactly once: docs/exactly-once.md.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { markAttribute, markValue, sequenceNumberOfMark, type ItemKey } from './keys';
import { TABLE_KEY } from './table-definition';

/** Receives one attribute increment: its name and a non-zero amount. */
export type IncrementSink = (name: string, amount: number) => void;

/** What one stream record adds to one item. */
export interface Contribution {
  /** The record's sequence number (decimal string). */
  readonly sequenceNumber: string;
  /**
   * Calls `add` once per attribute the record adds to the item. Called when the update is built (and
   * again if a retry has to leave some records out), so a batch's records are summed straight into one
   * map per item, without a map per record.
   */
  readonly addIncrements: (add: IncrementSink) => void;
}

/** All contributions of one shard's records to one item, in sequence-number order. */
export interface MarkedUpdate {
  readonly key: ItemKey;
  readonly shardId: string;
  readonly contributions: readonly Contribution[];
}

export class MarkedUpdateError extends Error {
  override name = 'MarkedUpdateError';
}

/** Result of applying one item's contributions: write units consumed and how many were new. */
export interface MarkedUpdateOutcome {
  writeUnits: number;
  applied: number;
  skipped: number;
}

/**
 * DynamoDB's limit on the length of any expression string (Constraints, "Expression parameters": "The
 * maximum length of any expression string is 4 KB"). An ADD clause holds no operator, so the other
 * limit there, 300 operators or functions per UpdateExpression, does not bind.
 */
export const MAX_EXPRESSION_BYTES = 4096;

/**
 * An update names at most this many attributes; a larger set of contributions is applied as several
 * updates, each advancing the mark, in sequence order. With placeholders of one or two base-36 digits an
 * ADD of 400 attributes takes 3,149 bytes of UpdateExpression, inside MAX_EXPRESSION_BYTES (a unit test
 * holds it there). Fewer, larger updates cost fewer writes of the whole item.
 */
export const MAX_ATTRIBUTES_PER_UPDATE = 400;
const MAX_CONDITION_RETRIES = 5;

/**
 * Applies the contributions of `update` that the item does not hold yet, and advances its mark.
 * Safe to call again with the same or overlapping contributions (a retried batch with other
 * boundaries): those at or below the mark are skipped.
 */
export async function applyMarkedUpdate(
  client: DynamoDBDocumentClient,
  tableName: string,
  update: MarkedUpdate,
): Promise<MarkedUpdateOutcome> {
  const outcome: MarkedUpdateOutcome = { writeUnits: 0, applied: 0, skipped: 0 };
  let pending = update.contributions;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_CONDITION_RETRIES) {
      throw new MarkedUpdateError(
        `mark of ${update.key.pk} / ${update.key.sk} kept moving; is more than one processor reading shard ${update.shardId}?`,
      );
    }
    try {
      while (pending.length > 0) {
        const chunk = takeChunk(pending);
        outcome.writeUnits += await writeChunk(client, tableName, update, chunk);
        outcome.applied += chunk.count;
        pending = pending.slice(chunk.count);
      }
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The item already holds some of these contributions (a retry): keep only those above its mark.
      const mark = await readMark(client, tableName, update);
      outcome.writeUnits += 1; // a failed conditional write still consumes its write units
      const before = pending.length;
      pending = pending.filter((contribution) => mark === undefined || BigInt(contribution.sequenceNumber) > mark);
      outcome.skipped += before - pending.length;
    }
  }
  return outcome;
}

/** The first records of `pending` whose increments fit one update, summed. */
interface Chunk {
  readonly count: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  readonly sums: ReadonlyMap<string, number>;
}

/** One record's increments, collected before they join a chunk (reused: no allocation per record). */
const scratchNames: string[] = [];
const scratchAmounts: number[] = [];
const collect: IncrementSink = (name, amount) => {
  scratchNames.push(name);
  scratchAmounts.push(amount);
};

/**
 * Sums the leading records of `pending` into one map until the next record would bring the distinct
 * attributes past MAX_ATTRIBUTES_PER_UPDATE. Synchronous, so the shared scratch arrays are never used by
 * two chunks at once.
 */
function takeChunk(pending: readonly Contribution[]): Chunk {
  const sums = new Map<string, number>();
  let count = 0;
  for (const contribution of pending) {
    scratchNames.length = 0;
    scratchAmounts.length = 0;
    contribution.addIncrements(collect);
    let newNames = 0;
    for (const name of scratchNames) if (!sums.has(name)) newNames++;
    if (count > 0 && sums.size + newNames > MAX_ATTRIBUTES_PER_UPDATE) break;
    for (let index = 0; index < scratchNames.length; index++) {
      const name = scratchNames[index];
      sums.set(name, (sums.get(name) ?? 0) + scratchAmounts[index]);
    }
    count++;
  }
  return {
    count,
    firstSequenceNumber: pending[0].sequenceNumber,
    lastSequenceNumber: pending[count - 1].sequenceNumber,
    sums,
  };
}

/**
 * Placeholders by index, built once: base-36 indexes (`#0`, `:1f`), which never spell `mark`, `first`
 * or `last` below MAX_ATTRIBUTES_PER_UPDATE, and each ADD clause (`#1f :1f`).
 */
const PLACEHOLDERS = Array.from({ length: MAX_ATTRIBUTES_PER_UPDATE }, (_, index) => {
  const code = index.toString(36);
  return { name: `#${code}`, value: `:${code}`, clause: `#${code} :${code}` };
});
const CONDITION = 'attribute_not_exists(#mark) OR #mark < :first';

/**
 * The UpdateItem of one chunk: ADD every non-zero sum and set the shard's mark to the chunk's last
 * record, on condition that the mark is below its first. Written in DynamoDB's wire format (the
 * low-level UpdateItemCommand): a processor sends several hundred numbers per batch, and building
 * `{ N: '3' }` directly spares the document client's marshalling of every one.
 */
export function markedUpdateInput(
  tableName: string,
  key: ItemKey,
  shardId: string,
  chunk: Pick<Chunk, 'firstSequenceNumber' | 'lastSequenceNumber' | 'sums'>,
): UpdateItemCommandInput {
  const names: Record<string, string> = { '#mark': markAttribute(shardId) };
  const values: NonNullable<UpdateItemCommandInput['ExpressionAttributeValues']> = {
    ':first': { S: markValue(chunk.firstSequenceNumber) },
    ':last': { S: markValue(chunk.lastSequenceNumber) },
  };
  const adds: string[] = [];
  for (const [name, amount] of chunk.sums) {
    if (amount === 0) continue;
    const placeholder = PLACEHOLDERS[adds.length];
    if (placeholder === undefined)
      throw new MarkedUpdateError(`an update of ${key.pk} / ${key.sk} names more than ${MAX_ATTRIBUTES_PER_UPDATE} attributes`);
    names[placeholder.name] = name;
    values[placeholder.value] = { N: String(amount) };
    adds.push(placeholder.clause);
  }
  const updateExpression = adds.length > 0 ? `SET #mark = :last ADD ${adds.join(',')}` : 'SET #mark = :last';
  if (updateExpression.length > MAX_EXPRESSION_BYTES) {
    throw new MarkedUpdateError(`an update of ${key.pk} / ${key.sk} would exceed DynamoDB's ${MAX_EXPRESSION_BYTES}-byte expression limit`);
  }
  return {
    TableName: tableName,
    Key: { [TABLE_KEY.partitionKey]: { S: key.pk }, [TABLE_KEY.sortKey]: { S: key.sk } },
    UpdateExpression: updateExpression,
    ConditionExpression: CONDITION,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnConsumedCapacity: 'TOTAL',
  };
}

async function writeChunk(client: DynamoDBDocumentClient, tableName: string, update: MarkedUpdate, chunk: Chunk): Promise<number> {
  const response = await baseClientOf(client).send(new UpdateItemCommand(markedUpdateInput(tableName, update.key, update.shardId, chunk)));
  return response.ConsumedCapacity?.CapacityUnits ?? 0;
}

/**
 * The document client as the base client it wraps: it shares that client's configuration and middleware
 * stack, so a low-level command sent through it goes out as it is (no marshalling on the way).
 */
function baseClientOf(client: DynamoDBDocumentClient): Pick<DynamoDBClient, 'send'> {
  return client as unknown as Pick<DynamoDBClient, 'send'>;
}

async function readMark(client: DynamoDBDocumentClient, tableName: string, update: MarkedUpdate): Promise<bigint | undefined> {
  const attribute = markAttribute(update.shardId);
  const response = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: update.key,
      ConsistentRead: true,
      ProjectionExpression: '#mark',
      ExpressionAttributeNames: { '#mark': attribute },
    }),
  );
  const mark = response.Item?.[attribute];
  return typeof mark === 'string' ? sequenceNumberOfMark(mark) : undefined;
}
