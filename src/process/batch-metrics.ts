/**
 * The figures the processor reports per batch (CloudWatch EMF metrics on AWS), computed from the
 * batch report and the event. Pure, so what each metric means is tested without a metrics backend.
 * Names and units: src/metrics-catalog.ts.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { metricDatum, type MetricDatum } from '../metrics-catalog';
import type { BatchReport } from './process-batch';

/**
 * Counts of the batch, DynamoDB cost, and two lags: ProcessingLagMs, from the oldest record's arrival
 * in the stream to now (what the Lambda IteratorAge shows, per batch: the freshness alarm's metric),
 * and EventLagMs, from the newest counted pickup to now (how far the insights trail the street; large
 * by nature while old files are replayed).
 */
export function batchMetrics(event: KinesisStreamEvent, report: BatchReport, nowMs: number): MetricDatum[] {
  const arrivals = (event.Records ?? []).map((record) => record.kinesis.approximateArrivalTimestamp * 1000);
  const metrics: MetricDatum[] = [
    metricDatum('BatchSize', report.records),
    metricDatum('TripsAccepted', report.accepted),
    metricDatum('TripsRejected', report.rejected),
    metricDatum('TripsDuplicate', report.duplicates),
    metricDatum('PoisonRecords', report.poison),
    metricDatum('AggregateWrites', report.itemsWritten),
    metricDatum('WriteUnits', report.writeUnits),
  ];
  if (arrivals.length > 0) metrics.push(metricDatum('ProcessingLagMs', Math.max(0, nowMs - Math.min(...arrivals))));
  if (report.newestPickupMs !== undefined) metrics.push(metricDatum('EventLagMs', Math.max(0, nowMs - report.newestPickupMs)));
  return metrics;
}

/** TripsRejectedByReason, one datum per reason the batch counted (a dimension the batch-level metrics do not have). */
export function rejectionMetrics(report: BatchReport): MetricDatum[] {
  return Object.entries(report.rejectedByReason).map(([reason, trips]) => metricDatum('TripsRejectedByReason', trips ?? 0, { reason }));
}
