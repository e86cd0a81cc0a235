/**
 * Resolvers: map GraphQL arguments to the use cases and the results to the schema's shapes.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { REJECTION_REASONS } from '../domain/trip';
import { formatNewYork } from '../domain/time';
import { allZones } from '../domain/zones';
import { ingestTrips } from '../ingest/ingest-trips';
import type { IngestionCounts } from '../domain/pipeline-status';
import type { Resolvers } from './generated/resolvers-types';

/**
 * DateTime stays a string through coercion: a bad date-time in a trip is a per-trip rejection
 * (INVALID_TIME), not a failure of the whole call; query ranges are checked by the use case.
 */
const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string') throw new TypeError('DateTime must be a string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return ast.value;
  },
});

function countsResult(counts: IngestionCounts) {
  const rejectedByReason = REJECTION_REASONS.map((reason) => ({ reason, trips: counts.rejectedByReason[reason] }));
  return {
    acceptedTrips: counts.acceptedTrips,
    duplicateTrips: counts.duplicateTrips,
    poisonRecords: counts.poisonRecords,
    rejectedTrips: rejectedByReason.reduce((sum, { trips }) => sum + trips, 0),
    rejectedByReason,
  };
}

function historyResult(history: { fromMs: number; toMs: number } | null) {
  return history === null ? null : { from: formatNewYork(history.fromMs), to: formatNewYork(history.toMs) };
}

export const resolvers: Resolvers = {
  DateTime,
  Query: {
    peakHours: async (_, { range, zoneId, borough, limit }, { queries }) => {
      const result = await queries.peakHours(range, { zoneId, borough }, limit);
      return {
        top: result.top.map(({ hourStartMs, trips }) => ({ hourStart: formatNewYork(hourStartMs), trips })),
        byHourOfDay: result.byHourOfDay,
        byHourOfWeek: result.byHourOfWeek,
        totalTrips: result.totalTrips,
      };
    },
    fareTrend: async (_, { range, granularity, zoneId, borough }, { queries }) => {
      const buckets = await queries.fareTrend(range, granularity, { zoneId, borough });
      return { granularity, buckets: buckets.map(({ startMs, ...figures }) => ({ start: formatNewYork(startMs), ...figures })) };
    },
    operations: async (_, { range, granularity, zoneId, borough }, { queries }) => {
      const buckets = await queries.operations(range, granularity, { zoneId, borough });
      return { granularity, buckets: buckets.map(({ startMs, ...figures }) => ({ start: formatNewYork(startMs), ...figures })) };
    },
    zoneFlows: (_, { range, borough }, { queries }) => queries.zoneFlows(range, borough),
    ingestionCounts: async (_, __, { queries }) => countsResult(await queries.ingestionCounts()),
    pipelineStatus: async (_, __, { queries }) => {
      const status = await queries.pipelineStatus();
      return {
        shards: status.shards.map((shard) => ({
          shardId: shard.shardId,
          iteratorAgeMs: shard.iteratorAgeMs,
          lastAppliedAt: formatNewYork(shard.lastAppliedAtMs),
          lastRecordArrivedAt: formatNewYork(shard.lastRecordArrivedAtMs),
          lastSequenceNumber: shard.lastSequenceNumber,
        })),
        maxIteratorAgeMs: status.maxIteratorAgeMs,
        lastEventAt: status.lastEventAtMs === undefined ? null : formatNewYork(status.lastEventAtMs),
        lastAppliedAt: status.lastAppliedAtMs === undefined ? null : formatNewYork(status.lastAppliedAtMs),
        counts: countsResult(status.counts),
      };
    },
    demandForecast: async (_, args, { queries }) => {
      const forecast = await queries.demandForecast(args);
      return {
        hours: forecast.hours.map(({ hourStartMs, ...hour }) => ({ hourStart: formatNewYork(hourStartMs), ...hour })),
        method: forecast.method,
        history: historyResult(forecast.history),
        quality: forecast.quality,
        note: forecast.note,
      };
    },
    demandPressure: async (_, args, { queries }) => {
      const pressure = await queries.demandPressure(args);
      return {
        at: formatNewYork(pressure.atMs),
        zones: pressure.zones,
        rule: pressure.rule,
        method: pressure.method,
        history: historyResult(pressure.history),
        quality: pressure.quality,
        note: pressure.note,
      };
    },
    zones: () => allZones().map(({ id, name, borough, serviceZone }) => ({ id, name, borough, serviceZone })),
  },
  Mutation: {
    ingestTrips: async (_, { trips }, { publisher, observeIngest }) => {
      const answer = await ingestTrips(trips, publisher);
      observeIngest(answer);
      return answer;
    },
  },
};
