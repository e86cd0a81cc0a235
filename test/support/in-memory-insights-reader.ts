/**
 * The read port (src/serve/insights-reader.ts) over aggregates held in memory, built from trips with
 * the domain's own functions (tripTargets, addTrip, addFlow): what the processor would have stored, without
 * DynamoDB. For fast tests of the use cases and the GraphQL layer; the DynamoDB adapter itself is
 * tested against the emulator (test/integration/store). It records the key spans it is asked for, so
 * tests can check what a query reads.
 *
 * It lives in test/support, not src/: nothing in the product runs on it, and the bench measures the
 * real adapter.
 */
import { addTrip, emptyAggregate, type FareAggregate } from '../../src/domain/aggregate';
import { addFlow, emptyFlows, type FlowCounts } from '../../src/domain/flows';
import type { BucketAggregate, DayHourCounts } from '../../src/domain/insights';
import { tripTargets } from '../../src/domain/trip-targets';
import type { FlowBucket } from '../../src/domain/zone-flows-insight';
import type { IngestionCounts, ShardProcessingStatus } from '../../src/domain/pipeline-status';
import { hasHourlyDetail, type AggregateScope, type StoredGranularity } from '../../src/domain/scope';
import { REJECTION_REASONS, type RejectionReason, type Trip } from '../../src/domain/trip';
import type { InsightsReader } from '../../src/serve/insights-reader';

/** One call of the reader: which partition and which bucket keys a query read. */
export interface ReadSpan {
  readonly read: 'aggregates' | 'hourCounts' | 'flows';
  /** The scope of an aggregate read; flows are city-wide and have none. */
  readonly scope?: AggregateScope;
  readonly granularity: StoredGranularity;
  readonly span: readonly [string, string];
}

/** Counts with every rejection reason at 0, and the rest as given. */
export function ingestionCounts(
  counts: Partial<Omit<IngestionCounts, 'rejectedByReason'>> & { rejectedByReason?: Partial<Record<RejectionReason, number>> } = {},
): IngestionCounts {
  const rejectedByReason = Object.fromEntries(
    REJECTION_REASONS.map((reason) => [reason, counts.rejectedByReason?.[reason] ?? 0]),
  ) as Record<RejectionReason, number>;
  return { acceptedTrips: 0, duplicateTrips: 0, poisonRecords: 0, ...counts, rejectedByReason };
}

export class InMemoryInsightsReader implements InsightsReader {
  /** Every read, in order. */
  readonly reads: ReadSpan[] = [];
  /** The HOUR keys of every flow read, one list per call. */
  readonly flowHourReads: string[][] = [];
  private readonly partitions = new Map<string, Map<string, FareAggregate>>();
  private readonly flowPartitions: Record<StoredGranularity, Map<string, FlowCounts>> = { HOUR: new Map(), DAY: new Map() };

  constructor(
    private counts: IngestionCounts = ingestionCounts(),
    private shards: ShardProcessingStatus[] = [],
  ) {}

  /** Counts `trips` (valid ones) in every aggregate and flow bucket the processor would add them to. */
  addTrips(trips: readonly Trip[]): this {
    for (const trip of trips) {
      for (const target of tripTargets(trip)) {
        const { granularity, bucketKey } = target;
        if (target.kind === 'FLOW') {
          const flows = this.flowPartitions[granularity];
          flows.set(bucketKey, addFlow(flows.get(bucketKey) ?? emptyFlows(), target));
          continue;
        }
        const partition = this.partition(target.scope, granularity);
        let aggregate = partition.get(bucketKey);
        if (!aggregate) partition.set(bucketKey, (aggregate = emptyAggregate(granularity, hasHourlyDetail(target.scope, granularity))));
        addTrip(aggregate, trip);
      }
    }
    return this;
  }

  setCounts(counts: IngestionCounts): this {
    this.counts = counts;
    return this;
  }

  setShardStatus(shards: ShardProcessingStatus[]): this {
    this.shards = shards;
    return this;
  }

  async readAggregates(scope: AggregateScope, granularity: StoredGranularity, keySpan: [string, string]): Promise<BucketAggregate[]> {
    this.reads.push({ read: 'aggregates', scope, granularity, span: keySpan });
    return this.bucketsIn(scope, granularity, keySpan).map(([bucketKey, aggregate]) => ({
      bucketKey,
      aggregate: structuredClone(aggregate),
    }));
  }

  async readHourCounts(scope: AggregateScope, dayKeySpan: [string, string]): Promise<DayHourCounts[]> {
    this.reads.push({ read: 'hourCounts', scope, granularity: 'DAY', span: dayKeySpan });
    return this.bucketsIn(scope, 'DAY', dayKeySpan).map(([bucketKey, aggregate]) => ({
      bucketKey,
      tripsByHourOfDay: [...(aggregate.tripsByHourOfDay ?? [])],
    }));
  }

  async readFlows(granularity: StoredGranularity, [from, to]: [string, string]): Promise<FlowBucket[]> {
    this.reads.push({ read: 'flows', granularity, span: [from, to] });
    return [...this.flowPartitions[granularity]]
      .filter(([bucketKey]) => bucketKey >= from && bucketKey <= to)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([bucketKey, flows]) => ({ bucketKey, flows: structuredClone(flows) }));
  }

  async readFlowHours(hourKeys: readonly string[]): Promise<FlowBucket[]> {
    this.flowHourReads.push([...hourKeys]);
    return hourKeys.flatMap((hourKey) => {
      const flows = this.flowPartitions.HOUR.get(hourKey);
      return flows ? [{ bucketKey: hourKey, flows: structuredClone(flows) }] : [];
    });
  }

  async readCounts(): Promise<IngestionCounts> {
    return structuredClone(this.counts);
  }

  async readShardStatus(): Promise<ShardProcessingStatus[]> {
    return this.shards.map((shard) => ({ ...shard }));
  }

  /** The buckets of a partition with keys in [from, to], in key order (as a key-range Query answers). */
  private bucketsIn(scope: AggregateScope, granularity: StoredGranularity, [from, to]: [string, string]): Array<[string, FareAggregate]> {
    return [...this.partition(scope, granularity)]
      .filter(([bucketKey]) => bucketKey >= from && bucketKey <= to)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private partition(scope: AggregateScope, granularity: StoredGranularity): Map<string, FareAggregate> {
    const scopePart = scope.kind === 'CITY' ? '' : scope.kind === 'BOROUGH' ? scope.borough : String(scope.zoneId);
    const id = `${scope.kind}:${scopePart}|${granularity}`;
    let partition = this.partitions.get(id);
    if (!partition) this.partitions.set(id, (partition = new Map()));
    return partition;
  }
}
