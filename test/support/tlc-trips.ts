/**
 * Real trips for tests that need realistic input but not a whole file: the first rows of a shipped
 * TLC file, read the way the replay reads them (tripIds from the file's digest and row number) and
 * sorted by what the API would make of them.
 */
import { join } from 'node:path';
import { openTlcFile } from '../../src/cli/tlc/tlc-file';
import { validateTrip, type TripSubmission } from '../../src/domain/trip';

export const TLC_DATA_DIR = join(__dirname, '..', '..', 'data', 'nyc-tlc');

export interface TlcSample {
  /** Rows the API accepts. */
  readonly valid: TripSubmission[];
  /** Rows the API rejects (negative fares, zero-minute trips...), with their reason. */
  readonly invalid: TripSubmission[];
}

/** Reads rows of `fileName` (in data/nyc-tlc) until `validCount` valid trips are found. */
export async function tlcSample(fileName: string, validCount: number): Promise<TlcSample> {
  const file = await openTlcFile(join(TLC_DATA_DIR, fileName));
  const sample: TlcSample = { valid: [], invalid: [] };
  for await (const row of file.rows()) {
    if (row.kind !== 'trip') continue;
    if (validateTrip(row.trip).ok) sample.valid.push(row.trip);
    else sample.invalid.push(row.trip);
    if (sample.valid.length >= validCount) break;
  }
  return sample;
}
