/**
 * The read use cases behind `peakHours`, `fareTrend`, `operations`, `zoneFlows` and `ingestionCounts`
 * (and, through forecast-queries.ts, `demandForecast` and `demandPressure`): check the arguments, pick
 * the stored items to read, and let the domain compute the numbers.
 */
import { isBoroughCode, type BoroughCode } from '../domain/borough';
import {
  computeFareTrend,
  computePeakHours,
  fareTrendReadSpan,
  peakHoursDaySpan,
  type FareBucketResult,
  type PeakHoursResult,
} from '../domain/insights';
import { computeOperations, operationsReadSpan, type OperationsBucketResult } from '../domain/operations-insight';
import { CITY_SCOPE, type AggregateScope } from '../domain/scope';
import { isQueryableInstant, parseDateTime, queryableInstantRule, type Granularity } from '../domain/time';
import { computeZoneFlows, zoneFlowsReadPlan, type ZoneFlowsResult } from '../domain/zone-flows-insight';
import { findZone } from '../domain/zones';
import type { IngestionCounts } from '../domain/pipeline-status';
import type { DemandForecastArguments, DemandPressureArguments } from '../domain/forecast/forecast-arguments';
import { badUserInput } from './errors';
import { demandForecast, demandPressure } from './forecast-queries';
import type { InsightsReader } from './insights-reader';
import { oneReadAtATime } from './one-at-a-time';

export const MAX_PEAK_HOURS_LIMIT = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Longest range per granularity (fareTrend and operations). HOUR is read from HOUR items (one per hour),
 * so it is bounded to a quarter; the others read at most one DAY item per day.
 */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { HOUR: 93, DAY: 3700, WEEK: 3700, MONTH: 3700 };

/** Longest zoneFlows range: it reads one DAY flow item per whole day, and the hours of at most two partial days. */
export const MAX_ZONE_FLOWS_RANGE_DAYS = 3700;

export interface RangeArgument {
  from: string;
  to: string;
}

export interface ScopeArguments {
  zoneId?: number | null;
  borough?: string | null;
}

export class InsightsQueries {
  constructor(private readonly reader: InsightsReader) {}

  /** The same queries with their reads one at a time (for heavy operations: src/serve/one-at-a-time.ts). */
  oneReadAtATime(): InsightsQueries {
    return new InsightsQueries(oneReadAtATime(this.reader));
  }

  async peakHours(range: RangeArgument, scopeArguments: ScopeArguments, limit: number | null | undefined): Promise<PeakHoursResult> {
    const effectiveLimit = limit ?? 10;
    if (!Number.isInteger(effectiveLimit) || effectiveLimit < 1 || effectiveLimit > MAX_PEAK_HOURS_LIMIT) {
      throw badUserInput(`limit must be within 1..${MAX_PEAK_HOURS_LIMIT}`, 'limit');
    }
    const { fromMs, toMs } = parseRange(range, MAX_RANGE_DAYS.DAY);
    const scope = parseScope(scopeArguments);
    const days = await this.reader.readHourCounts(scope, peakHoursDaySpan(fromMs, toMs));
    return computePeakHours(days, fromMs, toMs, effectiveLimit);
  }

  async fareTrend(range: RangeArgument, granularity: Granularity, scopeArguments: ScopeArguments): Promise<FareBucketResult[]> {
    const { fromMs, toMs } = parseRange(range, MAX_RANGE_DAYS[granularity]);
    const scope = parseScope(scopeArguments);
    const read = fareTrendReadSpan(fromMs, toMs, granularity, scope);
    if (!read) return [];
    const items = await this.reader.readAggregates(scope, read.stored, read.span);
    return computeFareTrend(items, granularity, fromMs, toMs);
  }

  /** Operations buckets: fareTrend's buckets, ranges, filters and reads, with the operations figures. */
  async operations(range: RangeArgument, granularity: Granularity, scopeArguments: ScopeArguments): Promise<OperationsBucketResult[]> {
    const { fromMs, toMs } = parseRange(range, MAX_RANGE_DAYS[granularity]);
    const scope = parseScope(scopeArguments);
    const read = operationsReadSpan(fromMs, toMs, granularity, scope);
    if (!read) return [];
    const items = await this.reader.readAggregates(scope, read.stored, read.span);
    return computeOperations(items, granularity, fromMs, toMs);
  }

