/**
 * The read port the GraphQL layer queries through (adapter: src/store/dynamo-insights-reader.ts).
 */
import type { BucketAggregate, DayHourCounts } from '../domain/insights';
import type { FlowBucket } from '../domain/zone-flows-insight';
import type { AggregateScope, StoredGranularity } from '../domain/scope';
import type { IngestionCounts, ShardProcessingStatus } from '../domain/pipeline-status';

export interface InsightsReader {
  /** Stored aggregates of a scope and granularity with bucket keys in [fromKey, toKey] (inclusive). */
  readAggregates(scope: AggregateScope, granularity: StoredGranularity, keySpan: [string, string]): Promise<BucketAggregate[]>;
  /**
   * Only the trips per hour of day of a scope's DAY items with bucket keys in [fromKey, toKey]
   * (inclusive): what peak hours need, without the sums and sketches that make up most of an item.
   */
  readHourCounts(scope: AggregateScope, dayKeySpan: [string, string]): Promise<DayHourCounts[]>;
  /**
   * The city-wide flow items (pickups and drop-offs per zone) of one granularity with bucket keys in
   * [fromKey, toKey] (inclusive).
   */
  readFlows(granularity: StoredGranularity, keySpan: [string, string]): Promise<FlowBucket[]>;
  /**
   * The city-wide flow items (pickups and drop-offs per zone) of the given local hours (HOUR keys,
   * YYYY-MM-DDTHH), in any order: one bucket per hour that has an item (an hour without trips has
   * none). demandPressure asks for at most 112 hours, each a separate key (not one key range).
   */
  readFlowHours(hourKeys: readonly string[]): Promise<FlowBucket[]>;
  /** The pipeline counters. */
  readCounts(): Promise<IngestionCounts>;
  /** The processor's status of every shard it has read. */
  readShardStatus(): Promise<ShardProcessingStatus[]>;
}
