/**
 * A DynamoDB document client on a stack's dynalite, as the benchmarks read its table beside the API:
 * keep-alive connections (up to 8), local credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';

/** A document client for the dynalite at `endpoint`. */
export function documentClient(endpoint: string): DynamoDBDocumentClient {
  const base = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 8 }) }),
  });
  return DynamoDBDocumentClient.from(base);
}
