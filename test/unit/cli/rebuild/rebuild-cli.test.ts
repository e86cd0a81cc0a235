import { resolve } from 'node:path';
import {
  DEFAULT_REBUILT_TABLE,
  formatRebuildProgress,
  formatRebuildSummary,
  parseRebuildArgs,
  RebuildUsageError,
  runRebuildCli,
} from '../../../../src/cli/rebuild/rebuild-cli';
import type { RebuildSummary } from '../../../../src/cli/rebuild/rebuild-table';

describe('parseRebuildArgs', () => {
  it('rebuilds the local data directory into a table next to the live one by default, with ledger and marks', () => {
    expect(parseRebuildArgs([])).toEqual({
      target: { kind: 'local', dataDir: resolve('.taxi-pulse/') },
      lakeRoot: resolve('.taxi-pulse/lake'),
      tableName: DEFAULT_REBUILT_TABLE,
      force: false,
      ledger: true,
      marks: 'same-stream',
      help: false,
    });
  });

  it('takes AWS with a copy of the lake, a table, and another stream', () => {
    expect(
      parseRebuildArgs(['--aws', '--lake', 'copy', '--table', 'TaxiPulseV4-Table', '--new-stream', '--no-ledger', '--force']),
    ).toMatchObject({
      target: { kind: 'aws' },
      lakeRoot: resolve('copy'),
      tableName: 'TaxiPulseV4-Table',
      force: true,
      ledger: false,
      marks: 'new-stream',
    });
  });

  it.each([
    [['--aws', '--table', 't-1'], /--lake <dir> is required/],
    [['--aws', '--lake', 'x'], /--table <name> is required with --aws/],
    [['--aws', '--endpoint', 'http://localhost:8000', '--lake', 'x'], /give one/],
    [['--endpoint', 'http://localhost:8000', '--data-dir', 'd', '--lake', 'x'], /--data-dir is for the local stack/],
    [['--table', 'a b'], /not a DynamoDB table name/],
    [['--frobnicate'], /frobnicate/],
  ])('refuses %j with what to do', (argv, message) => {
    expect(() => parseRebuildArgs(argv)).toThrow(RebuildUsageError);
    expect(() => parseRebuildArgs(argv)).toThrow(message);
  });
});

describe('runRebuildCli', () => {
  it('answers a bad command line with exit code 2 and a pointer to --help, and a missing data directory with 1', async () => {
    const stderr: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => stderr.push(text) } };
    expect(await runRebuildCli(['--aws'], io)).toBe(2);
    expect(stderr.join('')).toMatch(/--help/);
    expect(await runRebuildCli(['--data-dir', '/nonexistent/taxi-pulse-data'], io)).toBe(1);
    expect(stderr.join('')).toMatch(/no data directory .*run `npm start` first/);
  });
});

describe('formatRebuildProgress and formatRebuildSummary', () => {
  it('shows records read of all, trips and the rate while reading, items written while writing', () => {
    const base = {
      files: 74,
      records: 64_809,
      acceptedTrips: 29_889,
      items: 0,
      itemsWritten: 0,
      ledgerItemsWritten: 29_600,
      elapsedMs: 7000,
    };
    expect(formatRebuildProgress({ ...base, phase: 'reading', recordsRead: 30_000 })).toBe(
      'rebuild: reading 30,000/64,809 records (46%) of 74 files, 29,889 trips, 4,286 records/s, 29,600 ledger items written [0:07]',
    );
    expect(formatRebuildProgress({ ...base, phase: 'writing', recordsRead: 64_809, items: 7589, itemsWritten: 1575 })).toBe(
      'rebuild: writing 1,575/7,589 items, 29,600 ledger items written [0:07]',
    );
  });

  it('sums up records, items, write units per trip, and what the table carries', () => {
    const summary: RebuildSummary = {
      tableName: 'taxi-pulse-rebuilt',
      files: 74,
      bytes: 4_200_000,
      records: 64_809,
      shards: 2,
      acceptedTrips: 64_580,
      duplicates: 0,
      rejected: 229,
      poison: 0,
      items: { 'pickup aggregate': 6851, flow: 737, counters: 1 },
      ledger: { items: 64_809, writeUnits: 64_809, calls: 2593 },
      aggregates: { items: 7590, writeUnits: 8596, calls: 304 },
      readMs: 14_000,
      elapsedMs: 19_000,
    };
    const text = formatRebuildSummary(summary, { ledger: true, marks: 'same-stream' });
    expect(text).toContain('64,809 stream records on 2 shard(s), in 0:19 (3,399 trips/s');
    expect(text).toContain('64,580 trips accepted, 0 duplicates, 229 rejected, 0 poison');
    expect(text).toContain('8,596 write units (0.133 per trip)');
    expect(text).toContain('ledger: 64,809 items');
    expect(formatRebuildSummary(summary, { ledger: false, marks: 'new-stream' })).toMatch(/not written \(--no-ledger\)[\s\S]*marks: none/);
  });
});
