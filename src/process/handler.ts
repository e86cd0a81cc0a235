/**
 * The processor Lambda: a Kinesis batch in, `{ batchItemFailures }` out. Deployed by the CDK stack
 * (infra/) and invoked by the local stream poller (src/local/) with the same event.
 */
import type { KinesisStreamEvent, KinesisStreamBatchResponse } from 'aws-lambda';
import { config } from '../config';
import { dynamoClient } from '../store/dynamo-client';
import { DynamoProcessorStore } from '../store/dynamo-processor-store';
import { processBatch } from './process-batch';

let store: DynamoProcessorStore | undefined;

export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  store ??= new DynamoProcessorStore(dynamoClient(), config().tableName);
  const { response } = await processBatch(event, store);
  return response;
}
