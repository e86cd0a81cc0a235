/**
 * What follows a processed batch, as data: the metrics to publish and the shard status to record.
 * Pure, so that the handler stays a few lines of I/O and the benchmarks (bench/write-units.ts) do
 * exactly what the handler does after each batch.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { ShardProcessingStatus } from '../domain/pipeline-status';
import type { MetricDatum } from '../metrics-catalog';
import { batchMetrics, rejectionMetrics } from './batch-metrics';
import { recordRefOf, type BatchReport } from './process-batch';

export interface BatchOutcome {
  /** The batch's metrics, then one TripsRejectedByReason per reason counted. */
  readonly metrics: MetricDatum[];
  /** The shard's status after the batch: undefined when the batch settled no record. */
  readonly shardStatus?: ShardProcessingStatus;
}

/** The metrics and shard status of a batch the processor handled at `nowMs`. */
export function batchOutcome(event: KinesisStreamEvent, report: BatchReport, nowMs: number): BatchOutcome {
  return {
    metrics: [...batchMetrics(event, report, nowMs), ...rejectionMetrics(report)],
    shardStatus: shardStatusAfter(event, report, nowMs),
  };
}

/** The status of the batch's shard, from the last record the batch settled (counted or kept). */
function shardStatusAfter(event: KinesisStreamEvent, report: BatchReport, nowMs: number): ShardProcessingStatus | undefined {
  const last = event.Records?.[report.settled - 1];
  if (!last) return undefined;
  const lastRecordArrivedAtMs = Math.round(last.kinesis.approximateArrivalTimestamp * 1000);
  return {
    shardId: recordRefOf(last).shardId,
    lastAppliedAtMs: nowMs,
    lastRecordArrivedAtMs,
    iteratorAgeMs: Math.max(0, nowMs - lastRecordArrivedAtMs),
    lastSequenceNumber: last.kinesis.sequenceNumber,
    newestPickupMs: report.newestPickupMs,
  };
}
