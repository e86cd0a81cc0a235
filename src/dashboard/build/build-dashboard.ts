/**
 * Builds the dashboard page into a folder the asset handler serves: index.html, and under assets/
 * the bundled script and style sheet (esbuild, minified) and the simplified zone shapes, each named
 * by a hash of its content so that browsers may cache them for good. `npm start`, the tests and the
 * CDK bundling of the asset Lambda all build through here.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readZoneSource, simplifyZoneShapes } from './zone-shapes';

/** The repository root (sources and data are found from here). */
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const BROWSER_DIR = join(PROJECT_ROOT, 'src', 'dashboard', 'browser');
/** The TLC taxi-zone shapes, committed with attribution in data/nyc-tlc/SOURCES.md. */
export const ZONE_SOURCE = join(PROJECT_ROOT, 'data', 'nyc-tlc', 'taxi_zones.geojson');
/** Where `npm start` builds to (git-ignored). */
export const DEFAULT_DASHBOARD_DIR = join(PROJECT_ROOT, 'dist', 'dashboard');
/** Where the hashed files go, relative to the page. */
export const ASSETS_PATH = 'assets';

export interface BuiltFile {
  /** Relative to the output folder, with forward slashes, e.g. `assets/app-3FJ2K.js`. */
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface DashboardBuild {
  readonly outDir: string;
  readonly files: readonly BuiltFile[];
  /** The page's script, style sheet and zone shapes. */
  readonly script: BuiltFile;
  readonly styles: BuiltFile;
  readonly zones: BuiltFile & { readonly zoneCount: number; readonly keptFraction: number };
  readonly durationMs: number;
}

export interface BuildOptions {
  /** Emptied first. */
  readonly outDir?: string;
  /** Minify (default true; off only to read the output). */
  readonly minify?: boolean;
}

/** Builds the page into `outDir` (dist/dashboard by default) and says what it wrote. */
export async function buildDashboard(options: BuildOptions = {}): Promise<DashboardBuild> {
  const started = Date.now();
  const outDir = resolve(options.outDir ?? DEFAULT_DASHBOARD_DIR);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, ASSETS_PATH), { recursive: true });

  const simplified = simplifyZoneShapes(readZoneSource(ZONE_SOURCE));
  const zonesPath = `${ASSETS_PATH}/zones-${contentHash(simplified.json)}.json`;
  writeFileSync(join(outDir, zonesPath), simplified.json);

  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { app: join(BROWSER_DIR, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers of the last few years (fetch, ES modules, ResizeObserver, optional chaining).
    target: ['chrome100', 'firefox100', 'safari15', 'edge100'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    outdir: join(outDir, ASSETS_PATH),
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => relative(outDir, resolve(PROJECT_ROOT, path)).split('\\').join('/'));
  const scriptPath = outputs.find((path) => path.endsWith('.js'));
  const stylesPath = outputs.find((path) => path.endsWith('.css'));
  if (!scriptPath || !stylesPath) throw new Error(`esbuild wrote no script or style sheet: ${outputs.join(', ')}`);

  const template = readFileSync(join(BROWSER_DIR, 'index.html'), 'utf8');
  const html = fillTemplate(template, { APP_JS: scriptPath, APP_CSS: stylesPath, ZONES_JSON: zonesPath });
  writeFileSync(join(outDir, 'index.html'), html);

  const describe = (path: string): BuiltFile => {
    const content = readFileSync(join(outDir, path));
    return { path, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  };
  const files = ['index.html', ...outputs, zonesPath].map(describe);
  const byPath = (path: string) => files.find((file) => file.path === path)!;
  return {
    outDir,
    files,
    script: byPath(scriptPath),
    styles: byPath(stylesPath),
    zones: { ...byPath(zonesPath), zoneCount: simplified.shapes.features.length, keptFraction: simplified.keptFraction },
    durationMs: Date.now() - started,
  };
}

function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 10);
}

/** Replaces every `{{NAME}}`; a placeholder without a value is a bug in the template. */
function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`index.html has an unknown placeholder {{${name}}}`);
    return value;
  });
}
