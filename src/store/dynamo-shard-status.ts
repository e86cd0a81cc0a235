/**
 * Per-shard processing status (`STATUS` / `SHARD#<shardId>`): written by the processor after each
 * batch, read by `pipelineStatus`. The same on AWS and locally, since both run the same processor.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { shardStatusKey, shardStatusPartition, SHARD_STATUS_PREFIX } from './keys';
import { queryAll } from './query-all';

export interface ShardStatus {
  shardId: string;
  /** When the last batch was applied (epoch ms). */
  lastAppliedAtMs: number;
  /** Arrival in the stream of the last record of that batch (epoch ms). */
  lastRecordArrivedAtMs: number;
  /** lastAppliedAt - lastRecordArrivedAt: the iterator age when the shard was last read. */
  iteratorAgeMs: number;
  lastSequenceNumber: string;
  /** The newest pickup counted by that batch, if it counted any (epoch ms). */
  newestPickupMs?: number;
}

export class DynamoShardStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(status: ShardStatus): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...shardStatusKey(status.shardId), ...status } }));
  }

  async readAll(): Promise<ShardStatus[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': shardStatusPartition(), ':prefix': SHARD_STATUS_PREFIX },
    });
    return items.map((item) => ({
      shardId: String(item.shardId),
      lastAppliedAtMs: Number(item.lastAppliedAtMs),
      lastRecordArrivedAtMs: Number(item.lastRecordArrivedAtMs),
      iteratorAgeMs: Number(item.iteratorAgeMs),
      lastSequenceNumber: String(item.lastSequenceNumber),
      newestPickupMs: typeof item.newestPickupMs === 'number' ? item.newestPickupMs : undefined,
    }));
  }
}
