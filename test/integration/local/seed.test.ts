import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplayProgress, ReplaySummary } from '../../../src/cli/replay/replay-files';
import type { ReplayFiles } from '../../../src/local/lambda-runtime/project-modules';
import { readSeedMarker, seed } from '../../../src/local/seed';

let dataDir: string;

const SUMMARY: ReplaySummary = {
  files: ['a.parquet'],
  sent: 1,
  accepted: 1,
  rejectedByReason: {},
  unreadable: 0,
  unreadableSamples: [],
  elapsedMs: 5,
};
const PROGRESS: ReplayProgress = { file: 'a.parquet', sent: 1, accepted: 1, rejected: 0, unreadable: 0, tripsPerSecond: 200 };

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-seed-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('seed', () => {
  it('replays the files through the endpoint and leaves a marker with the summary', async () => {
    // Prepare
    const calls: Parameters<ReplayFiles>[0][] = [];
    const replay: ReplayFiles = async (options) => {
      calls.push(options);
      options.onProgress?.(PROGRESS);
      return SUMMARY;
    };
    const progress: unknown[] = [];

    // Act
    await seed({ dataDir, files: ['a.parquet'], endpoint: 'http://127.0.0.1:1/graphql', replay, onProgress: (p) => progress.push(p) });

    // Assess
    expect(calls).toEqual([expect.objectContaining({ files: ['a.parquet'], endpoint: 'http://127.0.0.1:1/graphql' })]);
    expect(progress).toEqual([PROGRESS]);
    expect(await readSeedMarker(dataDir)).toMatchObject({ files: ['a.parquet'], summary: SUMMARY });
  });

  it('leaves no marker when the replay fails or is aborted', async () => {
    // Prepare
    const controller = new AbortController();
    const failing: ReplayFiles = async () => {
      throw new Error('endpoint down');
    };
    const aborted: ReplayFiles = async () => {
      controller.abort(new Error('SIGINT'));
      return SUMMARY;
    };

    // Act
    const outcomes = await Promise.allSettled([
      seed({ dataDir, files: [], endpoint: 'x', replay: failing }),
      seed({ dataDir, files: [], endpoint: 'x', replay: aborted, signal: controller.signal }),
    ]);

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await readSeedMarker(dataDir)).toBeUndefined();
  });
});
