import { DescribeStreamSummaryCommand, ExpiredIteratorException, ListShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { emulatorClients } from '../../../../src/local/emulators/emulator-clients';
import type { OnFailureRecord } from '../../../../src/local/event-source-mapping/on-failure';
import { startStreamPoller, type StreamPoller } from '../../../../src/local/event-source-mapping/stream-poller';
import { checkpointKey } from '../../../../src/store/keys';
import {
  createTestStream,
  pollerOptions,
  putRecords,
  recordingHandler,
  REGION,
  startTestEmulators,
  TABLE_NAME,
  type TestEmulators,
} from '../support/stream-fixture';

let env: TestEmulators;
const running: StreamPoller[] = [];

beforeAll(async () => {
  env = await startTestEmulators();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  await env?.stop();
});

async function start(options: Parameters<typeof startStreamPoller>[0]): Promise<StreamPoller> {
  const poller = await startStreamPoller(options);
  running.push(poller);
  return poller;
}

function records(count: number, prefix = 'r', partitionKey?: (i: number) => string) {
  return Array.from({ length: count }, (_, i) => ({
    partitionKey: partitionKey ? partitionKey(i) : `${prefix}-${i}`,
    data: `${prefix}-${i}`,
  }));
}

describe('startStreamPoller', () => {
  it('delivers every record of a multi-shard stream once, in order within each shard', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 4);
    const put = await putRecords(
      env.clients.kinesis,
      streamName,
      records(120, 'trip', (i) => `key-${i % 17}`),
    );
    const recorder = recordingHandler();

    // Act
    const poller = await start({ ...pollerOptions(env.clients, streamName, recorder.handler), batchSize: 7 });
    await poller.waitForIdle({ timeoutMs: 10_000 });

    // Assess
    expect(recorder.delivered().sort()).toEqual(put.map((record) => record.data).sort());
    const shards = new Set(put.map((record) => record.shardId));
    expect(shards.size).toBeGreaterThan(1);
    for (const shardId of shards) {
      const delivered = recorder.deliveries.filter((d) => d.shardId === shardId).flatMap((d) => d.sequenceNumbers);
      const written = put.filter((record) => record.shardId === shardId).map((record) => record.sequenceNumber);
      expect(delivered).toEqual(written);
    }
    expect(Math.max(...recorder.deliveries.map((d) => d.data.length))).toBe(7);
    const total = poller.status().reduce((sum, shard) => sum + shard.recordsProcessed, 0);
    expect(total).toBe(120);
  });

  it('builds the event in the shape the Lambda event source mapping sends', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const before = Date.now() / 1000;
    const [put] = await putRecords(env.clients.kinesis, streamName, [{ partitionKey: 'trip-1', data: '{"v":1}' }]);
    const recorder = recordingHandler();

    // Act
    const poller = await start(pollerOptions(env.clients, streamName, recorder.handler));
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    const [record] = recorder.deliveries[0].event.Records;
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'trip-1',
        sequenceNumber: put.sequenceNumber,
        data: Buffer.from('{"v":1}').toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${put.shardId}:${put.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
      awsRegion: REGION,
      eventSourceARN: `arn:aws:kinesis:${REGION}:000000000000:stream/${streamName}`,
    });
    expect(record.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    expect(record.kinesis.approximateArrivalTimestamp).toBeLessThan(before + 60);
  });

  it('delivers again from the lowest reported item failure, not the records before it', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const put = await putRecords(env.clients.kinesis, streamName, records(10));
    const recorder = recordingHandler((delivery, index) =>
      index === 0
        ? { batchItemFailures: [{ itemIdentifier: put[7].sequenceNumber }, { itemIdentifier: put[4].sequenceNumber }] }
        : { batchItemFailures: [] },
    );

    // Act
    const poller = await start(pollerOptions(env.clients, streamName, recorder.handler));
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(recorder.deliveries.map((d) => d.data)).toEqual([put.map((record) => record.data), put.slice(4).map((record) => record.data)]);
    expect(poller.status()[0]).toMatchObject({ recordsProcessed: 10, failures: 1, lastProcessedSequenceNumber: put[9].sequenceNumber });
  });

  it('retries a batch whose invocation throws until it succeeds', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const put = await putRecords(env.clients.kinesis, streamName, records(4));
    const recorder = recordingHandler((delivery, index) => {
      if (index < 2) throw new Error('DynamoDB is having a bad day');
    });

    // Act
    const poller = await start({
      ...pollerOptions(env.clients, streamName, recorder.handler),
      bisectBatchOnFunctionError: false,
    });
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    const all = put.map((record) => record.data);
    expect(recorder.deliveries.map((d) => d.data)).toEqual([all, all, all]);
    expect(poller.status()[0]).toMatchObject({ recordsProcessed: 4, failures: 2, recordsSentToOnFailure: 0 });
  });

  it('fails the whole batch when the response is malformed', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const put = await putRecords(env.clients.kinesis, streamName, records(3));
    const recorder = recordingHandler((delivery, index) =>
      index === 0 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : undefined,
    );

    // Act
    const poller = await start({
      ...pollerOptions(env.clients, streamName, recorder.handler),
      bisectBatchOnFunctionError: false,
    });
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    const all = put.map((record) => record.data);
    expect(recorder.deliveries.map((d) => d.data)).toEqual([all, all]);
  });

  it('bisects a failing batch until the failure is isolated', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const put = await putRecords(env.clients.kinesis, streamName, records(8));
    const culprit = put[5].data;
    const recorder = recordingHandler((delivery) => {
      // Fails any batch that holds the culprit with company, as a poisoned bulk write would.
      if (delivery.data.length > 1 && delivery.data.includes(culprit)) throw new Error('poisoned batch');
    });

    // Act
    const poller = await start(pollerOptions(env.clients, streamName, recorder.handler));
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(recorder.deliveries.map((d) => d.data.length)).toEqual([8, 4, 4, 2, 1, 1, 2]);
    expect(poller.status()[0]).toMatchObject({ recordsProcessed: 8, failures: 3, recordsSentToOnFailure: 0 });
  });

  it('reports a batch to the on-failure destination when retries run out, and moves on', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const put = await putRecords(env.clients.kinesis, streamName, records(3));
    const failed: OnFailureRecord[] = [];
    const recorder = recordingHandler((delivery) => {
      if (delivery.data.includes(put[1].data)) throw new Error('always fails');
    });
    const poller = await start({
      ...pollerOptions(env.clients, streamName, recorder.handler),
      bisectBatchOnFunctionError: false,
      maxRetryAttempts: 2,
      onFailure: async (record) => {
        failed.push(record);
      },
    });
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Act
    const [later] = await putRecords(env.clients.kinesis, streamName, [{ partitionKey: 'later', data: 'later' }]);
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(recorder.deliveries).toHaveLength(4);
    expect(failed).toEqual([
      expect.objectContaining({
        reason: 'handler error: always fails',
        requestContext: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }),
        KinesisBatchInfo: expect.objectContaining({
          shardId: put[0].shardId,
          startSequenceNumber: put[0].sequenceNumber,
          endSequenceNumber: put[2].sequenceNumber,
          batchSize: 3,
        }),
      }),
    ]);
    expect(recorder.deliveries.at(-1)?.data).toEqual([later.data]);
    expect(poller.status()[0]).toMatchObject({ recordsSentToOnFailure: 3, recordsProcessed: 1 });
  });

  it('resumes after its checkpoints when restarted, delivering nothing twice', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 2);
    const first = await putRecords(env.clients.kinesis, streamName, records(10, 'first'));
    const before = recordingHandler();
    const poller = await start(pollerOptions(env.clients, streamName, before.handler));
    await poller.waitForIdle({ timeoutMs: 5000 });
    await poller.stop();
    const second = await putRecords(env.clients.kinesis, streamName, records(6, 'second'));
    const after = recordingHandler();

    // Act
    const restarted = await start(pollerOptions(env.clients, streamName, after.handler));
    await restarted.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(before.delivered().sort()).toEqual(first.map((record) => record.data).sort());
    expect(after.delivered().sort()).toEqual(second.map((record) => record.data).sort());
    const lastOfShard = second.filter((record) => record.shardId === second[0].shardId).at(-1)!;
    const { Item } = await env.clients.documents.send(
      new GetCommand({ TableName: TABLE_NAME, Key: checkpointKey(streamName, lastOfShard.shardId) }),
    );
    expect(Item).toMatchObject({ sequenceNumber: lastOfShard.sequenceNumber, shardEnded: false });
  });

  it('lets the in-flight batch finish on stop and starts no new one', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    await putRecords(env.clients.kinesis, streamName, records(2));
    let finished = 0;
    const recorder = recordingHandler(async () => {
      await sleep(300);
      finished += 1;
    });
    const poller = await start({ ...pollerOptions(env.clients, streamName, recorder.handler), batchSize: 1 });
    while (recorder.deliveries.length === 0) await sleep(5);

    // Act
    await poller.stop();

    // Assess
    expect(finished).toBe(1);
    expect(recorder.deliveries).toHaveLength(1);
    expect(poller.status()[0]).toMatchObject({ state: 'STOPPED', recordsProcessed: 1 });
  });

  it('gets a new iterator after an expired one and delivers every record once', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const clients = emulatorClients(env.emulators.endpoints, REGION);
    let expireNext = false;
    let iteratorsRequested = 0;
    clients.kinesis.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetShardIteratorCommand') iteratorsRequested += 1;
        if (context.commandName === 'GetRecordsCommand' && expireNext) {
          // kinesalite only expires iterators after 5 minutes: play the service's answer.
          expireNext = false;
          throw new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} });
        }
        return next(args);
      },
      { step: 'initialize', name: 'expireOneIterator' },
    );
    const first = await putRecords(env.clients.kinesis, streamName, records(3, 'before'));
    const recorder = recordingHandler();
    const poller = await start(pollerOptions(clients, streamName, recorder.handler));
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Act
    expireNext = true;
    const second = await putRecords(env.clients.kinesis, streamName, records(3, 'after'));
    await poller.waitForIdle({ timeoutMs: 5000 });

    // Assess
    expect(expireNext).toBe(false);
    expect(iteratorsRequested).toBe(2);
    expect(recorder.delivered()).toEqual([...first, ...second].map((record) => record.data));
    await poller.stop();
    clients.destroy();
  });

  it('starts a child shard only once its parent is closed and fully processed', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 1);
    const beforeSplit = await putRecords(
      env.clients.kinesis,
      streamName,
      records(6, 'parent', () => 'trip-42'),
    );
    const parentId = beforeSplit[0].shardId;
    await env.clients.kinesis.send(
      new SplitShardCommand({ StreamName: streamName, ShardToSplit: parentId, NewStartingHashKey: (2n ** 127n).toString() }),
    );
    await waitForActive(streamName);
    const afterSplit = await putRecords(
      env.clients.kinesis,
      streamName,
      records(4, 'child', () => 'trip-42'),
    );
    const recorder = recordingHandler();

    // Act
    const poller = await start({ ...pollerOptions(env.clients, streamName, recorder.handler), batchSize: 2 });
    await poller.waitForIdle({ timeoutMs: 10_000 });

    // Assess
    const { Shards } = await env.clients.kinesis.send(new ListShardsCommand({ StreamName: streamName }));
    expect(Shards).toHaveLength(3);
    expect(afterSplit[0].shardId).not.toBe(parentId);
    expect(recorder.delivered()).toEqual([...beforeSplit, ...afterSplit].map((record) => record.data));
    const firstChildDelivery = recorder.deliveries.findIndex((d) => d.shardId !== parentId);
    const lastParentDelivery = recorder.deliveries.map((d) => d.shardId).lastIndexOf(parentId);
    expect(lastParentDelivery).toBeLessThan(firstChildDelivery);
    expect(poller.status().find((shard) => shard.shardId === parentId)?.state).toBe('ENDED');
    const { Item } = await env.clients.documents.send(new GetCommand({ TableName: TABLE_NAME, Key: checkpointKey(streamName, parentId) }));
    expect(Item).toMatchObject({ shardEnded: true, sequenceNumber: beforeSplit.at(-1)!.sequenceNumber });
  });
});

async function waitForActive(streamName: string): Promise<void> {
  for (;;) {
    const { StreamDescriptionSummary } = await env.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(10);
  }
}
