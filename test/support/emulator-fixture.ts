/**
 * Starts the real emulators (dynalite, kinesalite) in a temporary directory, creates the table and
 * stream, and points the process configuration at them, as the local runtime does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../src/local/bootstrap';
import { emulatorClients, type EmulatorClients } from '../../src/local/emulator-clients';
import { startEmulators, type Emulators } from '../../src/local/emulators';
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';

export interface EmulatorFixture {
  emulators: Emulators;
  clients: EmulatorClients;
  dataDir: string;
  tableName: string;
  streamName: string;
  stop(): Promise<void>;
}

export async function startEmulatorFixture(): Promise<EmulatorFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-test-'));
  const emulators = await startEmulators({ dataDir });
  const clients = emulatorClients(emulators.endpoints, 'us-east-1');
  const tableName = 'taxi-pulse-test';
  const streamName = 'taxi-pulse-test-trips';
  await bootstrap({ dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName, streamName, shardCount: STREAM_DEFINITION.shardCount });
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    STREAM_NAME: streamName,
    DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
    KINESIS_ENDPOINT: emulators.endpoints.kinesis,
    AWS_REGION: 'us-east-1',
  });
  return {
    emulators,
    clients,
    dataDir,
    tableName,
    streamName,
    stop: async () => {
      clients.destroy();
      await emulators.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
