/**
 * The public numbers of `operations` (docs/insights-contract.md, "operations") from stored
 * aggregates. The buckets, ranges and filters are fareTrend's: the same items are read
 * (fareTrendReadSpan) and merged alike (aggregatesByBucket); only the figures differ. Pure.
 */
import type { FareAggregate } from './aggregate';
import { aggregatesByBucket, fareTrendReadSpan, type BucketAggregate } from './insights';
import { PAYMENT_TYPES, type PaymentType } from './operations-figures';
import { DURATION_SKETCH } from './quantile-sketch';
import type { Granularity } from './time';

const MS_PER_MINUTE = 60_000;
/** (hundredths of a mile / 100) / (ms / 3,600,000) = hundredths * 36,000 / ms. */
const MPH_PER_HUNDREDTHS_PER_MS = 36_000;

export interface OperationsBucketResult {
  startMs: number;
  trips: number;
  /** sum(totalAmount), dollars (exact: a sum of integer cents). */
  revenue: number;
  averageDurationMinutes: number;
  medianDurationMinutes: number;
  p90DurationMinutes: number;
  /** sum(distance) / sum(duration), miles per hour; null when the durations sum to 0. */
  averageSpeedMph: number | null;
  /** sum(passengerCount) / trips that have one; null when none has. */
  averagePassengers: number | null;
  /** Exactly seven entries, in PAYMENT_TYPES order. */
  paymentMix: Array<{ paymentType: PaymentType; trips: number }>;
  /** sum(tip) / sum(fare) over CARD trips; null when those fares sum to 0. */
  cardTipRate: number | null;
}

/** Which stored items an operations query reads: fareTrend's, for the same buckets and filters. */
export const operationsReadSpan = fareTrendReadSpan;

/**
 * Operations buckets of a granularity from the stored items read for it (fareTrendReadSpan tells which):
 * one per bucket that starts in [fromMs, toMs) and has trips, in time order.
 */
export function computeOperations(
  items: readonly BucketAggregate[],
  granularity: Granularity,
  fromMs: number,
  toMs: number,
): OperationsBucketResult[] {
  return aggregatesByBucket(items, granularity, fromMs, toMs).map(({ startMs, aggregate }) => operationsBucket(startMs, aggregate));
}

function operationsBucket(startMs: number, aggregate: FareAggregate): OperationsBucketResult {
  const { trips, operations } = aggregate;
  const [median, p90] = DURATION_SKETCH.quantiles(operations.durationSketch, [0.5, 0.9]);
  return {
    startMs,
    trips,
    revenue: aggregate.totalCents / 100,
    averageDurationMinutes: operations.durationMs / MS_PER_MINUTE / trips,
    medianDurationMinutes: (median ?? 0) / MS_PER_MINUTE,
    p90DurationMinutes: (p90 ?? 0) / MS_PER_MINUTE,
    averageSpeedMph:
      operations.durationMs === 0 ? null : (aggregate.distanceHundredths * MPH_PER_HUNDREDTHS_PER_MS) / operations.durationMs,
    averagePassengers: operations.tripsWithPassengers === 0 ? null : operations.passengerSum / operations.tripsWithPassengers,
    paymentMix: PAYMENT_TYPES.map((paymentType, index) => ({ paymentType, trips: operations.tripsByPaymentType[index] })),
    cardTipRate: operations.cardFareCents === 0 ? null : operations.cardTipCents / operations.cardFareCents,
  };
}
