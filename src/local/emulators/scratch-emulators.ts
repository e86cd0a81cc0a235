/**
 * Emulators for a run that leaves nothing behind: dynalite and kinesalite in a new temporary
 * directory, clients pointed at them and, when asked, the table and stream created as the local stack
 * creates them. The integration tests and the benchmarks start theirs this way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_DEFINITION } from '../../ingest/stream-definition';
import { bootstrap } from '../bootstrap';
import { emulatorClients, type EmulatorClients } from './emulator-clients';
import { startEmulators, type Emulators } from './emulators';

export interface ScratchEmulatorsOptions {
  /** The start of the temporary directory's name, e.g. `taxi-pulse-test-`. */
  readonly dirPrefix: string;
  readonly region?: string;
  /** Created with bootstrap() once the emulators listen; the stream gets STREAM_DEFINITION's shards unless told. */
  readonly resources?: { readonly tableName: string; readonly streamName: string; readonly shardCount?: number };
}

export interface ScratchEmulators {
  readonly dataDir: string;
  readonly emulators: Emulators;
  readonly clients: EmulatorClients;
  /** Closes the clients, stops the emulators and removes the directory. */
  stop(): Promise<void>;
}

/** A new, empty directory under the system's temporary directory. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts both emulators in a new temporary directory and resolves once they listen (and the
 * resources exist). On a failure part-way, whatever was started is stopped and the directory removed
 * before the error is rethrown.
 */
export async function startScratchEmulators(options: ScratchEmulatorsOptions): Promise<ScratchEmulators> {
  const region = options.region ?? 'us-east-1';
  const dataDir = scratchDir(options.dirPrefix);
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let emulators: Emulators;
  try {
    emulators = await startEmulators({ dataDir, region });
  } catch (error) {
    removeDir();
    throw error;
  }
  const clients = emulatorClients(emulators.endpoints, region);
  const stop = async () => {
    clients.destroy();
    await emulators.stop();
    removeDir();
  };
  if (options.resources) {
    const { tableName, streamName, shardCount = STREAM_DEFINITION.shardCount } = options.resources;
    try {
      await bootstrap({ dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName, streamName, shardCount });
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return { dataDir, emulators, clients, stop };
}
