/**
 * DynamoDB adapter of the read port: key-range Queries over one aggregate partition, and the
 * counters item. Never a Scan.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BucketAggregate } from '../domain/insights';
import { hasHourlyDetail, type AggregateScope, type StoredGranularity } from '../domain/scope';
import type { InsightsReader } from '../serve/insights-reader';
import { aggregateFromItem } from './aggregate-item';
import { countsFromItem, type IngestionCounts } from './counters-item';
import { DynamoShardStatusStore, type ShardStatus } from './dynamo-shard-status';
import { aggregatePartition, countersKey } from './keys';
import { queryAll } from './query-all';

export class DynamoInsightsReader implements InsightsReader {
  private readonly shardStatus: DynamoShardStatusStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.shardStatus = new DynamoShardStatusStore(client, tableName);
  }

  async readAggregates(scope: AggregateScope, granularity: StoredGranularity, [fromKey, toKey]: [string, string]): Promise<BucketAggregate[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': aggregatePartition(scope, granularity), ':from': fromKey, ':to': toKey },
    });
    const hourlyDetail = hasHourlyDetail(scope, granularity);
    return items.map((item) => ({ bucketKey: String(item.sk), aggregate: aggregateFromItem(item, granularity, hourlyDetail) }));
  }

  readShardStatus(): Promise<ShardStatus[]> {
    return this.shardStatus.readAll();
  }

  async readCounts(): Promise<IngestionCounts> {
    const response = await this.client.send(new GetCommand({ TableName: this.tableName, Key: countersKey() }));
    return countsFromItem(response.Item);
  }
}
