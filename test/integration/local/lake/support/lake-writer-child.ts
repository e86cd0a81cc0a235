/**
 * A lake writer in a process of its own, for the SIGKILL test: it writes the lake of the stream named
 * in LAKE_STREAM to LAKE_ROOT and, just before renaming part 2 of a flush into place, says so on stdout
 * and freezes, so that the test can kill it at the worst moment. Run with `node --import tsx`.
 */
import { emulatorClients } from '../../../../../src/local/emulators/emulator-clients';
import { startLocalLake } from '../../../../../src/local/lake/local-lake';
import { silentLogger } from '../../../../../src/local/logger';

const clients = emulatorClients({ dynamodb: process.env.LAKE_DYNAMODB!, kinesis: process.env.LAKE_KINESIS! }, 'us-east-1');

void startLocalLake({
  kinesis: clients.kinesis,
  streamName: process.env.LAKE_STREAM!,
  root: process.env.LAKE_ROOT!,
  logger: silentLogger,
  settings: { pollIntervalMs: 10, bufferIntervalMs: 50 },
  beforeRename: (path, part) => {
    if (part !== 2) return;
    process.stdout.write(`FROZEN ${path}\n`);
    // Block the process where it stands: between two renames of one flush.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
