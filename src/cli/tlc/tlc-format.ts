/**
 * Which reader a TLC file needs, decided by its extension: the TLC publishes CSV (often gzipped)
 * and Parquet, and sniffing bytes would only hide a misnamed file.
 */
import { UnsupportedTlcFormatError } from './tlc-errors';

export type TlcFormat = 'csv' | 'csv.gz' | 'parquet';

// Longest first, so '.csv.gz' is not taken for something ending in '.gz' alone.
const EXTENSIONS: ReadonlyArray<readonly [string, TlcFormat]> = [
  ['.csv.gz', 'csv.gz'],
  ['.parquet', 'parquet'],
  ['.csv', 'csv'],
];

/** The extensions the reader accepts, for help texts and error messages. */
export const TLC_FILE_EXTENSIONS: readonly string[] = EXTENSIONS.map(([extension]) => extension);

/**
 * The format of a file from its name (case-insensitive: `.CSV` is CSV). Throws
 * UnsupportedTlcFormatError listing the accepted extensions for anything else.
 */
export function detectTlcFormat(path: string): TlcFormat {
  const lowerCase = path.toLowerCase();
  const known = EXTENSIONS.find(([extension]) => lowerCase.endsWith(extension));
  if (!known) throw new UnsupportedTlcFormatError(path, TLC_FILE_EXTENSIONS);
  return known[1];
}
