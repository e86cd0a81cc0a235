import { join } from 'node:path';
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per source file or
 * package, the "where does the time go" behind a missed target.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFunction: Array<{ name: string; where: string; selfMs: number; pct: number }>;
  byPlace: Array<{ place: string; selfMs: number; pct: number }>;
}

/** Where a script URL belongs: a package under node_modules, a project file, or node's internals. */
export function placeOf(url: string): string {
  if (!url) return '(native/vm)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1);
  if (url.startsWith('node:')) return 'node:internal';
  return url.split('/').slice(-2).join('/');
}

/**
 * `bundleMap` (see source-map.ts) maps positions in a minified bundle back to the package they came from.
 */
export function summariseProfile(
  path: string,
  top = 25,
  bundleMap?: { file: string; map: { sourceAt(line: number, column: number): string | undefined } },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const functions = new Map<string, { name: string; where: string; selfMs: number }>();
  const places = new Map<string, number>();
  let idleMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, lineNumber, columnNumber } = node.callFrame;
    let { url } = node.callFrame;
    if (bundleMap && url.endsWith(bundleMap.file)) url = `/${bundleMap.map.sourceAt(lineNumber, columnNumber ?? 0) ?? 'bundle'}`;
    if (functionName === '(idle)' || (functionName === '(program)' && !url)) {
      if (functionName === '(idle)') idleMs += ms;
    }
    if (functionName === '(idle)') continue;
    const where = url ? `${placeOf(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where, selfMs: 0 };
    entry.selfMs += ms;
    functions.set(key, entry);
    const place =
      functionName === '(garbage collector)' ? '(garbage collector)' : functionName === '(program)' ? '(program)' : placeOf(url);
    places.set(place, (places.get(place) ?? 0) + ms);
  }
  const busy = totalMs - idleMs;
  const pct = (ms: number) => Math.round((ms / busy) * 1000) / 10;
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    byFunction: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, selfMs: Math.round(entry.selfMs), pct: pct(entry.selfMs) })),
    byPlace: [...places]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([place, ms]) => ({ place, selfMs: Math.round(ms), pct: pct(ms) })),
  };
}

/** Environment that makes every Node process started with it (and its children) write a CPU profile into `dir`. */
export function profileEnv(dir: string): Record<string, string> {
  const preload = join(__dirname, 'cpu-profile-preload.cjs');
  return { NODE_OPTIONS: `--require ${preload}`, BENCH_CPU_PROFILE_DIR: dir };
}

/** Summaries of every profile in `dir`, named by role: dynalite, kinesalite, or the stack/bench process. */
export function summariseDir(dir: string, top = 15): Record<string, ProfileSummary> {
  const summaries: Record<string, ProfileSummary> = {};
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()) {
    const summary = summariseProfile(join(dir, file), top);
    const places = new Set(summary.byPlace.map((place) => place.place));
    const role = places.has('dynalite')
      ? 'dynalite'
      : places.has('kinesalite') || places.has('bignumber.js')
        ? 'kinesalite'
        : places.has('esbuild') && summary.totalMs - summary.idleMs < 200
          ? 'esbuild'
          : 'node';
    let name = role;
    for (let n = 2; name in summaries; n++) name = `${role}-${n}`;
    summaries[name] = summary;
  }
  return summaries;
}

export function describeProfile(role: string, summary: ProfileSummary, places = 6): string {
  return `${role}: busy ${summary.totalMs - summary.idleMs} of ${summary.totalMs} ms; ${summary.byPlace
    .slice(0, places)
    .map((place) => `${place.place} ${place.pct}%`)
    .join(', ')}`;
}
