import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../../bench/lib/report';
import { readResult } from '../../../bench/lib/results';
import { meets } from '../../../bench/lib/targets';

describe('the benchmark report', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written from the stored results, without running a benchmark, with verdicts from the figures', () => {
    // Prepare
    const throughput = readResult('throughput')?.figures.summary.e2e;
    const ingest = readResult('ingest')?.figures.summary;
    const path = join(dir, 'BENCHMARKS.md');

    // Act
    const rows = writeReport(path, []);

    // Assess
    const text = readFileSync(path, 'utf8');
    expect(throughput).toBeDefined();
    expect(ingest).toBeDefined();
    const throughputRow = rows.find((row) => row.figure.startsWith('1. Pipeline throughput'));
    expect(throughputRow).toMatchObject({ target: '>= 0.8', met: meets('throughputRatio', throughput!.medianRatio) });
    expect(throughputRow?.measured).toContain(String(throughput!.medianRatio));
    expect(rows.find((row) => row.figure.startsWith('5. ingestTrips'))?.met).toBe(meets('ingestRatio', ingest!.medianRatio));
    expect(rows.every((row) => text.includes(row.figure))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(11);
  });
});
