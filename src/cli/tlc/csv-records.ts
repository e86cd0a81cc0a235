/**
 * The records of a CSV or gzipped CSV file, streamed: file -> (gunzip) -> csv-parse, so a multi-GB
 * month never sits in memory. Records are arrays of text cells, the header first.
 */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/**
 * Yields each record of the file as its cells. Line endings (LF or CRLF, as TLC files have both) are
 * detected by the parser, a UTF-8 byte-order mark is dropped, blank lines are skipped, and rows with
 * too few or too many cells are passed on (a missing required cell then makes the row unreadable,
 * instead of the parser failing the whole file). Stopping early closes the file.
 */
export async function* csvRecords(path: string, gzipped: boolean): AsyncGenerator<string[]> {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true });
  const source = createReadStream(path);
  // pipeline() carries a read or gunzip error into the parser, so the loop below throws it.
  const done = gzipped ? pipeline(source, createGunzip(), parser) : pipeline(source, parser);
  // Stopping early destroys the streams, which rejects `done`; that is not a failure.
  done.catch(() => undefined);
  try {
    for await (const record of parser) yield record as string[];
    await done;
  } finally {
    parser.destroy();
    source.destroy();
  }
}
