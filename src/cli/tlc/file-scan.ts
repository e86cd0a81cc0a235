/**
 * One streaming pass over a trip file before it is replayed: its SHA-256 (the root of every replayed
 * tripId) and, for CSV, a line count that estimates the rows for the progress bar. Streaming keeps
 * memory flat whatever the file size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TlcFormat } from './tlc-format';

export interface FileScan {
  /** SHA-256 of the file's bytes as stored (for .csv.gz: the compressed bytes), lower-case hex. */
  sha256: string;
  byteLength: number;
  /** Text lines of a CSV (the decompressed text for .csv.gz); undefined for Parquet. */
  lineCount?: number;
}

const NEWLINE = 0x0a;

/**
 * Hashes a file and, for CSV, counts its lines, in one read. A last line without a final newline
 * still counts. Errors (missing file, corrupt gzip) are thrown as the stream's own errors; the caller
 * knows the path and wraps them.
 */
export async function scanFile(path: string, format: TlcFormat): Promise<FileScan> {
  const hash = createHash('sha256');
  let byteLength = 0;
  const hashTap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      byteLength += chunk.length;
      done(null, chunk);
    },
  });
  let newlines = 0;
  let endsWithNewline = true;
  let textBytes = 0;
  const countLines = async (text: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of text) {
      if (format === 'parquet' || chunk.length === 0) continue;
      textBytes += chunk.length;
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) newlines += 1;
      endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
    }
  };
  if (format === 'csv.gz') {
    await pipeline(createReadStream(path), hashTap, createGunzip(), countLines);
  } else {
    await pipeline(createReadStream(path), hashTap, countLines);
  }
  const lineCount = format === 'parquet' ? undefined : newlines + (textBytes > 0 && !endsWithNewline ? 1 : 0);
  return { sha256: hash.digest('hex'), byteLength, lineCount };
}

/**
 * The tripId of a replayed row: the first 16 hex digits of the file's SHA-256 and the 1-based data
 * row number. The same file replayed twice gives the same ids (so the pipeline counts it once);
 * another file, even with the same rows, gives others.
 */
export function replayTripId(sha256: string, row: number): string {
  return `${sha256.slice(0, 16)}-${row}`;
}
