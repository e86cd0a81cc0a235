/**
 * The naive design the write-unit figure is compared with, run for real against the same emulator:
 * per trip, one put (the same ledger item) and one UpdateItem ADD per item it counts in (the same five
 * pickup aggregates and two to four flow buckets, the same attributes), with no batching across trips
 * and no exactly-once marks.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Trip } from '../../src/domain/trip';
import { tripTargets } from '../../src/domain/trip-targets';
import { tripKey, tripTargetKey } from '../../src/store/keys';
import { tripIncrements } from '../../src/store/trip-increments';
import { mapConcurrently } from './stream';

export async function writeNaively(
  client: DynamoDBDocumentClient,
  tableName: string,
  trips: readonly Trip[],
  concurrency = 32,
): Promise<void> {
  await mapConcurrently(trips, concurrency, async (trip) => {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...tripKey(trip.tripId), shardId: 'naive', sequenceNumber: '0', tripId: trip.tripId, trip, submittedAtMs: Date.now() },
      }),
    );
    for (const target of tripTargets(trip)) {
      const increments = tripIncrements(trip, target);
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const adds: string[] = [];
      let index = 0;
      for (const [name, amount] of increments) {
        names[`#a${index}`] = name;
        values[`:a${index}`] = amount;
        adds.push(`#a${index} :a${index}`);
        index++;
      }
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tripTargetKey(target),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  });
}
