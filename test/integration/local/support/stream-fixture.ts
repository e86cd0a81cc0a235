/**
 * Real emulators in a temporary directory, a fresh stream per test, and a recording processor
 * handler: what the local runtime's integration tests share.
 */
import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { bootstrap } from '../../../../src/local/bootstrap';
import type { EmulatorClients } from '../../../../src/local/emulators/emulator-clients';
import { startScratchEmulators, type ScratchEmulators } from '../../../../src/local/emulators/scratch-emulators';
import { silentLogger } from '../../../../src/local/logger';
import type { StreamPollerOptions } from '../../../../src/local/event-source-mapping/stream-poller';

export const REGION = 'us-east-1';
export const TABLE_NAME = 'taxi-pulse-local-test';

/** Poller timings that keep tests fast (the defaults are AWS's). */
export const FAST_POLLING = {
  pollIntervalMs: 10,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  shardDiscoveryIntervalMs: 50,
} as const;

export type TestEmulators = ScratchEmulators;

/** Starts both emulators in a new temporary directory (removed again by stop()). */
export async function startTestEmulators(): Promise<TestEmulators> {
  return startScratchEmulators({ dirPrefix: 'taxi-pulse-local-', region: REGION });
}

let streams = 0;

/** Creates the table (once) and a stream of its own for one test; returns the stream's name. */
export async function createTestStream(clients: EmulatorClients, shardCount: number): Promise<string> {
  const streamName = `stream-${process.pid}-${++streams}`;
  await bootstrap({ dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName: TABLE_NAME, streamName, shardCount });
  return streamName;
}

export interface PutResult {
  readonly data: string;
  readonly partitionKey: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** Puts records one by one (so that their order is known) and returns where each landed. */
export async function putRecords(
  kinesis: KinesisClient,
  streamName: string,
  records: readonly { partitionKey: string; data: string }[],
): Promise<PutResult[]> {
  const results: PutResult[] = [];
  for (const record of records) {
    const output = await kinesis.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: record.partitionKey, Data: Buffer.from(record.data) }),
    );
    results.push({ ...record, shardId: output.ShardId!, sequenceNumber: output.SequenceNumber! });
  }
  return results;
}

export interface Delivery {
  readonly shardId: string;
  readonly sequenceNumbers: string[];
  readonly data: string[];
  readonly event: KinesisStreamEvent;
}

export interface RecordingHandler {
  readonly deliveries: Delivery[];
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;
  /** data of every delivered record, in delivery order */
  delivered(): string[];
}

/**
 * A processor handler that records every delivery and then answers as `respond` says (success by
 * default). `respond` may throw to fail the whole batch.
 */
export function recordingHandler(
  respond: (delivery: Delivery, index: number) => Promise<KinesisStreamBatchResponse | void> | KinesisStreamBatchResponse | void = () => ({
    batchItemFailures: [],
  }),
): RecordingHandler {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    handler: async (event) => {
      const delivery: Delivery = {
        shardId: event.Records[0].eventID.split(':')[0],
        sequenceNumbers: event.Records.map((record) => record.kinesis.sequenceNumber),
        data: event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString('utf8')),
        event,
      };
      deliveries.push(delivery);
      return respond(delivery, deliveries.length - 1);
    },
    delivered: () => deliveries.flatMap((delivery) => delivery.data),
  };
}

/** The options every poller under test gets: the emulators, the table, quiet logs, fast timings. */
export function pollerOptions(clients: EmulatorClients, streamName: string, handler: StreamPollerOptions['handler']): StreamPollerOptions {
  return {
    kinesis: clients.kinesis,
    documents: clients.documents,
    tableName: TABLE_NAME,
    streamName,
    region: REGION,
    handler,
    logger: silentLogger,
    ...FAST_POLLING,
  };
}
