/**
 * The processor Lambda: a Kinesis batch in, `{ batchItemFailures }` out. Deployed by the CDK stack
 * (infra/) and invoked by the local stream poller (src/local/) with the same event.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { config } from '../config';
import { handlerMetrics, publishMetrics } from '../emf-metrics';
import { METRIC_SERVICES } from '../metrics-catalog';
import { withReadableStack } from '../stack-traces';
import { dynamoClient } from '../store/dynamo-client';
import { DynamoProcessorStore } from '../store/dynamo-processor-store';
import { DynamoShardStatusStore } from '../store/dynamo-shard-status';
import { batchOutcome } from './batch-outcome';
import { processBatch } from './process-batch';

const logger = new Logger({ serviceName: METRIC_SERVICES.processor });
const metrics = handlerMetrics(METRIC_SERVICES.processor);
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
  const outcome = batchOutcome(event, report, Date.now());
  publishMetrics(metrics, outcome.metrics);
  if (outcome.shardStatus) {
    await stores.shards
      .record(outcome.shardStatus)
      // Status is for operators; failing to record it must not fail (and replay) a counted batch.
      .catch((error: unknown) => logger.warn('could not record shard status', { error: withReadableStack(error) }));
  }
  if (report.firstFailedSequenceNumber) logger.warn('batch partly applied; the rest is retried', { ...report });
  else logger.info('batch applied', { ...report });
  return response;
}
