/**
 * Starts the real emulators (dynalite, kinesalite) in a temporary directory, creates the table and
 * stream, and points the process configuration at them, as the local runtime does.
 */
import { startScratchEmulators, type ScratchEmulators } from '../../src/local/emulators/scratch-emulators';

export interface EmulatorFixture extends ScratchEmulators {
  tableName: string;
  streamName: string;
}

export async function startEmulatorFixture(): Promise<EmulatorFixture> {
  const tableName = 'taxi-pulse-test';
  const streamName = 'taxi-pulse-test-trips';
  const scratch = await startScratchEmulators({ dirPrefix: 'taxi-pulse-test-', resources: { tableName, streamName } });
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    STREAM_NAME: streamName,
    DYNAMODB_ENDPOINT: scratch.emulators.endpoints.dynamodb,
    KINESIS_ENDPOINT: scratch.emulators.endpoints.kinesis,
    AWS_REGION: 'us-east-1',
  });
  return { ...scratch, tableName, streamName };
}
