/**
 * The questions the dashboard asks the API, with the shapes of their answers. Field names follow
 * schema/schema.graphql; byHourOfWeek, operations, zoneFlows and demandForecast are asked only when
 * the API has them (see capabilities.ts).
 */

export const BOROUGHS = ['MANHATTAN', 'BROOKLYN', 'QUEENS', 'BRONX', 'STATEN_ISLAND', 'EWR', 'UNKNOWN'] as const;
export type Borough = (typeof BOROUGHS)[number];

export const GRANULARITIES = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** In the order the API lists them (operations.paymentMix). */
export const PAYMENT_TYPES = ['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** A half-open range [from, to) of New York local dates or times, as the API takes it. */
export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

/** zoneId or borough (or neither: the whole city), as the insight queries take them. */
export interface ScopeVariables {
  readonly zoneId?: number;
  readonly borough?: Borough;
}

export interface Zone {
  readonly id: number;
  readonly name: string;
  readonly borough: Borough;
  readonly serviceZone: string;
}

export const ZONES_QUERY = '{ zones { id name borough serviceZone } }';
export interface ZonesAnswer {
  zones: Zone[];
}

export const PEAK_HOURS_QUERY = `query DashboardPeakHours($range: TimeRangeInput!, $zoneId: Int, $borough: Borough) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: 10) {
    totalTrips
    top { hourStart trips }
    byHourOfWeek { dayOfWeek hourOfDay trips }
  }
}`;
export interface PeakHoursAnswer {
  peakHours: {
    totalTrips: number;
    top: { hourStart: string; trips: number }[];
    byHourOfWeek: { dayOfWeek: number; hourOfDay: number; trips: number }[];
  };
}

export const ZONE_FLOWS_QUERY = `query DashboardZoneFlows($range: TimeRangeInput!, $borough: Borough) {
  zoneFlows(range: $range, borough: $borough) {
    totalPickups
    totalDropoffs
    zones { zoneId zoneName borough pickups dropoffs net }
  }
}`;
export interface ZoneFlow {
  zoneId: number;
  zoneName: string;
  borough: Borough;
  pickups: number;
  dropoffs: number;
  net: number;
}
export interface ZoneFlowsAnswer {
  zoneFlows: { totalPickups: number; totalDropoffs: number; zones: ZoneFlow[] };
}

export const FARE_TREND_QUERY = `query DashboardFareTrend($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  fareTrend(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    granularity
    buckets { start trips averageFare averageTotal averageTip averageFarePerMile medianFare p90Fare }
  }
}`;
export interface FareBucket {
  start: string;
  trips: number;
  averageFare: number;
  averageTotal: number;
  averageTip: number;
  averageFarePerMile: number | null;
  medianFare: number;
  p90Fare: number;
}
export interface FareTrendAnswer {
  fareTrend: { granularity: Granularity; buckets: FareBucket[] };
}

export const OPERATIONS_QUERY = `query DashboardOperations($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  operations(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    granularity
    buckets {
      start trips revenue averageDurationMinutes medianDurationMinutes p90DurationMinutes averageSpeedMph averagePassengers
      paymentMix { paymentType trips }
      cardTipRate
    }
  }
}`;
export interface OperationsBucket {
  start: string;
  trips: number;
  revenue: number;
  averageDurationMinutes: number;
  medianDurationMinutes: number;
  p90DurationMinutes: number;
  averageSpeedMph: number | null;
  averagePassengers: number | null;
  paymentMix: { paymentType: PaymentType; trips: number }[];
  cardTipRate: number | null;
}
export interface OperationsAnswer {
  operations: { granularity: Granularity; buckets: OperationsBucket[] };
}

export const DEMAND_FORECAST_QUERY = `query DashboardForecast($from: DateTime!, $hours: Int!, $zoneId: Int, $borough: Borough, $actualRange: TimeRangeInput!) {
  demandForecast(from: $from, hours: $hours, zoneId: $zoneId, borough: $borough) {
    method
    quality
    note
    history { from to }
    hours { hourStart expectedTrips low high }
  }
  actual: fareTrend(range: $actualRange, granularity: HOUR, zoneId: $zoneId, borough: $borough) {
    buckets { start trips }
  }
}`;
export interface DemandForecastAnswer {
  demandForecast: {
    method: string;
    /** OK, SHORT_HISTORY (under three weeks learned from) or NO_HISTORY (no hours). */
    quality: 'OK' | 'SHORT_HISTORY' | 'NO_HISTORY';
    /** The API's sentence on the history used. */
    note: string;
    history: { from: string; to: string } | null;
    hours: { hourStart: string; expectedTrips: number; low: number; high: number }[];
  };
  actual: { buckets: { start: string; trips: number }[] };
}

export const PIPELINE_STATUS_QUERY = `query DashboardPipelineStatus {
  pipelineStatus {
    maxIteratorAgeMs
    lastEventAt
    lastAppliedAt
    shards { shardId iteratorAgeMs lastAppliedAt lastRecordArrivedAt lastSequenceNumber }
    counts { acceptedTrips duplicateTrips rejectedTrips poisonRecords rejectedByReason { reason trips } }
  }
}`;
export interface PipelineStatus {
  maxIteratorAgeMs: number;
  lastEventAt: string | null;
  lastAppliedAt: string | null;
  shards: { shardId: string; iteratorAgeMs: number; lastAppliedAt: string; lastRecordArrivedAt: string; lastSequenceNumber: string }[];
  counts: {
    acceptedTrips: number;
    duplicateTrips: number;
    rejectedTrips: number;
    poisonRecords: number;
    rejectedByReason: { reason: string; trips: number }[];
  };
}
export interface PipelineStatusAnswer {
  pipelineStatus: PipelineStatus;
}

/** Trips per month over a range: how the page picks the month to open on. */
export const MONTHLY_TRIPS_QUERY = `query DashboardMonthlyTrips($range: TimeRangeInput!) {
  fareTrend(range: $range, granularity: MONTH) { buckets { start trips } }
}`;
export interface MonthlyTripsAnswer {
  fareTrend: { buckets: { start: string; trips: number }[] };
}
