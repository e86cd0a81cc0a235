/**
 * Raw TLC files -> hourly trip counts per scope, counted the way the pipeline counts: rows read by the
 * replay's reader, trips validated by the API's rules, valid ones bucketed by pickup local hour and
 * pickup zone/borough. What the backtest measures forecasts against when it has no running stack.
 */
import { HourlyTripCounts } from '../../domain/forecast/hourly-counts';
import { validateTrip } from '../../domain/trip';
import { openTlcFile } from '../tlc/tlc-file';

/** How far the counting has got, for a progress display. */
export interface CountingProgress {
  file: string;
  /** Rows read so far, all files. */
  rows: number;
  /** Rows in all files (CSV: estimated from line counts). */
  totalRows: number;
  validTrips: number;
}

export interface CountedFiles {
  counts: HourlyTripCounts;
  rows: number;
  validTrips: number;
  /** Trips the API would reject, and rows that are not trips at all: read, not counted. */
  rejectedTrips: number;
  unreadableRows: number;
}

const PROGRESS_EVERY_ROWS = 20_000;

/**
 * Reads every row of the files (opened first, so a bad path fails before any counting) and counts
 * the valid trips. Throws the TlcFileError subclasses of openTlcFile.
 */
export async function countTlcFiles(paths: readonly string[], onProgress?: (progress: CountingProgress) => void): Promise<CountedFiles> {
  const files = [];
  for (const path of paths) files.push(await openTlcFile(path));
  const totalRows = files.reduce((sum, file) => sum + file.rowCount, 0);
  const result: CountedFiles = { counts: new HourlyTripCounts(), rows: 0, validTrips: 0, rejectedTrips: 0, unreadableRows: 0 };
  for (const file of files) {
    for await (const row of file.rows()) {
      result.rows += 1;
      if (row.kind === 'unreadable') {
        result.unreadableRows += 1;
      } else {
        const validation = validateTrip(row.trip);
        if (validation.ok) {
          result.counts.add(validation.trip);
          result.validTrips += 1;
        } else {
          result.rejectedTrips += 1;
        }
      }
      if (onProgress && result.rows % PROGRESS_EVERY_ROWS === 0) {
        onProgress({ file: file.path, rows: result.rows, totalRows, validTrips: result.validTrips });
      }
    }
  }
  onProgress?.({ file: files.at(-1)?.path ?? '', rows: result.rows, totalRows, validTrips: result.validTrips });
  return result;
}