  /** Pickups, drop-offs and net per zone over a range, city-wide or for the zones of one borough. */
  async zoneFlows(range: RangeArgument, borough: string | null | undefined): Promise<ZoneFlowsResult> {
    const { fromMs, toMs } = parseRange(range, MAX_ZONE_FLOWS_RANGE_DAYS);
    const boroughCode = parseBorough(borough);
    const plan = zoneFlowsReadPlan(fromMs, toMs);
    const [days, ...hourSpans] = await Promise.all([
      plan.days ? this.reader.readFlows('DAY', plan.days) : Promise.resolve([]),
      ...plan.hours.map((span) => this.reader.readFlows('HOUR', span)),
    ]);
    return computeZoneFlows(days, hourSpans.flat(), fromMs, toMs, boroughCode);
  }

  /** demandForecast (src/serve/forecast-queries.ts). */
  demandForecast(args: DemandForecastArguments) {
    return demandForecast(this.reader, args);
  }

  /** demandPressure (src/serve/forecast-queries.ts). */
  demandPressure(args: DemandPressureArguments) {
    return demandPressure(this.reader, args);
  }

  ingestionCounts(): Promise<IngestionCounts> {
    return this.reader.readCounts();
  }

  /** Shard statuses and counts, with the pipeline-wide figures derived from them. */
  async pipelineStatus() {
    const [shards, counts] = await Promise.all([this.reader.readShardStatus(), this.reader.readCounts()]);
    const latest = (values: Array<number | undefined>) =>
      values.reduce<number | undefined>(
        (max, value) => (value !== undefined && (max === undefined || value > max) ? value : max),
        undefined,
      );
    return {
      shards: shards.sort((a, b) => a.shardId.localeCompare(b.shardId)),
      counts,
      maxIteratorAgeMs: Math.max(0, ...shards.map((shard) => shard.iteratorAgeMs)),
      lastEventAtMs: latest(shards.map((shard) => shard.newestPickupMs)),
      lastAppliedAtMs: latest(shards.map((shard) => shard.lastAppliedAtMs)),
    };
  }
}

/** A query's range as instants, checked: a BAD_USER_INPUT naming the argument otherwise. */
export function parseRange(range: RangeArgument, maxDays: number): { fromMs: number; toMs: number } {
  const fromMs = parseDateTime(range.from);
  if (fromMs === undefined) throw badUserInput(`range.from is not an ISO-8601 date-time: ${range.from}`, 'range.from');
  if (!isQueryableInstant(fromMs)) throw badUserInput(queryableInstantRule('range.from'), 'range.from');
  const toMs = parseDateTime(range.to);
  if (toMs === undefined) throw badUserInput(`range.to is not an ISO-8601 date-time: ${range.to}`, 'range.to');
  if (!isQueryableInstant(toMs)) throw badUserInput(queryableInstantRule('range.to'), 'range.to');
  if (toMs <= fromMs) throw badUserInput('range.to must be after range.from', 'range.to');
  if (toMs - fromMs > maxDays * DAY_MS) throw badUserInput(`range is longer than ${maxDays} days for this query`, 'range');
  return { fromMs, toMs };
}

/** The scope `zoneId` or `borough` name (the city without either), checked: a BAD_USER_INPUT otherwise. */
export function parseScope({ zoneId, borough }: ScopeArguments): AggregateScope {
  const hasZone = zoneId !== undefined && zoneId !== null;
  const hasBorough = borough !== undefined && borough !== null;
  if (hasZone && hasBorough) throw badUserInput('give zoneId or borough, not both', 'zoneId');
  if (hasZone) {
    if (!findZone(zoneId)) throw badUserInput(`zoneId ${zoneId} is not a TLC taxi zone (1..265)`, 'zoneId');
    return { kind: 'ZONE', zoneId };
  }
  if (hasBorough) return { kind: 'BOROUGH', borough: parseBorough(borough)! };
  return CITY_SCOPE;
}

export function parseBorough(borough: string | null | undefined): BoroughCode | undefined {
  if (borough === undefined || borough === null) return undefined;
  if (!isBoroughCode(borough)) throw badUserInput(`unknown borough ${borough}`, 'borough');
  return borough as BoroughCode;
}
