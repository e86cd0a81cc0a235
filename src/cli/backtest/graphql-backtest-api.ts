/**
 * The stack backtest's questions (BacktestApi) asked over GraphQL, as any read client would ask them:
 * daily and hourly fare trends for trip counts, peakHours for totals, demandForecast for the
 * forecasts. Unreachable endpoints, HTTP 429 and 5xx are retried with backoff (src/retry.ts); a GraphQL
 * error is not (the same question would get the same answer).
 */
import { bucketKey, parseDateTime, splitHourKey } from '../../domain/time';
import type { DayHourCounts } from '../../domain/insights';
import type { AggregateScope } from '../../domain/scope';
import { dayKeyOf, dayNumberOf } from '../../domain/forecast/calendar';
import { withRetries } from '../../retry';
import { DEMAND_FORECAST_QUERY, TOTAL_TRIPS_QUERY, TRIPS_PER_BUCKET_QUERY } from '../api-client/api-queries';
import { GraphQLAnswerError, GraphQLUnreachableError, queryGraphQL, type GraphQLRequest } from '../api-client/graphql-client';
import type { BacktestApi } from './stack-backtest';

/** Longest range of an hourly fare trend the API allows (MAX_RANGE_DAYS.HOUR in src/serve/insights-queries.ts). */
const HOUR_TREND_MAX_DAYS = 93;
const RETRY = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4_000 };
const CALL_TIMEOUT_MS = 60_000;

export interface GraphQLBacktestApiOptions {
  endpoint: string;
  /** The read API key's header. */
  headers: Record<string, string>;
  signal?: AbortSignal;
}

function scopeVariables(scope: AggregateScope): Record<string, unknown> {
  if (scope.kind === 'ZONE') return { zoneId: scope.zoneId };
  if (scope.kind === 'BOROUGH') return { borough: scope.borough };
  return {};
}

/** A range of whole local days, as the API reads a date-time without an offset (New York wall clock). */
function dayRange(fromDay: string, toDay: string) {
  return { from: `${fromDay}T00:00:00`, to: `${toDay}T00:00:00` };
}

function isRetryable(error: unknown): boolean {
  return error instanceof GraphQLUnreachableError || (error instanceof GraphQLAnswerError && (error.status === 429 || error.status >= 500));
}

/** BacktestApi over the GraphQL endpoint of a running stack. */
export function graphqlBacktestApi(options: GraphQLBacktestApiOptions): BacktestApi {
  const ask = <T>(request: GraphQLRequest): Promise<T> =>
    withRetries(
      () => queryGraphQL<T>(options.endpoint, request, { headers: options.headers, signal: options.signal, timeoutMs: CALL_TIMEOUT_MS }),
      {
        ...RETRY,
        isRetryable,
        signal: options.signal,
      },
    );
  const bucketsOf = async (scope: AggregateScope, granularity: 'DAY' | 'HOUR', fromDay: string, toDay: string) => {
    const data = await ask<{ fareTrend: { buckets: Array<{ start: string; trips: number }> } }>({
      query: TRIPS_PER_BUCKET_QUERY,
      variables: { range: dayRange(fromDay, toDay), granularity, ...scopeVariables(scope) },
    });
    return data.fareTrend.buckets.map((bucket) => ({ key: bucketKey(parseDateTime(bucket.start)!, granularity), trips: bucket.trips }));
  };
  return {
    source: options.endpoint,
    async tripsPerDay(scope, fromDay, toDay) {
      return new Map((await bucketsOf(scope, 'DAY', fromDay, toDay)).map((bucket) => [bucket.key, bucket.trips]));
    },
    async totalTrips(scope, fromDay, toDay) {
      const data = await ask<{ peakHours: { totalTrips: number } }>({
        query: TOTAL_TRIPS_QUERY,
        variables: { range: dayRange(fromDay, toDay), ...scopeVariables(scope) },
      });
      return data.peakHours.totalTrips;
    },
    async hourCounts(scope, fromDay, toDay) {
      const days = new Map<string, number[]>();
      for (let from = dayNumberOf(fromDay); from < dayNumberOf(toDay); from += HOUR_TREND_MAX_DAYS) {
        const to = Math.min(from + HOUR_TREND_MAX_DAYS, dayNumberOf(toDay));
        for (const bucket of await bucketsOf(scope, 'HOUR', dayKeyOf(from), dayKeyOf(to))) {
          const { dayKey, hourOfDay } = splitHourKey(bucket.key);
          let hours = days.get(dayKey);
          if (!hours) days.set(dayKey, (hours = new Array<number>(24).fill(0)));
          hours[hourOfDay] += bucket.trips;
        }
      }
      return [...days].map(([bucketKey, tripsByHourOfDay]): DayHourCounts => ({ bucketKey, tripsByHourOfDay }));
    },
    async forecast(scope, fromDay, hours) {
      const data = await ask<{
        demandForecast: { method: string; hours: Array<{ hourStart: string; expectedTrips: number; low: number; high: number }> };
      }>({ query: DEMAND_FORECAST_QUERY, variables: { from: `${fromDay}T00:00:00`, hours, ...scopeVariables(scope) } });
      return {
        method: data.demandForecast.method,
        hours: data.demandForecast.hours.map(({ hourStart, ...hour }) => ({ hourStartMs: parseDateTime(hourStart)!, ...hour })),
      };
    },
  };
}
