/**
 * The figures the processor reports per batch (CloudWatch EMF metrics on AWS), computed from the
 * batch report and the event. Pure, so what each metric means is tested without a metrics backend.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { BatchReport } from './process-batch';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface BatchMetric {
  name: string;
  unit: MetricUnit;
  value: number;
}

/**
 * Counts of the batch, DynamoDB cost, and two lags: ProcessingLagMs, from the oldest record's arrival
 * in the stream to now (what the Lambda IteratorAge shows, per batch: the freshness alarm's metric),
 * and EventLagMs, from the newest counted pickup to now (how far the insights trail the street; large
 * by nature while old files are replayed).
 */
export function batchMetrics(event: KinesisStreamEvent, report: BatchReport, nowMs: number): BatchMetric[] {
  const arrivals = (event.Records ?? []).map((record) => record.kinesis.approximateArrivalTimestamp * 1000);
  const metrics: BatchMetric[] = [
    { name: 'BatchSize', unit: 'Count', value: report.records },
    { name: 'TripsAccepted', unit: 'Count', value: report.accepted },
    { name: 'TripsRejected', unit: 'Count', value: report.rejected },
    { name: 'TripsDuplicate', unit: 'Count', value: report.duplicates },
    { name: 'PoisonRecords', unit: 'Count', value: report.poison },
    { name: 'AggregateWrites', unit: 'Count', value: report.itemsWritten },
    { name: 'WriteUnits', unit: 'Count', value: report.writeUnits },
  ];
  if (arrivals.length > 0)
    metrics.push({ name: 'ProcessingLagMs', unit: 'Milliseconds', value: Math.max(0, nowMs - Math.min(...arrivals)) });
  if (report.newestPickupMs !== undefined)
    metrics.push({ name: 'EventLagMs', unit: 'Milliseconds', value: Math.max(0, nowMs - report.newestPickupMs) });
  return metrics;
}
