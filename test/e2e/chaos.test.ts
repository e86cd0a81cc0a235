/**
 * `npm run chaos` at a small size: a real TLC file replayed into `npm start` child processes that are
 * killed with SIGKILL (the whole process group, emulators included) at random moments during the
 * replay and restarted on the same data directory; afterwards every number of every insight equals the
 * oracle's, and the data lake's files hold every record of the stream exactly once; and `npm run rebuild`
 * of that lake into a fresh table gives the live table item by item.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildTable } from '../../src/cli/rebuild/rebuild-table';
import { prepareTargetTable } from '../../src/cli/rebuild/target-table';
import { emulatorClients } from '../../src/local/emulators/emulator-clients';
import { startEmulators } from '../../src/local/emulators/emulators';
import { lakeRoot } from '../../src/local/lake/local-lake';
import { LOCAL_TABLE_NAME } from '../../src/store/table-definition';
import { runChaos } from '../../verify/chaos/run-chaos';
import { compareTables } from '../../verify/rebuild/compare-tables';
import { TLC_DATA_DIR } from '../support/tlc-trips';

const SEED = 20_230_201;

/** A port nothing listens on right now (the chaos stack needs the same one across restarts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let workDir: string | undefined;

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('npm run chaos', () => {
  it('matches the oracle after the stack is killed twice during a replay and restarted on its data directory, and a rebuild from the lake matches the live table', async () => {
    // Prepare: calls of two trips, one at a time, so that the 999-row file (two rejections among them)
    // lasts through both kills; replayed twice, so that every record of the second pass is a duplicate
    const lines: string[] = [];
    const file = join(TLC_DATA_DIR, 'yellow_tripdata_2020-01.csv');
    const runDir = await mkdtemp(join(tmpdir(), 'taxi-pulse-chaos-rebuild-'));
    workDir = runDir;
    const options = {
      files: [file, file],
      workDir: runDir,
      kills: 2,
      port: await freePort(),
      // Kept for the rebuild below (removed after the test).
      keep: true,
      seed: SEED,
      killDelayMs: { min: 300, max: 1000 },
      settleTimeoutMs: 120_000,
      // The lake writes its files five times a second, so that the kills can land while it writes.
      lakeBufferSeconds: 0.2,
      replay: { batchSize: 2, concurrency: 1 },
    };

    // Act
    const result = await runChaos(options, { log: (line) => lines.push(line) });

    // Assess
    expect(lines.filter((line) => /kill \d\/2: SIGKILL .* \(replay run \d was running\)/.test(line))).toHaveLength(2);
    expect(result.results.filter((check) => check.differences.length > 0)).toEqual([]);
    expect(result.results.length).toBeGreaterThan(20);
    for (const insight of ['peakHours ', 'peakHours.byHourOfWeek ', 'fareTrend(', 'operations(', 'zoneFlows '])
      expect([insight, result.results.some((check) => check.name.startsWith(insight))]).toEqual([insight, true]);
    expect(result.ok).toBe(true);
    expect(result.report).toContain(`All ${result.results.length} checks match the oracle.`);
    const lake = result.results.find((check) => check.name === 'data lake: every stream record once')!;
    // Every row once: the 999 rows, some sent twice when a call was retried across a kill.
    expect(Number.parseInt(lake.actual, 10)).toBeGreaterThanOrEqual(2 * 999);
    expect(lake.differences).toEqual([]);

    // Act: rebuild the killed stack's lake into a fresh table next to its live one
    const dataDir = join(runDir, 'data');
    const emulators = await startEmulators({ dataDir });
    const clients = emulatorClients(emulators.endpoints, 'us-east-1');
    try {
      await prepareTargetTable(clients.dynamodb, 'rebuilt', { create: true, force: false });
      const summary = await rebuildTable({
        lakeRoot: lakeRoot(dataDir),
        client: clients.documents,
        tableName: 'rebuilt',
        ledger: true,
        marks: 'same-stream',
        batchRecords: 97,
      });

      // Assess: every figure, ledger entry and counter as live (the marks too, here)
      const comparison = await compareTables(clients.documents, LOCAL_TABLE_NAME, 'rebuilt');
      expect(comparison.differences).toEqual([]);
      expect(comparison.markDifferences).toEqual([]);
      expect(summary.duplicates).toBeGreaterThanOrEqual(999);
      expect(summary.rejected).toBeGreaterThanOrEqual(2);
      expect(comparison.kinds).toMatchObject({ TRIP: summary.acceptedTrips, REJECTED: summary.rejected, STATS: 2 });
      expect(comparison.kinds.AGG).toBeGreaterThan(100);
      expect(comparison.kinds.FLOW).toBeGreaterThan(10);
    } finally {
      clients.destroy();
      await emulators.stop();
    }
  }, 300_000);
});
