/**
 * What a person watching a replay sees on stderr: on a terminal one line redrawn in place (bar,
 * counts, trips/s, ETA); in a log or pipe a plain line every few seconds, since redraws would only
 * clutter it. Plus the final summary. Formatting is pure; only the display writes.
 */
import { basename } from 'node:path';
import type { ReplayProgress, ReplaySummary } from './replay/replay-files';

/** The part of a stream the display uses: process.stderr in the CLI, a fake in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressDisplay {
  update(progress: ReplayProgress): void;
  /** Writes the last state for good (ends the redrawn line on a terminal). */
  finish(): void;
}

export interface ProgressDisplayOptions {
  now?: () => number;
  /** Redraws on a terminal at most this often. */
  redrawIntervalMs?: number;
  /** Plain lines (not a terminal) at most this often. */
  plainIntervalMs?: number;
}

const BAR_WIDTH = 24;
const SAMPLES_IN_SUMMARY = 5;
const CLEAR_LINE = '\r\x1b[2K';

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A duration as m:ss or h:mm:ss, the way a countdown reads. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * One line of progress. Rows done are trips answered plus unreadable rows, measured against
 * `totalRows` (all files; for CSV an estimate from the line count) when known: then a percentage, a
 * bar (with `bar`) and an ETA at the current rate are shown.
 */
export function formatProgressLine(progress: ReplayProgress, options: { bar: boolean }): string {
  const rowsDone = progress.sent + progress.unreadable;
  const parts: string[] = [];
  if (progress.totalRows !== undefined && progress.totalRows > 0) {
    const fraction = Math.min(1, rowsDone / progress.totalRows);
    const filled = Math.round(fraction * BAR_WIDTH);
    if (options.bar) parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`);
    parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`, `${count(rowsDone)}/${count(progress.totalRows)} rows`);
  } else {
    parts.push(`${count(rowsDone)} rows`);
  }
  // Rate and ETA before the counts: a narrow terminal cuts the end of the line.
  parts.push(`${count(progress.tripsPerSecond)} trips/s`);
  if (progress.totalRows !== undefined && progress.tripsPerSecond > 0 && rowsDone < progress.totalRows) {
    parts.push(`ETA ${formatDuration(((progress.totalRows - rowsDone) / progress.tripsPerSecond) * 1000)}`);
  }
  parts.push(
    `accepted ${count(progress.accepted)}`,
    `rejected ${count(progress.rejected)}`,
    `unreadable ${count(progress.unreadable)}`,
    basename(progress.file),
  );
  return parts.join('  ');
}

/**
 * A progress display writing to `stream` (stderr by default, so stdout stays free for the summary).
 * On a TTY it redraws one line, at most every 100 ms, cut to the terminal's width so it never wraps;
 * otherwise it writes a plain line at most every 2 s. The first update is always shown.
 */
export function createProgressDisplay(stream: ProgressStream = process.stderr, options: ProgressDisplayOptions = {}): ProgressDisplay {
  const now = options.now ?? Date.now;
  const isTerminal = stream.isTTY === true;
  const intervalMs = isTerminal ? (options.redrawIntervalMs ?? 100) : (options.plainIntervalMs ?? 2_000);
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let latest: ReplayProgress | undefined;
  let latestShown = false;

  const show = (progress: ReplayProgress): void => {
    if (isTerminal) {
      // A pseudo-terminal may report 0 columns: then assume the classic 80.
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(CLEAR_LINE + formatProgressLine(progress, { bar: true }).slice(0, width));
    } else {
      stream.write(`replay: ${formatProgressLine(progress, { bar: false })}\n`);
    }
    lastShownAt = now();
    latestShown = true;
  };

  return {
    update(progress) {
      latest = progress;
      latestShown = false;
      if (now() - lastShownAt >= intervalMs) show(progress);
    },
    finish() {
      if (latest && !latestShown) show(latest);
      if (latest && isTerminal) stream.write('\n');
    },
  };
}

/**
 * The final report of a replay, several lines: files, trips sent and accepted, rejected trips by
 * reason (most frequent first), unreadable rows with the first few samples, elapsed time and rate.
 */
export function formatSummary(summary: ReplaySummary): string {
  const rejected = Object.values(summary.rejectedByReason).reduce((sum, trips) => sum + trips, 0);
  const rate = summary.elapsedMs > 0 ? summary.sent / (summary.elapsedMs / 1000) : 0;
  const lines = [
    `Replayed ${summary.files.length} file(s) in ${formatDuration(summary.elapsedMs)} (${count(rate)} trips/s): ${summary.files.map((file) => basename(file)).join(', ')}`,
    `  sent        ${count(summary.sent)} trips`,
    `  accepted    ${count(summary.accepted)}`,
    `  rejected    ${count(rejected)}`,
  ];
  const reasons = Object.entries(summary.rejectedByReason).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  for (const [reason, trips] of reasons) lines.push(`    ${reason.padEnd(28)} ${count(trips)}`);
  lines.push(`  unreadable  ${count(summary.unreadable)} row(s)`);
  for (const sample of summary.unreadableSamples.slice(0, SAMPLES_IN_SUMMARY)) {
    lines.push(`    ${basename(sample.file)} row ${sample.row}: ${sample.field}: ${sample.reason}`);
  }
  const unshown = summary.unreadable - Math.min(summary.unreadableSamples.length, SAMPLES_IN_SUMMARY);
  if (unshown > 0) lines.push(`    ... and ${count(unshown)} more`);
  return lines.join('\n');
}
