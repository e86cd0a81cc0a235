import { createProgressDisplay, formatDuration, formatProgressLine, formatSummary } from '../../../src/cli/progress';
import type { ReplayProgress, ReplaySummary } from '../../../src/cli/replay/replay-files';

function progressOf(overrides: Partial<ReplayProgress> = {}): ReplayProgress {
  return {
    file: 'data/nyc-tlc/green_tripdata_2020-10.csv.gz',
    sent: 40_000,
    accepted: 39_800,
    rejected: 200,
    unreadable: 0,
    totalRows: 80_000,
    tripsPerSecond: 2_000,
    ...overrides,
  };
}

function fakeStream(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (text: string) => writes.push(text) } };
}

describe('formatProgressLine', () => {
  it('shows a bar, the share of rows done, the counts, the rate, the ETA and the file', () => {
    // Act
    const line = formatProgressLine(progressOf(), { bar: true });

    // Assess
    expect(line).toBe(
      `[${'#'.repeat(12)}${'.'.repeat(12)}]   50%  40,000/80,000 rows  2,000 trips/s  ETA 0:20  accepted 39,800  rejected 200  unreadable 0  green_tripdata_2020-10.csv.gz`,
    );
  });

  it('shows rows and rate but no share or ETA when the total is unknown', () => {
    // Act
    const line = formatProgressLine(progressOf({ totalRows: undefined }), { bar: true });

    // Assess
    expect(line).toBe('40,000 rows  2,000 trips/s  accepted 39,800  rejected 200  unreadable 0  green_tripdata_2020-10.csv.gz');
  });

  it('counts unreadable rows as done and never shows more than 100%', () => {
    // Act
    const line = formatProgressLine(progressOf({ sent: 79_990, unreadable: 20 }), { bar: false });

    // Assess
    expect(line).toMatch(/^100%  80,010\/80,000 rows/);
    expect(line).not.toMatch(/ETA/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [59_400, '0:59'],
    [61_000, '1:01'],
    [3_723_000, '1:02:03'],
  ])('writes %p ms as %s', (ms, text) => {
    // Act
    const formatted = formatDuration(ms);

    // Assess
    expect(formatted).toBe(text);
  });
});

describe('createProgressDisplay', () => {
  it('redraws one line on a terminal, at most every 100 ms, and ends it on finish', () => {
    // Prepare
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const display = createProgressDisplay(stream, { now: () => now });

    // Act
    display.update(progressOf({ sent: 1 }));
    now = 50;
    display.update(progressOf({ sent: 2 }));
    now = 120;
    display.update(progressOf({ sent: 3 }));
    now = 130;
    display.update(progressOf({ sent: 4 }));
    display.finish();

    // Assess
    expect(writes.map((text) => text.replace(/^\r\x1b\[2K\[[#.]+\]\s+\d+%\s+([\d,]+)\/.*$/s, 'redraw $1'))).toEqual([
      'redraw 1',
      'redraw 3',
      'redraw 4',
      '\n',
    ]);
  });

  it('cuts the redrawn line to the terminal width so it never wraps', () => {
    // Prepare
    const { writes, stream } = fakeStream(true, 40);
    const display = createProgressDisplay(stream);

    // Act
    display.update(progressOf());

    // Assess
    expect(writes[0].replace('\r\x1b[2K', '')).toHaveLength(39);
  });

  it('writes a plain line at most every 2 s when not on a terminal, and the last state on finish', () => {
    // Prepare
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const display = createProgressDisplay(stream, { now: () => now });

    // Act
    for (let second = 0; second <= 5; second += 1) {
      now = second * 1000;
      display.update(progressOf({ sent: second }));
    }
    display.finish();

    // Assess
    expect(writes.map((text) => text.match(/^replay: .*%\s+(\d+)\//)?.[1])).toEqual(['0', '2', '4', '5']);
    expect(writes.every((text) => text.endsWith('\n') && !text.includes('\r'))).toBe(true);
  });

  it('writes nothing on finish when nothing was reported', () => {
    // Prepare
    const { writes, stream } = fakeStream(true);

    // Act
    createProgressDisplay(stream).finish();

    // Assess
    expect(writes).toEqual([]);
  });
});

describe('formatSummary', () => {
  it('lists sent, accepted, rejections by reason, unreadable samples, elapsed time and rate', () => {
    // Prepare
    const summary: ReplaySummary = {
      files: ['data/nyc-tlc/rides.csv', '/tmp/bad.csv'],
      sent: 266,
      accepted: 250,
      rejectedByReason: { DISTANCE_OUT_OF_RANGE: 1, AMOUNT_OUT_OF_RANGE: 15 },
      unreadable: 7,
      unreadableSamples: Array.from({ length: 7 }, (_, index) => ({
        file: '/tmp/bad.csv',
        row: index + 1,
        field: 'fareAmount',
        reason: 'fare_amount is blank',
      })),
      elapsedMs: 2_000,
    };

    // Act
    const text = formatSummary(summary);

    // Assess
    expect(text.split('\n')).toEqual([
      'Replayed 2 file(s) in 0:02 (133 trips/s): rides.csv, bad.csv',
      '  sent        266 trips',
      '  accepted    250',
      '  rejected    16',
      '    AMOUNT_OUT_OF_RANGE          15',
      '    DISTANCE_OUT_OF_RANGE        1',
      '  unreadable  7 row(s)',
      '    bad.csv row 1: fareAmount: fare_amount is blank',
      '    bad.csv row 2: fareAmount: fare_amount is blank',
      '    bad.csv row 3: fareAmount: fare_amount is blank',
      '    bad.csv row 4: fareAmount: fare_amount is blank',
      '    bad.csv row 5: fareAmount: fare_amount is blank',
      '    ... and 2 more',
    ]);
  });
});
