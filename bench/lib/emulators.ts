/**
 * Bare emulators for the floor measurements: dynalite and kinesalite started by the project's own
 * runtime code (child processes, loopback, a temporary data directory), with the table and stream
 * created as the local stack creates them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { bootstrap } from '../../src/local/bootstrap';
import { emulatorClients, type EmulatorClients } from '../../src/local/emulator-clients';
import { startEmulators, type EmulatorEndpoints } from '../../src/local/emulators';

export interface BareEmulators {
  endpoints: EmulatorEndpoints;
  clients: EmulatorClients;
  dataDir: string;
  tableName: string;
  streamName: string;
  stop(): Promise<void>;
}

export function benchDataDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `taxi-pulse-bench-${label}-`));
}

export async function startBareEmulators(label: string, shardCount: number = STREAM_DEFINITION.shardCount): Promise<BareEmulators> {
  const dataDir = benchDataDir(label);
  const emulators = await startEmulators({ dataDir });
  const clients = emulatorClients(emulators.endpoints, 'us-east-1');
  const tableName = 'taxi-pulse-bench';
  const streamName = 'taxi-pulse-bench-trips';
  await bootstrap({ dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName, streamName, shardCount });
  return {
    endpoints: emulators.endpoints,
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
