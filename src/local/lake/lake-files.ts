/**
 * The files of the local lake and how a crash is recovered from them alone. A flush of one shard's
 * buffer writes one Parquet file per partition, each named after the flush:
 *
 *   <lake>/records/type=trip/pickup_date=2023-02-01/<shardId>_<first seq>_<last seq>_<k>of<n>.parquet
 *
 * where first..last is the whole flush's sequence range and k of n its part. Every file is written to a
 * `.tmp` name, synced and renamed, so a file that exists under its real name is whole. A flush counts
 * only once all n parts exist; the shard's resume position is the last sequence number of its newest
 * complete flush. After a SIGKILL, the `.tmp` files and the parts of an incomplete flush (only the last
 * flush of a shard can be one) are deleted and the writer reads the stream again after that position:
 * a record is never both in a file and read again, nor lost, whatever instant the process died at.
 * Nothing else (no checkpoint that a crash could leave behind the files) decides where to resume.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_RECORDS_PREFIX } from '../../lake/lake-schema';

export const LAKE_FILE_EXTENSION = '.parquet';
export const TEMP_SUFFIX = '.tmp';

/** One flush of one shard: the sequence range it covers and how many files (partitions) it wrote. */
export interface FlushId {
  readonly shardId: string;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
}

export interface LakeFileName extends FlushId {
  /** 1-based part of the flush. */
  readonly part: number;
  readonly parts: number;
}

const FILE_NAME = /^(.+)_(\d+)_(\d+)_(\d+)of(\d+)\.parquet$/;

/** The file name of part `part` of `parts` of a flush. */
export function lakeFileName(name: LakeFileName): string {
  return `${name.shardId}_${name.firstSequenceNumber}_${name.lastSequenceNumber}_${name.part}of${name.parts}${LAKE_FILE_EXTENSION}`;
}

/** The flush a lake file belongs to, or undefined for a name this writer does not produce. */
export function parseLakeFileName(fileName: string): LakeFileName | undefined {
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const [, shardId, firstSequenceNumber, lastSequenceNumber, part, parts] = match;
  const name = { shardId, firstSequenceNumber, lastSequenceNumber, part: Number(part), parts: Number(parts) };
  return name.part >= 1 && name.part <= name.parts ? name : undefined;
}

/**
 * Compares two Kinesis sequence numbers: decimal strings of up to 128 digits, without leading zeros,
 * so a shorter one is smaller and equal lengths compare as text.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LakeListing {
  /** Every lake file under its real name, with its path. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly name: LakeFileName }>;
  /** Files a write never finished (`.tmp`). */
  readonly tempFiles: readonly string[];
}

/** Lists the lake's files: records/type=<type>/pickup_date=<date>/<file>. A lake not written yet is empty. */
export async function listLake(lakeRoot: string): Promise<LakeListing> {
  const files: Array<{ path: string; name: LakeFileName }> = [];
  const tempFiles: string[] = [];
  for (const typeDir of await subdirectories(join(lakeRoot, LAKE_RECORDS_PREFIX))) {
    for (const dateDir of await subdirectories(typeDir)) {
      for (const entry of await readdir(dateDir, { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(dateDir, entry.name);
        if (entry.name.endsWith(TEMP_SUFFIX)) tempFiles.push(path);
        else {
          const name = parseLakeFileName(entry.name);
          if (name) files.push({ path, name });
        }
      }
    }
  }
  return { files, tempFiles };
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export interface LakeRecovery {
  /** Per shard, the last sequence number held by the lake: read the stream after it. */
  readonly positions: ReadonlyMap<string, string>;
  /** Files deleted: temporary files and the parts of flushes a crash interrupted. */
  readonly deleted: readonly string[];
}

/**
 * Brings the lake back to whole flushes (see the file comment) and tells each shard where to resume.
 * Run it before any writer starts; it is idempotent, so a crash during recovery is recovered from too.
 */
export async function recoverLake(lakeRoot: string): Promise<LakeRecovery> {
  const { files, tempFiles } = await listLake(lakeRoot);
  const flushes = new Map<string, { id: FlushId; parts: number; found: Set<number>; paths: string[] }>();
  for (const { path, name } of files) {
    const key = `${name.shardId}_${name.firstSequenceNumber}_${name.lastSequenceNumber}`;
    let flush = flushes.get(key);
    if (!flush) flushes.set(key, (flush = { id: name, parts: name.parts, found: new Set(), paths: [] }));
    flush.found.add(name.part);
    flush.paths.push(path);
  }
  const positions = new Map<string, string>();
  const deleted = [...tempFiles];
  for (const flush of flushes.values()) {
    if (flush.found.size < flush.parts) {
      deleted.push(...flush.paths);
      continue;
    }
    const { shardId, lastSequenceNumber } = flush.id;
    const known = positions.get(shardId);
    if (known === undefined || compareSequenceNumbers(lastSequenceNumber, known) > 0) positions.set(shardId, lastSequenceNumber);
  }
  await Promise.all(deleted.map((path) => rm(path, { force: true })));
  return { positions, deleted };
}
