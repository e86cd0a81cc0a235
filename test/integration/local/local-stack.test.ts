import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHandler } from '../../../src/local/api-gateway/http-front';
import { startLocalStack, type LocalStack } from '../../../src/local/local-stack';
import { silentLogger } from '../../../src/local/logger';
import { FAST_POLLING, recordingHandler } from './support/stream-fixture';

let dataDir: string;
let stack: LocalStack | undefined;
let kinesis: KinesisClient | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-stack-'));
});

afterEach(async () => {
  kinesis?.destroy();
  kinesis = undefined;
  await stack?.stop();
  stack = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** A stand-in for the GraphQL API: publishes the posted trip id to the stream, as the mutation does. */
const submitTrip: ApiHandler = async (event: APIGatewayProxyEventV2) => {
  kinesis ??= new KinesisClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.KINESIS_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
  const { tripId } = JSON.parse(event.body ?? '{}') as { tripId: string };
  await kinesis.send(new PutRecordCommand({ StreamName: process.env.STREAM_NAME, PartitionKey: tripId, Data: Buffer.from(tripId) }));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accepted: tripId }) };
};

async function submit(url: string, tripId: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tripId }) });
}

describe('startLocalStack', () => {
  it('carries a request through the API handler, the stream and the poller to the processor', async () => {
    // Prepare
    const processor = recordingHandler();
    stack = await startLocalStack({
      dataDir,
      port: 0,
      shardCount: 2,
      apiHandler: submitTrip,
      processorHandler: processor.handler,
      poller: FAST_POLLING,
      logger: silentLogger,
    });

    // Act
    const responses = await Promise.all(['t-1', 't-2', 't-3'].map((id) => submit(stack!.graphqlUrl, id)));
    await stack.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(stack.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(processor.delivered().sort()).toEqual(['t-1', 't-2', 't-3']);
    expect(process.env).toMatchObject({
      TABLE_NAME: stack.tableName,
      STREAM_NAME: stack.streamName,
      DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
      KINESIS_ENDPOINT: stack.endpoints.kinesis,
    });
  });

  it('keeps stream and checkpoints across a restart on the same data directory', async () => {
    // Prepare
    const before = recordingHandler();
    const options = { dataDir, port: 0, shardCount: 2, apiHandler: submitTrip, poller: FAST_POLLING, logger: silentLogger };
    stack = await startLocalStack({ ...options, processorHandler: before.handler });
    await submit(stack.graphqlUrl, 'old');
    await stack.waitForIdle({ timeoutMs: 5000 });
    await stack.stop();
    kinesis?.destroy();
    kinesis = undefined;
    const after = recordingHandler();

    // Act
    stack = await startLocalStack({ ...options, processorHandler: after.handler });
    await submit(stack.graphqlUrl, 'new');
    await stack.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(before.delivered()).toEqual(['old']);
    expect(after.delivered()).toEqual(['new']);
  });

  it('writes batches it gives up on to <dataDir>/on-failure.jsonl', async () => {
    // Prepare
    const processor = recordingHandler(() => {
      throw new Error('broken processor');
    });
    stack = await startLocalStack({
      dataDir,
      port: 0,
      shardCount: 1,
      apiHandler: submitTrip,
      processorHandler: processor.handler,
      poller: { ...FAST_POLLING, maxRetryAttempts: 1 },
      logger: silentLogger,
    });

    // Act
    await submit(stack.graphqlUrl, 'doomed');
    await stack.waitForIdle({ timeoutMs: 5000 });

    // Assess
    const lines = readFileSync(join(dataDir, 'on-failure.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        reason: 'handler error: broken processor',
        KinesisBatchInfo: expect.objectContaining({ batchSize: 1, shardId: 'shardId-000000000000' }),
      }),
    ]);
  });
});
