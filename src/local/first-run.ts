/**
 * What `npm start` does once the stack runs: seed the sample month on first start and wait, showing
 * progress, until the processor has caught up, so that the developer knows when queries see the data.
 */
import { join } from 'node:path';
import { createProgressDisplay, formatSummary, type ProgressStream } from '../cli/progress';
import { API_KEY_HEADER } from '../serve/api-keys';
import type { LocalStack } from './local-stack';
import { loadReplayFiles } from './lambda-runtime/project-modules';
import { readSeedMarker, seed, seedMarkerPath } from './seed';
import { PollerNotIdleError } from './event-source-mapping/stream-poller';

/** The sample month, relative to the project root. */
export const SEED_FILES = ['data/nyc-tlc/green_tripdata_2023-02.parquet'];
const PROJECT_ROOT = join(__dirname, '..', '..');
const PROGRESS_INTERVAL_MS = 1000;

// The replay's own display, in its plain form: the `npm start` console may be a terminal, but the
// stack logs to it too, and a line redrawn in place would run into those lines. Indented under
// "Loading sample data".
const INDENTED_CONSOLE: ProgressStream = { write: (text) => process.stdout.write(indent(text)) };

/**
 * Replays SEED_FILES through the stack's GraphQL endpoint unless this data directory was seeded
 * before, printing progress; an abort (Ctrl-C) ends it quietly and leaves no seed marker.
 */
export async function seedOnce(stack: LocalStack, dataDir: string, signal: AbortSignal): Promise<void> {
  const marker = await readSeedMarker(dataDir);
  if (marker) {
    console.log(`Sample data already loaded on ${marker.seededAt} (delete ${seedMarkerPath(dataDir)} to load it again).`);
    return;
  }
  console.log(`Loading sample data: replaying ${SEED_FILES.join(', ')} through ${stack.graphqlUrl}`);
  const replay = await loadReplayFiles();
  const display = createProgressDisplay(INDENTED_CONSOLE, { plainIntervalMs: PROGRESS_INTERVAL_MS });
  try {
    const result = await seed({
      dataDir,
      files: SEED_FILES.map((file) => join(PROJECT_ROOT, file)),
      endpoint: stack.graphqlUrl,
      headers: { [API_KEY_HEADER]: stack.apiKeys.ingest },
      replay,
      signal,
      onProgress: (progress) => display.update(progress),
    });
    display.finish();
    console.log(indent(formatSummary(result.summary)));
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}

/**
 * Waits until the processor has caught up with the stream (after seeding, or with a backlog left by
 * an earlier run), showing its progress, and says so clearly.
 */
export async function catchUp(stack: LocalStack, signal: AbortSignal): Promise<void> {
  const processed = () => stack.poller.status().reduce((sum, shard) => sum + shard.recordsProcessed, 0);
  let announced = false;
  for (;;) {
    if (signal.aborted) return;
    try {
      await stack.waitForIdle({ timeoutMs: 5000 });
      break;
    } catch (error) {
      // Ctrl-C stops the poller while we wait: that ends the wait, it is not a failure.
      if (signal.aborted) return;
      if (!(error instanceof PollerNotIdleError)) throw error;
      if (!announced) console.log('Waiting for the processor to catch up with the stream...');
      announced = true;
      console.log(`  processor: ${processed()} records processed so far`);
    }
  }
  if (signal.aborted) return;
  const failed = stack.poller.status().reduce((sum, shard) => sum + shard.recordsSentToOnFailure, 0);
  console.log(
    `\n*** Data loaded: the processor is up to date with the stream (${processed()} records processed in this run` +
      `${failed > 0 ? `, ${failed} given up on: see ${stack.onFailurePath}` : ''}). ***\n`,
  );
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}
