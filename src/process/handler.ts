/**
 * The processor Lambda: a Kinesis batch in, `{ batchItemFailures }` out. Deployed by the CDK stack
 * (infra/) and invoked by the local stream poller (src/local/) with the same event.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { config } from '../config';
import { withReadableStack } from '../stack-traces';
import { dynamoClient } from '../store/dynamo-client';
import { DynamoProcessorStore } from '../store/dynamo-processor-store';
import { DynamoShardStatusStore } from '../store/dynamo-shard-status';
import { batchMetrics } from './batch-metrics';
import { processBatch } from './process-batch';

export const METRICS_NAMESPACE = 'TaxiPulse';

const logger = new Logger({ serviceName: 'processor' });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'processor' });
let stores: { batches: DynamoProcessorStore; shards: DynamoShardStatusStore } | undefined;

export async function handler(event: KinesisStreamEvent, context?: Context): Promise<KinesisStreamBatchResponse> {
  if (context) logger.addContext(context);
  stores ??= {
    batches: new DynamoProcessorStore(dynamoClient(), config().tableName),
    shards: new DynamoShardStatusStore(dynamoClient(), config().tableName),
  };
  const { response, report } = await processBatch(event, stores.batches).catch((error: unknown) => {
    // The event source mapping retries (and bisects) the batch; the log says why, in source terms.
    logger.error('invocation failed; the batch will be retried', { error: withReadableStack(error) });
    throw error;
  });
  const nowMs = Date.now();
  for (const metric of batchMetrics(event, report, nowMs)) {
    metrics.addMetric(metric.name, metric.unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds, metric.value);
  }
  for (const [reason, trips] of Object.entries(report.rejectedByReason)) {
    // One metric per reason, as its own EMF line (a dimension the batch-level metrics do not have).
    const byReason = metrics.singleMetric();
    byReason.addDimension('reason', reason);
    byReason.addMetric('TripsRejectedByReason', MetricUnit.Count, trips ?? 0);
  }
  metrics.publishStoredMetrics();
  const last = event.Records?.[report.settled - 1];
  if (last) {
    const lastRecordArrivedAtMs = Math.round(last.kinesis.approximateArrivalTimestamp * 1000);
    await stores.shards
      .record({
        shardId: last.eventID.slice(0, last.eventID.lastIndexOf(':')),
        lastAppliedAtMs: nowMs,
        lastRecordArrivedAtMs,
        iteratorAgeMs: Math.max(0, nowMs - lastRecordArrivedAtMs),
        lastSequenceNumber: last.kinesis.sequenceNumber,
        newestPickupMs: report.newestPickupMs,
      })
      // Status is for operators; failing to record it must not fail (and replay) a counted batch.
      .catch((error: unknown) => logger.warn('could not record shard status', { error: withReadableStack(error) }));
  }
  if (report.firstFailedSequenceNumber) logger.warn('batch partly applied; the rest is retried', { ...report });
  else logger.info('batch applied', { ...report });
  return response;
}
