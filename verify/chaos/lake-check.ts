/**
 * The chaos run's lake check: once the stack has stopped, start its emulators and its lake writer on
 * the data directory again (as `npm start` would after the last kill: recovery of the files, then the
 * stream read after each shard's position), let the lake catch up, and compare every lake file with
 * the whole stream: every stream record exactly once, as the lake record it must be.
 */
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { emulatorClients } from '../../src/local/emulators/emulator-clients';
import { startEmulators } from '../../src/local/emulators/emulators';
import { lakeRoot, startLocalLake } from '../../src/local/lake/local-lake';
import { silentLogger } from '../../src/local/logger';
import { compareLakeWithStream, readLakeRows, readWholeStream } from '../lake/lake-vs-stream';
import type { CheckResult } from './oracle-checks';

export async function checkLakeAgainstStream(dataDir: string, region = 'us-east-1'): Promise<CheckResult> {
  const emulators = await startEmulators({ dataDir, region });
  const clients = emulatorClients(emulators.endpoints, region);
  try {
    const streamName = STREAM_DEFINITION.localStreamName;
    const lake = await startLocalLake({ kinesis: clients.kinesis, streamName, root: lakeRoot(dataDir), logger: silentLogger });
    try {
      await lake.flush({ timeoutMs: 120_000 });
    } finally {
      await lake.stop();
    }
    const [rows, stream] = await Promise.all([readLakeRows(lakeRoot(dataDir)), readWholeStream(clients.kinesis, streamName)]);
    return {
      name: 'data lake: every stream record once',
      expected: `${stream.length} records`,
      actual: `${rows.length} rows`,
      differences: compareLakeWithStream(rows, stream),
    };
  } finally {
    clients.destroy();
    await emulators.stop();
  }
}
