/**
 * Why a TLC trip file cannot be read at all (as opposed to one unreadable row, which is reported and
 * skipped). One base class so the CLI can tell "your file" problems from "the stack" problems.
 */

/** The base of every whole-file failure of the TLC reader. */
export class TlcFileError extends Error {
  override name = 'TlcFileError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The path names no readable file. */
export class TlcFileNotFoundError extends TlcFileError {
  override name = 'TlcFileNotFoundError';
  constructor(path: string, options?: { cause?: unknown }) {
    super(path, `no such file: ${path}`, options);
  }
}

/** The file's extension is none of the formats the reader knows. */
export class UnsupportedTlcFormatError extends TlcFileError {
  override name = 'UnsupportedTlcFormatError';
  constructor(
    path: string,
    readonly supportedExtensions: readonly string[],
  ) {
    super(path, `cannot read ${path}: unknown file type (expected ${supportedExtensions.join(', ')})`);
  }
}

/**
 * The header is none of the TLC styles the reader maps. `missingColumns` are the columns the closest
 * style needs and the file lacks, so a user can see at once which naming their file uses.
 */
export class UnknownTlcHeaderError extends TlcFileError {
  override name = 'UnknownTlcHeaderError';
  constructor(
    path: string,
    readonly closestStyle: string,
    readonly missingColumns: readonly string[],
    readonly columns: readonly string[],
  ) {
    super(
      path,
      `${path}: not a TLC trip header; closest style '${closestStyle}' is missing column(s) ` +
        `${missingColumns.join(', ')} (file has: ${columns.slice(0, 30).join(', ') || 'no columns'})`,
    );
  }
}

/** The bytes could not be read or decoded (I/O error, corrupt gzip, corrupt Parquet, bad CSV quoting). */
export class TlcFileReadError extends TlcFileError {
  override name = 'TlcFileReadError';
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(path, `cannot read ${path}: ${detail}`, options);
  }
}
