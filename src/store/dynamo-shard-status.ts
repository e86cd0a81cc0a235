/**
 * Per-shard processing status (shardStatusKey): written by the processor after each batch, read by
 * `pipelineStatus`. The same on AWS and locally, since both run the same processor.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShardProcessingStatus } from '../domain/pipeline-status';
import { shardStatusKey, shardStatusQuery } from './keys';
import { queryAll } from './query-all';

export class DynamoShardStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Replaces the shard's status item. */
  async record(status: ShardProcessingStatus): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...shardStatusKey(status.shardId), ...status } }));
  }

  /** The status of every shard the processor has written one for. */
  async readAll(): Promise<ShardProcessingStatus[]> {
    const items = await queryAll(this.client, { TableName: this.tableName, ...shardStatusQuery() });
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
