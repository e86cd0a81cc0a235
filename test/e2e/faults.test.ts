/**
 * End to end under injected faults: a real TLC file replayed through the running local stack while
 * the API's Kinesis client has PutRecords fail a fifth of the records of every call (FailedRecordCount)
 * and the processor's DynamoDB client throttles, returns unprocessed items and loses answers after
 * writing; then 10% of the rows are resubmitted through the API with the same tripId, some altered.
 * Every public number still equals the oracle's, computed from the raw file.
 *
 * The clients are the process's shared ones (kinesisClient(), dynamoClient()): the handlers the
 * stack loaded in this process use the same module instances. Expired shard iterators are covered
 * by test/integration/local/stream-poller.test.ts; process deaths by test/e2e/chaos.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postIngestTrips } from '../../src/cli/api-client/ingest-client';
import { ApiClient } from '../../verify/chaos/api-client';
import { checkAgainstOracle, oracleExpectation } from '../../verify/chaos/oracle-checks';
import { replayFiles } from '../../src/cli/replay/replay-files';
import { openTlcFile } from '../../src/cli/tlc/tlc-file';
import { validateTrip, type TripSubmission } from '../../src/domain/trip';
import { kinesisClient } from '../../src/ingest/kinesis-client';
import { startLocalStack, type LocalStack } from '../../src/local/local-stack';
import { silentLogger } from '../../src/local/logger';
import { dynamoClient } from '../../src/store/dynamo-client';
import { emptyFaultTally, injectDynamoFaults } from '../support/dynamo-faults';
import { withKey } from '../support/graphql';
import { injectPutRecordsFaults } from '../support/kinesis-faults';
import { TLC_DATA_DIR } from '../support/tlc-trips';

const FILE = join(TLC_DATA_DIR, 'yellow_tripdata_2020-01.csv');
const WEEK_MS = 7 * 24 * 3600_000;

let stack: LocalStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-faults-'));
  stack = await startLocalStack({
    dataDir,
    port: 0,
    logger: silentLogger,
    poller: { pollIntervalMs: 50, retryBaseDelayMs: 20, retryMaxDelayMs: 200 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A local date-time `weeks` weeks earlier (read and written as UTC: only the wall clock matters). */
function weeksEarlier(localDateTime: string, weeks: number): string {
  return new Date(Date.parse(`${localDateTime.replace(' ', 'T')}Z`) - weeks * WEEK_MS).toISOString().slice(0, 19);
}

/** Every 10th valid row of the file, as an app would resubmit it: same tripId, sometimes altered. */
async function resubmissionsOf(path: string): Promise<TripSubmission[]> {
  const resubmissions: TripSubmission[] = [];
  let valid = 0;
  for await (const row of (await openTlcFile(path)).rows()) {
    if (row.kind !== 'trip' || !validateTrip(row.trip).ok || valid++ % 10 !== 0) continue;
    const trip = row.trip;
    const variants: TripSubmission[] = [
      trip,
      { ...trip, fareAmount: trip.fareAmount + 5, totalAmount: trip.totalAmount + 5 },
      { ...trip, pickupZoneId: 999 },
      { ...trip, pickupAt: weeksEarlier(trip.pickupAt, 3), dropoffAt: weeksEarlier(trip.dropoffAt, 3) },
    ];
    resubmissions.push(variants[resubmissions.length % variants.length]);
  }
  return resubmissions;
}

describe('the pipeline under injected faults', () => {
  it('answers like the oracle after PutRecords partial failures, DynamoDB throttling and unprocessed items, and resubmissions', async () => {
    // Prepare
    let putRecordsDraws = 0;
    const kinesisFaults = injectPutRecordsFaults(kinesisClient(), { fails: () => ++putRecordsDraws % 5 === 0 });
    const tally = emptyFaultTally();
    const dynamoFaults = injectDynamoFaults(
      dynamoClient(),
      { throttleRate: 0.05, unprocessedRate: 0.2, lostAnswerRate: 0.05, seed: 2019 },
      tally,
    );
    const resubmissions = await resubmissionsOf(FILE);
    const ingest = { endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) };

    // Act
    const summary = await replayFiles({ files: [FILE], ...ingest });
    for (let start = 0; start < resubmissions.length; start += 100) await postIngestTrips(resubmissions.slice(start, start + 100), ingest);
    await stack.waitForIdle({ timeoutMs: 300_000 });
    dynamoFaults.remove();
    kinesisFaults.remove();

    // Assess
    expect(kinesisFaults.failedRecords()).toBeGreaterThan(100);
    expect(tally.throttled).toBeGreaterThan(0);
    expect(tally.withheldItems).toBeGreaterThan(0);
    expect(tally.lostAnswers).toBeGreaterThan(0);
    const api = new ApiClient(stack.graphqlUrl, withKey(stack.apiKeys.read));
    const counts = await api.ingestionCounts();
    const expected = await oracleExpectation([FILE]);
    expect(counts).toEqual({
      acceptedTrips: expected.acceptedTrips,
      duplicateTrips: resubmissions.length,
      rejectedTrips: summary.sent - expected.acceptedTrips,
      poisonRecords: 0,
    });
    const checks = await checkAgainstOracle(api, expected, counts);
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.filter((check) => check.differences.length > 0)).toEqual([]);
  }, 600_000);
});
