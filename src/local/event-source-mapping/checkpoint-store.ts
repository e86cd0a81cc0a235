/**
 * The poller's per-shard checkpoints, kept in the single table at `checkpointKey(stream, shard)` like
 * the event source mapping keeps its own: the last sequence number whose batch is done, and whether
 * the shard was read to its end (a closed parent whose children may start).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkpointKey, checkpointsQuery, shardIdOfCheckpoint } from '../../store/keys';
import { queryAll } from '../../store/query-all';
import { CheckpointError } from '../errors';

export interface Checkpoint {
  readonly shardId: string;
  /** Last sequence number done with (processed, or given up on and sent to on-failure). */
  readonly sequenceNumber?: string;
  /** The shard is closed and every record of it is done. */
  readonly shardEnded: boolean;
  /** ISO time of the write. */
  readonly updatedAt: string;
  /** Lag reported by the GetRecords call that fetched the batch. */
  readonly millisBehindLatest?: number;
}

export class CheckpointStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly streamName: string,
  ) {}

  /** The checkpoint of a shard, or undefined when the shard was never checkpointed. */
  async get(shardId: string): Promise<Checkpoint | undefined> {
    try {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: checkpointKey(this.streamName, shardId), ConsistentRead: true }),
      );
      return Item ? toCheckpoint(Item) : undefined;
    } catch (error) {
      throw new CheckpointError(`could not read the checkpoint of ${shardId}`, { cause: error });
    }
  }

  /** All checkpoints of the stream (one query on the checkpoint partition). */
  async list(): Promise<Checkpoint[]> {
    try {
      const items = await queryAll(this.documents, {
        TableName: this.tableName,
        ...checkpointsQuery(this.streamName),
        ConsistentRead: true,
      });
      return items.map(toCheckpoint);
    } catch (error) {
      throw new CheckpointError(`could not list the checkpoints of ${this.streamName}`, { cause: error });
    }
  }

  /** Records that a shard is done up to `sequenceNumber` (and, with shardEnded, done for good). */
  async save(checkpoint: Omit<Checkpoint, 'updatedAt'>): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...checkpointKey(this.streamName, checkpoint.shardId),
            shardId: checkpoint.shardId,
            sequenceNumber: checkpoint.sequenceNumber,
            shardEnded: checkpoint.shardEnded,
            millisBehindLatest: checkpoint.millisBehindLatest,
            updatedAt: new Date().toISOString(),
          },
        }),
      );
    } catch (error) {
      throw new CheckpointError(`could not checkpoint ${checkpoint.shardId}`, { cause: error });
    }
  }
}

function toCheckpoint(item: Record<string, unknown>): Checkpoint {
  return {
    shardId: typeof item.shardId === 'string' ? item.shardId : shardIdOfCheckpoint(item),
    sequenceNumber: typeof item.sequenceNumber === 'string' ? item.sequenceNumber : undefined,
    shardEnded: item.shardEnded === true,
    updatedAt: String(item.updatedAt ?? ''),
    millisBehindLatest: typeof item.millisBehindLatest === 'number' ? item.millisBehindLatest : undefined,
  };
}
