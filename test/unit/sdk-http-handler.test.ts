import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sdkHttpHandler } from '../../src/sdk-http-handler';

describe("the SDK clients' HTTP handler", () => {
  let silent: Server;
  let requests = 0;

  beforeAll(async () => {
    // Accepts every request and never answers: a hung emulator, or a lost response.
    silent = createServer(() => void requests++);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails a request whose answer never comes, and the SDK retries it, instead of waiting forever', async () => {
    requests = 0;
    const client = new KinesisClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: sdkHttpHandler({ maxSockets: 4, requestTimeoutMs: 200 }),
      maxAttempts: 2,
    });
    const started = Date.now();

    await expect(client.send(new ListStreamsCommand({}))).rejects.toThrow(/timeout|timed out/i);
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    client.destroy();
  }, 20_000);
});
