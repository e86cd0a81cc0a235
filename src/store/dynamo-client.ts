/**
 * The DynamoDB document client, built once per process from the configuration.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config, emulatorCredentials } from '../config';
import { sdkHttpHandler } from '../sdk-http-handler';

let client: DynamoDBDocumentClient | undefined;

/** The shared document client (numbers as JS numbers, undefined attributes dropped). */
export function dynamoClient(): DynamoDBDocumentClient {
  if (!client) {
    const { region, dynamodbEndpoint } = config();
    const base = new DynamoDBClient({
      region,
      endpoint: dynamodbEndpoint,
      credentials: emulatorCredentials(dynamodbEndpoint),
      // Keep-alive and a generous socket pool: the processor writes many items of a batch at once.
      requestHandler: sdkHttpHandler({ maxSockets: 64 }),
      maxAttempts: 8,
    });
    client = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return client;
}
