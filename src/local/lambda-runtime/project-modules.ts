/**
 * Loads the project's own Lambda handlers and replay command at run time. They are imported only
 * after the local stack has set TABLE_NAME, STREAM_NAME and the emulator endpoints, because the
 * configuration is read once, at the first import that needs it.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HandlerModuleError } from '../errors';
import type { ReplayProgress, ReplaySummary } from '../../cli/replay/replay-files';
import type { ApiHandler } from '../api-gateway/http-front';
import type { KinesisHandler } from '../event-source-mapping/shard-reader';

/** The replay command's entry (src/cli/replay/replay-files.ts), as far as the local runtime uses it. */
export type ReplayFiles = (options: {
  files: string[];
  endpoint: string;
  headers?: Record<string, string>;
  onProgress?: (progress: ReplayProgress) => void;
  signal?: AbortSignal;
}) => Promise<ReplaySummary>;

// Compile-time proof that the modules loaded at run time fit the shapes the local runtime calls them
// with: a drifting signature fails `tsc` instead of the first `npm start`.
type Fits<Expected, Actual extends Expected> = Actual;
export type DeployedProcessorHandler = Fits<KinesisHandler, typeof import('../../process/handler').handler>;
export type DeployedApiHandler = Fits<ApiHandler, typeof import('../../serve/handler').handler>;
export type DeployedDashboardHandler = Fits<ApiHandler, typeof import('../../dashboard/serve/handler').handler>;
export type ProjectReplayFiles = Fits<ReplayFiles, typeof import('../../cli/replay/replay-files').replayFiles>;

const SRC = join(__dirname, '..', '..');

/** The processor Lambda's handler, from src/process/handler.ts. */
export async function loadProcessorHandler(): Promise<KinesisHandler> {
  return (await loadExport(join(SRC, 'process', 'handler'), 'handler')) as KinesisHandler;
}

/** The GraphQL API Lambda's handler, from src/serve/handler.ts. */
export async function loadApiHandler(): Promise<ApiHandler> {
  return (await loadExport(join(SRC, 'serve', 'handler'), 'handler')) as ApiHandler;
}

/** The dashboard Lambda's handler, from src/dashboard/serve/handler.ts. */
export async function loadDashboardHandler(): Promise<ApiHandler> {
  return (await loadExport(join(SRC, 'dashboard', 'serve', 'handler'), 'handler')) as ApiHandler;
}

/** `replayFiles` from src/cli/replay/replay-files.ts. */
export async function loadReplayFiles(): Promise<ReplayFiles> {
  return (await loadExport(join(SRC, 'cli', 'replay', 'replay-files'), 'replayFiles')) as ReplayFiles;
}

async function loadExport(modulePath: string, name: string): Promise<unknown> {
  const shown = relative(process.cwd(), modulePath);
  if (!['.ts', '.js', '.cjs', '.mjs'].some((extension) => existsSync(modulePath + extension))) {
    throw new HandlerModuleError(`${shown}.ts does not exist (yet): the local stack needs its \`${name}\` export`);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(modulePath)) as Record<string, unknown>;
  } catch (error) {
    throw new HandlerModuleError(`${shown} failed to load`, { cause: error });
  }
  // A CommonJS module imported from ESM may carry its exports on `default`.
  const value = loaded[name] ?? (loaded.default as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'function') throw new HandlerModuleError(`${shown} has no function export \`${name}\``);
  return value;
}
