/**
 * The naive design the write-unit figure is compared with, run for real against the same emulator:
 * per trip, one put (the same ledger item) and one UpdateItem ADD per aggregate it counts in (the same
 * five items, the same attributes), with no batching across trips and no exactly-once marks.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { targetsOfTrip } from '../../src/domain/aggregate';
import { hasHourlyDetail } from '../../src/domain/scope';
import type { Trip } from '../../src/domain/trip';
import { tripIncrements } from '../../src/store/aggregate-item';
import { aggregateKey, tripKey } from '../../src/store/keys';
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
    for (const target of targetsOfTrip(trip)) {
      const increments = tripIncrements(trip, target.granularity, hasHourlyDetail(target.scope, target.granularity));
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
          Key: aggregateKey(target.scope, target.granularity, target.bucketKey),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  });
}
