/**
 * Bare emulators for the floor measurements: dynalite and kinesalite started by the project's own
 * runtime code (child processes, loopback, a temporary data directory), with the table and stream
 * created as the local stack creates them.
 */
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import type { EmulatorClients } from '../../src/local/emulators/emulator-clients';
import type { EmulatorEndpoints } from '../../src/local/emulators/emulators';
import { scratchDir, startScratchEmulators } from '../../src/local/emulators/scratch-emulators';

export interface BareEmulators {
  endpoints: EmulatorEndpoints;
  clients: EmulatorClients;
  dataDir: string;
  tableName: string;
  streamName: string;
  stop(): Promise<void>;
}

export function benchDataDir(label: string): string {
  return scratchDir(`taxi-pulse-bench-${label}-`);
}

export async function startBareEmulators(label: string, shardCount: number = STREAM_DEFINITION.shardCount): Promise<BareEmulators> {
  const tableName = 'taxi-pulse-bench';
  const streamName = 'taxi-pulse-bench-trips';
  const { emulators, clients, dataDir, stop } = await startScratchEmulators({
    dirPrefix: `taxi-pulse-bench-${label}-`,
    resources: { tableName, streamName, shardCount },
  });
  return { endpoints: emulators.endpoints, clients, dataDir, tableName, streamName, stop };
}
