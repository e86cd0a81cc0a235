/**
 * Exactly-once counters without transactions: each item remembers, per shard, the highest sequence
 * number whose contribution it holds (its high-water mark), and an update adds exactly the
 * contributions above that mark. The argument why this is exactly once: docs/exactly-once.md.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { markAttribute, markValue, sequenceNumberOfMark, type ItemKey } from './keys';

/** What one stream record adds to one item: attribute name -> amount. */
export interface Contribution {
  /** The record's sequence number (decimal string). */
  readonly sequenceNumber: string;
  readonly increments: ReadonlyMap<string, number>;
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
 * DynamoDB caps an expression at 4 KB: an update names at most this many attributes, and a larger set
 * of contributions is applied as several updates, each advancing the mark, in sequence order.
 */
const MAX_ATTRIBUTES_PER_UPDATE = 200;
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
  let pending = [...update.contributions];
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
        outcome.applied += chunk.length;
        pending = pending.slice(chunk.length);
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

function takeChunk(pending: readonly Contribution[]): Contribution[] {
  const names = new Set<string>();
  let count = 0;
  for (const contribution of pending) {
    for (const name of contribution.increments.keys()) names.add(name);
    if (count > 0 && names.size > MAX_ATTRIBUTES_PER_UPDATE) break;
    count++;
  }
  return pending.slice(0, count);
}

async function writeChunk(
  client: DynamoDBDocumentClient,
  tableName: string,
  update: MarkedUpdate,
  chunk: readonly Contribution[],
): Promise<number> {
  const sums = new Map<string, number>();
  for (const { increments } of chunk) {
    for (const [name, amount] of increments) sums.set(name, (sums.get(name) ?? 0) + amount);
  }
  const names: Record<string, string> = { '#mark': markAttribute(update.shardId) };
  const values: Record<string, unknown> = {
    ':first': markValue(chunk[0].sequenceNumber),
    ':last': markValue(chunk[chunk.length - 1].sequenceNumber),
  };
  const adds: string[] = [];
  let index = 0;
  for (const [name, amount] of sums) {
    if (amount === 0) continue;
    names[`#a${index}`] = name;
    values[`:a${index}`] = amount;
    adds.push(`#a${index} :a${index}`);
    index++;
  }
  const response = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: update.key,
      UpdateExpression: `SET #mark = :last${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_not_exists(#mark) OR #mark < :first',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  return response.ConsumedCapacity?.CapacityUnits ?? 0;
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
