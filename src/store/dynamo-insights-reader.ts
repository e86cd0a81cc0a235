/**
 * DynamoDB adapter of the read port: key-range Queries over one aggregate or flow partition, and the
 * counters item. Never a Scan.
 */
import { GetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { BucketAggregate, DayHourCounts } from '../domain/insights';
import type { FlowBucket } from '../domain/zone-flows-insight';
import { hasHourlyDetail, type AggregateScope, type StoredGranularity } from '../domain/scope';
import type { InsightsReader } from '../serve/insights-reader';
import { aggregateFromItem, HOUR_COUNT_ATTRIBUTES, hourCountsFromItem } from './aggregate-item';
import type { IngestionCounts, ShardProcessingStatus } from '../domain/pipeline-status';
import { countsFromItem } from './counters-item';
import { DynamoShardStatusStore } from './dynamo-shard-status';
import { flowsFromItem } from './flow-item';
import { batchGetItems } from './batch-get';
import { aggregateSpanQuery, countersKey, flowKey, flowSpanQuery, type KeyCondition } from './keys';
import { queryAll } from './query-all';
import { TABLE_KEY } from './table-definition';

/**
 * What a peak-hours read fetches of each DAY item: its bucket key and trips per hour of day. A zone DAY
 * item is mostly hourly sums and sketches; leaving them out cuts the bytes to transfer and unmarshal
 * (the read units are the same: DynamoDB charges a Query by the size of the items it reads).
 */
const HOUR_COUNTS_PROJECTION = projectionOf([TABLE_KEY.sortKey, ...HOUR_COUNT_ATTRIBUTES]);

/** demandPressure's 112 hours are two BatchGetItem calls: both at once. */
const FLOW_HOURS_CONCURRENCY = 4;
/** A reader's patience with unprocessed keys and throttling: short, a person or a dashboard is waiting. */
/**
 * Items per Query page. DynamoDB's own page is 1 MB (about 500 HOUR items); pages of 100 keep each
 * response, and the block of deserialisation it costs, short, so that in a process serving several
 * requests (the local stack) a light query is not held behind a heavy one's megabyte: beside an
 * abusive client at the read budget, light readers' p99 went from ~3x to ~1.4x alone. The price is a few
 * more round trips on long ranges (a year of DAY items: 4 instead of 1-2).
 */
const QUERY_PAGE_ITEMS = 100;
const READ_RETRY = { attempts: 4, baseDelayMs: 25, maxDelayMs: 400 };

export class DynamoInsightsReader implements InsightsReader {
  private readonly shardStatus: DynamoShardStatusStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.shardStatus = new DynamoShardStatusStore(client, tableName);
  }

  async readAggregates(scope: AggregateScope, granularity: StoredGranularity, keySpan: [string, string]): Promise<BucketAggregate[]> {
    const items = await this.queryKeySpan(scope, granularity, keySpan);
    const hourlyDetail = hasHourlyDetail(scope, granularity);
    return items.map((item) => ({
      bucketKey: String(item[TABLE_KEY.sortKey]),
      aggregate: aggregateFromItem(item, granularity, hourlyDetail),
    }));
  }

  async readHourCounts(scope: AggregateScope, dayKeySpan: [string, string]): Promise<DayHourCounts[]> {
    const items = await this.queryKeySpan(scope, 'DAY', dayKeySpan, HOUR_COUNTS_PROJECTION);
    return items.map((item) => ({ bucketKey: String(item[TABLE_KEY.sortKey]), tripsByHourOfDay: hourCountsFromItem(item) }));
  }

  async readFlows(granularity: StoredGranularity, keySpan: [string, string]): Promise<FlowBucket[]> {
    const items = await this.query(flowSpanQuery(granularity, keySpan));
    return items.map((item) => ({ bucketKey: String(item[TABLE_KEY.sortKey]), flows: flowsFromItem(item) }));
  }

  async readFlowHours(hourKeys: readonly string[]): Promise<FlowBucket[]> {
    const items = await batchGetItems(
      this.client,
      this.tableName,
      hourKeys.map((hourKey) => flowKey('HOUR', hourKey)),
      { concurrency: FLOW_HOURS_CONCURRENCY, retry: READ_RETRY },
    );
    return items.map((item) => ({ bucketKey: String(item[TABLE_KEY.sortKey]), flows: flowsFromItem(item) }));
  }

  readShardStatus(): Promise<ShardProcessingStatus[]> {
    return this.shardStatus.readAll();
  }

  async readCounts(): Promise<IngestionCounts> {
    const response = await this.client.send(new GetCommand({ TableName: this.tableName, Key: countersKey() }));
    return countsFromItem(response.Item);
  }

  /** The items of one aggregate partition with sort keys in [fromKey, toKey], every page. */
  private queryKeySpan(scope: AggregateScope, granularity: StoredGranularity, keySpan: [string, string], projection?: Projection) {
    return this.query(aggregateSpanQuery(scope, granularity, keySpan), projection);
  }

  /** The items a key condition selects, every page. */
  private query(condition: KeyCondition, projection?: Projection) {
    return queryAll(this.client, { TableName: this.tableName, ...condition, ...projection }, QUERY_PAGE_ITEMS);
  }
}

type Projection = Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'>;

/** A projection of attribute names, each through a placeholder so that no name can clash with a reserved word. */
function projectionOf(names: readonly string[]): Projection {
  return {
    ProjectionExpression: names.map((name) => `#${name}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
  };
}
