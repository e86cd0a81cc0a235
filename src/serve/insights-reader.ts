/**
 * The read port the GraphQL layer queries through (adapter: src/store/dynamo-insights-reader.ts).
 */
import type { BucketAggregate } from '../domain/insights';
import type { AggregateScope, StoredGranularity } from '../domain/scope';
import type { IngestionCounts } from '../store/counters-item';
import type { ShardStatus } from '../store/dynamo-shard-status';

export interface InsightsReader {
  /** Stored aggregates of a scope and granularity with bucket keys in [fromKey, toKey] (inclusive). */
  readAggregates(scope: AggregateScope, granularity: StoredGranularity, keySpan: [string, string]): Promise<BucketAggregate[]>;
  /** The pipeline counters. */
  readCounts(): Promise<IngestionCounts>;
  /** The processor's status of every shard it has read. */
  readShardStatus(): Promise<ShardStatus[]>;
}
