/**
 * `npm run chaos` at a small size: a real TLC file replayed into `npm start` child processes that are
 * killed with SIGKILL (the whole process group, emulators included) at random moments during the
 * replay and restarted on the same data directory; afterwards every number of every insight equals the
 * oracle's, and the data lake's files hold every record of the stream exactly once.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runChaos } from '../../verify/chaos/run-chaos';
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

describe('npm run chaos', () => {
  it('matches the oracle after the stack is killed twice during a replay and restarted on its data directory', async () => {
    // Prepare: calls of two trips, one at a time, so that the 999-row file lasts through both kills
    const lines: string[] = [];
    const options = {
      files: [join(TLC_DATA_DIR, 'yellow_tripdata_2020-01.csv')],
      kills: 2,
      port: await freePort(),
      keep: false,
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
    expect(Number.parseInt(lake.actual, 10)).toBeGreaterThanOrEqual(999);
    expect(lake.differences).toEqual([]);
  }, 240_000);
});
