/**
 * SDK clients pointed at one pair of emulators. The shared clients in src/store and src/ingest read
 * their endpoints once from the process configuration; the local runtime's own machinery (bootstrap,
 * poller) gets explicit clients instead, so that several stacks can live in one test process.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emulatorCredentials } from '../../config';
import { sdkHttpHandler } from '../../sdk-http-handler';
import type { EmulatorEndpoints } from './emulators';

export interface EmulatorClients {
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly kinesis: KinesisClient;
  /** Closes the clients' sockets (lets the emulators stop without waiting for keep-alive). */
  destroy(): void;
}

/**
 * Builds a DynamoDB client, a document client over it and a Kinesis client for the given emulator
 * endpoints, all on HTTP/1.1 with keep-alive (kinesalite rejects HTTP/2).
 */
export function emulatorClients(endpoints: EmulatorEndpoints, region: string): EmulatorClients {
  const dynamodb = new DynamoDBClient({
    region,
    endpoint: endpoints.dynamodb,
    credentials: emulatorCredentials(endpoints.dynamodb),
    requestHandler: sdkHttpHandler({ maxSockets: 16 }),
  });
  const kinesis = new KinesisClient({
    region,
    endpoint: endpoints.kinesis,
    credentials: emulatorCredentials(endpoints.kinesis),
    requestHandler: sdkHttpHandler({ maxSockets: 16 }),
  });
  const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  return {
    dynamodb,
    documents,
    kinesis,
    destroy: () => {
      dynamodb.destroy();
      kinesis.destroy();
    },
  };
}
