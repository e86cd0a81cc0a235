/**
 * The Kinesis client, built once per process from the configuration.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { config, emulatorCredentials } from '../config';
import { sdkHttpHandler } from '../sdk-http-handler';

let client: KinesisClient | undefined;

/**
 * The shared Kinesis client. HTTP/1.1 (NodeHttpHandler) rather than the SDK's HTTP/2 default:
 * kinesalite rejects HTTP/2, and HTTP/1.1 with keep-alive is just as good against AWS.
 */
export function kinesisClient(): KinesisClient {
  if (!client) {
    const { region, kinesisEndpoint } = config();
    client = new KinesisClient({
      region,
      endpoint: kinesisEndpoint,
      credentials: emulatorCredentials(kinesisEndpoint),
      requestHandler: sdkHttpHandler({ maxSockets: 32 }),
      maxAttempts: 8,
    });
  }
  return client;
}
