/**
 * The built dashboard (index.html and the hashed files under assets/) held in memory, each with its
 * content type, a strong ETag and a gzipped copy, and how a GET for a path is answered: the page
 * itself is revalidated on every load, the hashed assets are cached for a year, and every answer
 * carries the page's security headers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Asset {
  readonly contentType: string;
  readonly body: Buffer;
  /** Absent when compressing would not pay. */
  readonly gzipped?: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

export interface AssetRequest {
  readonly method: string;
  readonly path: string;
  readonly acceptEncoding?: string;
  readonly ifNoneMatch?: string;
}

export interface AssetResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export class DashboardAssetsError extends Error {
  override name = 'DashboardAssetsError';
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};
const PAGE_CACHE = 'no-cache';
const ASSET_CACHE = 'public, max-age=31536000, immutable';
const MIN_GZIP_BYTES = 1024;

/**
 * What every answer carries. The page loads its own script, style sheet and zone shapes and talks
 * only to its own /graphql; ECharts styles its tooltips inline, hence `style-src 'unsafe-inline'`
 * (scripts stay strictly 'self').
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000',
};

/** Reads the build in `dir` (as buildDashboard wrote it) into memory. */
export function loadDashboardAssets(dir: string): Map<string, Asset> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new DashboardAssetsError(`no dashboard build in ${dir} (index.html is missing): run \`npm run build:dashboard\``);
  }
  const assets = new Map<string, Asset>();
  for (const file of listFiles(dir)) {
    const path = `/${relative(dir, file).split('\\').join('/')}`;
    const body = readFileSync(file);
    const contentType = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const gzipped = body.length >= MIN_GZIP_BYTES ? gzipSync(body, { level: 9 }) : undefined;
    assets.set(path, {
      contentType,
      body,
      gzipped: gzipped && gzipped.length < body.length ? gzipped : undefined,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: path === '/index.html' ? PAGE_CACHE : ASSET_CACHE,
    });
  }
  return assets;
}

/** Answers one request for the page or one of its assets. */
export function answerAssetRequest(assets: ReadonlyMap<string, Asset>, request: AssetRequest): AssetResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return text(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
  }
  const path = request.path === '/' ? '/index.html' : request.path;
  const asset = assets.get(path);
  if (!asset) return text(404, 'Not Found');
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    etag: asset.etag,
    vary: 'accept-encoding',
  };
  if (request.ifNoneMatch?.split(/\s*,\s*/).includes(asset.etag)) return { statusCode: 304, headers };
  const gzip = asset.gzipped !== undefined && acceptsGzip(request.acceptEncoding);
  if (gzip) headers['content-encoding'] = 'gzip';
  return { statusCode: 200, headers, body: request.method === 'HEAD' ? undefined : gzip ? asset.gzipped : asset.body };
}

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding, ...parameters] = entry.trim().toLowerCase().split(';');
    const refused = parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
    return (coding === 'gzip' || coding === '*') && !refused;
  });
}

function text(statusCode: number, message: string, extra: Record<string, string> = {}): AssetResponse {
  return {
    statusCode,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body: Buffer.from(message),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
