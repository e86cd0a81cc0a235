import {
  createBacktestProgress,
  EXIT_CODES,
  parseBacktestArgs,
  runBacktestCli,
  UsageError,
} from '../../../../src/cli/backtest/backtest-cli';
import { parseScopeSelection } from '../../../../src/cli/backtest/run-backtest';

function capture(isTTY = false) {
  const chunks: string[] = [];
  return { stream: { write: (text: string) => chunks.push(text), isTTY }, text: () => chunks.join('') };
}

describe('parseBacktestArgs', () => {
  it('reads files, scope and weeks', () => {
    expect(parseBacktestArgs(['--file', 'a.csv', '--file', 'b.parquet', '--scope', 'borough:queens', '--weeks', '2'])).toEqual({
      source: { kind: 'files', files: ['a.csv', 'b.parquet'] },
      options: { scope: { kind: 'borough', borough: 'QUEENS' }, weeks: 2 },
      markdown: false,
      help: false,
    });
  });

  it('backtests the local stack by default, or the endpoint and key given', () => {
    expect(parseBacktestArgs([]).source).toEqual({ kind: 'stack', endpoint: 'http://localhost:4000/graphql', dataDir: '.taxi-pulse/' });
    expect(parseBacktestArgs(['--endpoint', 'https://api.example/graphql', '--api-key', 'k'.repeat(20)]).source).toEqual({
      kind: 'stack',
      endpoint: 'https://api.example/graphql',
      apiKey: 'k'.repeat(20),
      dataDir: '.taxi-pulse/',
    });
  });

  it('explains what is wrong', () => {
    expect(() => parseBacktestArgs(['--file', 'a.csv', '--endpoint', 'http://localhost:1/graphql'])).toThrow(/not both/);
    expect(() => parseBacktestArgs(['--endpoint', 'ftp://x'])).toThrow(/--endpoint/);
    expect(() => parseBacktestArgs(['--file', 'a.csv', '--scope', 'zone:999'])).toThrow(UsageError);
    expect(() => parseBacktestArgs(['--file', 'a.csv', '--weeks', '0'])).toThrow(/--weeks/);
  });
});

describe('parseScopeSelection', () => {
  it('knows city, busiest, boroughs and zones', () => {
    expect(parseScopeSelection('city')).toEqual({ kind: 'city' });
    expect(parseScopeSelection('busiest')).toEqual({ kind: 'busiest' });
    expect(parseScopeSelection('zone:74')).toEqual({ kind: 'zone', zoneId: 74 });
    expect(parseScopeSelection('borough:ATLANTIS')).toBeUndefined();
  });
});

describe('runBacktestCli', () => {
  it('exits 2 with a pointer to --help on bad usage, and 2 for a missing file', async () => {
    const stdout = capture();
    const stderr = capture();
    expect(await runBacktestCli(['--weeks', 'x'], { stdout: stdout.stream, stderr: stderr.stream })).toBe(EXIT_CODES.usage);
    expect(stderr.text()).toMatch(/--help/);
    expect(await runBacktestCli(['--file', 'no-such-file.csv'], { stdout: stdout.stream, stderr: stderr.stream })).toBe(EXIT_CODES.usage);
    expect(stderr.text()).toMatch(/backtest failed/);
  });

  it('says how to start a stack when nothing answers at the endpoint', async () => {
    const stdout = capture();
    const stderr = capture();
    // Port 9 (discard) on localhost: nothing listens there.
    const code = await runBacktestCli(['--endpoint', 'http://127.0.0.1:9/graphql', '--api-key', 'k'.repeat(20)], {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(EXIT_CODES.failure);
    expect(stderr.text()).toMatch(/did not answer[\s\S]*npm start[\s\S]*--file/);
  });

  it('prints the table of a month, scope by scope', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runBacktestCli(['--file', 'data/nyc-tlc/green_tripdata_2023-02.parquet', '--scope', 'city'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout.text()).toMatch(/span 2023-02-01 \.\. 2023-02-28/);
    expect(stdout.text()).toMatch(/^city\s+96\.1\s+1\s+168\s+0\.\d{3}\s+\d+\.\d%/m);
    expect(stderr.text()).toMatch(/reading trips/);
  });
});

describe('createBacktestProgress', () => {
  it('redraws one line on a terminal and clears it at the end', () => {
    const out = capture(true);
    let now = 0;
    const progress = createBacktestProgress(out.stream, () => now);
    progress.update({ stage: 'forecasting', scope: 'city', scopeIndex: 0, scopes: 3, week: 1, weeks: 4 });
    now += 50;
    progress.update({ stage: 'forecasting', scope: 'city', scopeIndex: 0, scopes: 3, week: 2, weeks: 4 });
    progress.finish();
    expect(out.text()).toBe('\r\x1b[2Kbacktest 0:00  forecasting: scope 1/3 (city), week 1/4\r\x1b[2K');
  });
});
