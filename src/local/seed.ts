/**
 * First-run seeding: replays a month of TLC trips through the running GraphQL endpoint, exactly as
 * apps submit them, and remembers in `<dataDir>/seeded.json` that it did (a replay is idempotent
 * anyway, the marker only spares the minutes on every start).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayProgress, ReplaySummary } from '../cli/replay/replay-files';
import type { ReplayFiles } from './lambda-runtime/project-modules';

export interface SeedMarker {
  readonly seededAt: string;
  readonly files: readonly string[];
  readonly summary: ReplaySummary;
}

export interface SeedOptions {
  readonly dataDir: string;
  readonly files: readonly string[];
  /** The GraphQL endpoint the trips are submitted to. */
  readonly endpoint: string;
  /** Headers of every call, e.g. the ingest API key. */
  readonly headers?: Record<string, string>;
  readonly replay: ReplayFiles;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly signal?: AbortSignal;
}

/** Where the marker of a data directory lives. */
export function seedMarkerPath(dataDir: string): string {
  return join(dataDir, 'seeded.json');
}

/** The marker left by an earlier seeding of this data directory, if any. */
export async function readSeedMarker(dataDir: string): Promise<SeedMarker | undefined> {
  try {
    return JSON.parse(await readFile(seedMarkerPath(dataDir), 'utf8')) as SeedMarker;
  } catch {
    return undefined;
  }
}

/**
 * Replays `files` through `endpoint` and writes the marker once the replay has finished. An aborted
 * or failed replay leaves no marker, so the next start seeds again.
 */
export async function seed(options: SeedOptions): Promise<SeedMarker> {
  const summary = await options.replay({
    files: [...options.files],
    endpoint: options.endpoint,
    headers: options.headers,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  if (options.signal?.aborted) throw options.signal.reason ?? new Error('seeding aborted');
  const marker: SeedMarker = { seededAt: new Date().toISOString(), files: options.files, summary };
  await writeFile(seedMarkerPath(options.dataDir), `${JSON.stringify(marker, null, 2)}\n`, 'utf8');
  return marker;
}
