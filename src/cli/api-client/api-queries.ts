/**
 * The GraphQL documents the project's own clients send: the replay, `npm run chaos`, the e2e tests and
 * the benchmarks ask the API the same questions, written once here.
 */

export const INGEST_TRIPS_MUTATION =
  'mutation($trips:[TripInput!]!){ ingestTrips(trips:$trips){ accepted rejected { index tripId reason field message } } }';

export const PEAK_HOURS_QUERY = `query($range: TimeRangeInput!, $zoneId: Int, $borough: Borough, $limit: Int) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: $limit) {
    top { hourStart trips }
    byHourOfDay { hourOfDay trips }
    totalTrips
  }
}`;

export const FARE_TREND_QUERY = `query($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  fareTrend(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    granularity
    buckets { start trips averageFare averageTotal averageTip averageFarePerMile medianFare p90Fare }
  }
}`;

/** The week's shape of peakHours: what a weekday x hour heatmap draws. */
export const HOUR_OF_WEEK_QUERY = `query($range: TimeRangeInput!, $zoneId: Int, $borough: Borough) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: 1) {
    byHourOfWeek { dayOfWeek hourOfDay trips }
    totalTrips
  }
}`;

export const OPERATIONS_QUERY = `query($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  operations(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) {
    granularity
    buckets {
      start trips revenue averageDurationMinutes medianDurationMinutes p90DurationMinutes averageSpeedMph averagePassengers
      paymentMix { paymentType trips }
      cardTipRate
    }
  }
}`;

export const ZONE_FLOWS_QUERY = `query($range: TimeRangeInput!, $borough: Borough) {
  zoneFlows(range: $range, borough: $borough) {
    zones { zoneId zoneName borough pickups dropoffs net }
    totalPickups
    totalDropoffs
  }
}`;

export const INGESTION_COUNTS_QUERY = `{
  ingestionCounts { acceptedTrips duplicateTrips rejectedTrips poisonRecords rejectedByReason { reason trips } }
}`;

export const DEMAND_FORECAST_QUERY = `query($from: DateTime!, $hours: Int, $zoneId: Int, $borough: Borough) {
  demandForecast(from: $from, hours: $hours, zoneId: $zoneId, borough: $borough) {
    hours { hourStart expectedTrips low high }
    method
    history { from to }
    quality
    note
  }
}`;

export const DEMAND_PRESSURE_QUERY = `query($at: DateTime!, $borough: Borough, $limit: Int) {
  demandPressure(at: $at, borough: $borough, limit: $limit) {
    at
    zones { zoneId zoneName borough expectedPickups expectedDropoffs pressure typicalPressure suggestedFareMultiplier }
    rule
    method
    history { from to }
    quality
    note
  }
}`;

/** Trips per bucket only: what a backtest needs of a fare trend. */
export const TRIPS_PER_BUCKET_QUERY = `query($range: TimeRangeInput!, $granularity: Granularity!, $zoneId: Int, $borough: Borough) {
  fareTrend(range: $range, granularity: $granularity, zoneId: $zoneId, borough: $borough) { buckets { start trips } }
}`;

/** All trips of a scope in a range. */
export const TOTAL_TRIPS_QUERY = `query($range: TimeRangeInput!, $zoneId: Int, $borough: Borough) {
  peakHours(range: $range, zoneId: $zoneId, borough: $borough, limit: 1) { totalTrips }
}`;
