/**
 * Figure 6: the Lambda packages. Bundles src/process/handler.ts and src/serve/handler.ts with the
 * esbuild in node_modules with the options infra/constructs/pipeline-function.ts gives CDK
 * (HANDLER_BUNDLING: bundle, minify, ESM entry points first, source map without sources, platform
 * node, target node24 for the NODEJS_24_X runtime, CommonJS, the AWS SDK bundled), measures each bundle, and times cold inits: a fresh `node` process that requires the
 * bundle and invokes the handler once against the emulators (load + first invocation), with and
 * without NODE_OPTIONS=--enable-source-maps (which the construct no longer sets: src/stack-traces.ts
 * reads the map only when an error is logged).
 *
 *   npx tsx bench/bundles.ts [--reps 7]
 */
import './lib/setup';
import { build, type Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HANDLER_ALIASES, HANDLER_BUNDLING } from '../infra/constructs/pipeline-function';
import { ensureLocalApiKeys } from '../src/local/local-api-keys';
import { commandLine, flags } from './lib/args';
import { startBareEmulators } from './lib/emulators';
import { kinesisRecord } from './lib/events';
import { PEAK_HOURS_QUERY } from '../src/cli/api-client/api-queries';
import { describeProfile, placeOf, summariseProfile, type ProfileSummary } from './lib/cpu-profile';
import { loadBundleMap } from './lib/source-map';
import { noteStartLoad, writeResult } from './lib/results';
import { median, round, spread } from './lib/stats';
import { PROJECT_ROOT, readValidTrips, shiftTrip } from './lib/trips';
import { TARGETS } from './lib/targets';
import { METRICS_NAMESPACE } from '../src/metrics-catalog';

const options = flags({ reps: 7, target: 'node24', recordsPerEvent: 10, profile: true });

/**
 * The build CDK runs (HANDLER_BUNDLING of infra/constructs/pipeline-function.ts, read from there), and
 * for comparison the build before it resolved ESM entry points first and left the sources out of the
 * source map (esbuild's defaults: CommonJS entry points, sources inside the map).
 */
const VARIANTS = [
  {
    name: 'as deployed',
    mainFields: [...HANDLER_BUNDLING.mainFields],
    sourcesContent: HANDLER_BUNDLING.sourcesContent,
    external: [...HANDLER_BUNDLING.externalModules],
    alias: HANDLER_ALIASES,
  },
  { name: 'esbuild defaults (before)', mainFields: undefined, sourcesContent: true, external: [], alias: {} },
] as const;

const HANDLERS = [
  { name: 'processor', entry: 'src/process/handler.ts', limitBytes: TARGETS.processorBundleKb.threshold * 1024 },
  { name: 'api', entry: 'src/serve/handler.ts', limitBytes: TARGETS.apiBundleKb.threshold * 1024 },
] as const;

function topInputs(metafile: Metafile, top = 12): Array<{ place: string; kb: number }> {
  const output = Object.values(metafile.outputs).find((entry) => entry.entryPoint !== undefined)!;
  const byPlace = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const place = placeOf(path.startsWith('/') ? path : `/${path}`);
    byPlace.set(place, (byPlace.get(place) ?? 0) + bytesInOutput);
  }
  return [...byPlace]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([place, bytes]) => ({ place, kb: round(bytes / 1024, 1) }));
}

function apiEvent(readKey: string): APIGatewayProxyEventV2 {
  const body = JSON.stringify({ query: PEAK_HOURS_QUERY, variables: { range: { from: '2023-02-01', to: '2023-03-01' }, limit: 3 } });
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-api-key': readKey, host: 'localhost' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'cold-start',
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const outDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-bundles-'));
  const bundles = [];
  for (const variant of VARIANTS)
    for (const handler of HANDLERS) {
      const outfile = join(outDir, `${handler.name}-${VARIANTS.indexOf(variant)}`, 'index.js');
      const result = await build({
        ...(variant.mainFields ? { mainFields: [...variant.mainFields] } : {}),
        sourcesContent: variant.sourcesContent,
        external: [...variant.external],
        alias: { ...variant.alias },
        entryPoints: [join(PROJECT_ROOT, handler.entry)],
        bundle: true,
        minify: HANDLER_BUNDLING.minify,
        sourcemap: HANDLER_BUNDLING.sourceMap,
        platform: 'node',
        target: options.target,
        format: 'cjs',
        outfile,
        metafile: true,
        logLevel: 'warning',
      });
      const js = readFileSync(outfile);
      const mapBytes = statSync(`${outfile}.map`).size;
      const figures = {
        name: handler.name,
        variant: variant.name,
        entry: handler.entry,
        outfile,
        bytes: js.length,
        kb: round(js.length / 1024, 1),
        gzipKb: round(gzipSync(js, { level: 9 }).length / 1024, 1),
        sourceMapKb: round(mapBytes / 1024, 1),
        limitKb: handler.limitBytes / 1024,
        withinLimit: js.length <= handler.limitBytes,
        topInputs: topInputs(result.metafile),
      };
      bundles.push(figures);
      console.log(
        `${handler.name} (${variant.name}): ${figures.kb} KB minified (${figures.gzipKb} KB gzip, source map ${figures.sourceMapKb} KB); limit ${figures.limitKb} KB; largest parts: ${figures.topInputs
          .slice(0, 5)
          .map((part) => `${part.place} ${part.kb} KB`)
          .join(', ')}`,
      );
    }

  // Cold inits against the emulators.
  const emulators = await startBareEmulators('bundles');
  const keys = await ensureLocalApiKeys(emulators.dataDir);
  const trips = (await readValidTrips()).slice(0, 1000);
  const env = {
    ...process.env,
    TABLE_NAME: emulators.tableName,
    STREAM_NAME: emulators.streamName,
    DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
    KINESIS_ENDPOINT: emulators.endpoints.kinesis,
    AWS_REGION: 'us-east-1',
    API_KEYS_FILE: keys.path,
    POWERTOOLS_SERVICE_NAME: 'bench',
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
  const runner = join(__dirname, 'lib', 'cold-init-runner.cjs');
  const coldInits = [];
  let run = 0;
  try {
    for (const sourceMaps of [false, true]) {
      for (const bundle of bundles) {
        const samples = [];
        for (let rep = 0; rep < options.reps; rep++) {
          // Each cold start gets trips no earlier run counted (new ids), and a shard of its own, so that
          // the exactly-once marks of earlier runs never apply.
          run++;
          const eventFiles = [0, 1].map((which) => {
            const eventFile = join(outDir, `event-${run}-${which}.json`);
            const event =
              bundle.name === 'processor'
                ? {
                    Records: trips
                      .slice(which * options.recordsPerEvent, (which + 1) * options.recordsPerEvent)
                      .map((trip, index) =>
                        kinesisRecord(shiftTrip(trip, 0, `${trip.tripId}~cold${run}`), run, which * options.recordsPerEvent + index + 1),
                      ),
                  }
                : apiEvent(keys.keys.readKeys[0]);
            writeFileSync(eventFile, JSON.stringify(event));
            return eventFile;
          });
          const output = execFileSync(process.execPath, [runner, bundle.outfile, ...eventFiles], {
            env: { ...env, NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : '' },
            encoding: 'utf8',
          });
          const sample = JSON.parse(output.trim().split('\n').pop()!) as {
            nodeStartMs: number;
            loadMs: number;
            firstInvokeMs: number;
            initMs: number;
            warmInvokeMs: number;
            ok: boolean;
            error?: string;
            result?: string;
          };
          if (!sample.ok) throw new Error(`${bundle.name} cold start failed: ${sample.error ?? sample.result}`);
          samples.push(sample);
        }
        const figures = {
          name: bundle.name,
          variant: bundle.variant,
          sourceMaps,
          reps: samples.length,
          nodeStartMs: round(median(samples.map((s) => s.nodeStartMs)), 1),
          loadMs: spread(samples.map((s) => round(s.loadMs, 1))),
          firstInvokeMs: spread(samples.map((s) => round(s.firstInvokeMs, 1))),
          initMs: spread(samples.map((s) => round(s.initMs, 1))),
          warmInvokeMs: spread(samples.map((s) => round(s.warmInvokeMs, 1))),
        };
        coldInits.push(figures);
        console.log(
          `${bundle.name} (${bundle.variant}) cold init${sourceMaps ? ' (--enable-source-maps)' : ''}: load ${figures.loadMs.median} ms + first invocation ${figures.firstInvokeMs.median} ms = ${figures.initMs.median} ms (median of ${samples.length}; node itself ${figures.nodeStartMs} ms before; a warm invocation ${figures.warmInvokeMs.median} ms)`,
        );
      }
    }
  } finally {
    await emulators.stop();
  }
  // Where a cold start's time goes: one profiled cold start per handler as deployed, mapped back
  // through the bundle's source map to the packages.
  const profiles: Record<string, ProfileSummary> = {};
  if (options.profile) {
    const emulatorsAgain = await startBareEmulators('bundles-profile');
    const keysAgain = await ensureLocalApiKeys(emulatorsAgain.dataDir);
    try {
      for (const bundle of bundles.filter((entry) => entry.variant === VARIANTS[0].name)) {
        const dir = mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-prof-'));
        const eventFile = join(dir, 'event.json');
        const event =
          bundle.name === 'processor'
            ? {
                Records: trips
                  .slice(0, options.recordsPerEvent)
                  .map((trip, index) => kinesisRecord(shiftTrip(trip, 0, `${trip.tripId}~prof`), 900, index + 1)),
              }
            : apiEvent(keysAgain.keys.readKeys[0]);
        writeFileSync(eventFile, JSON.stringify(event));
        execFileSync(
          process.execPath,
          ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', runner, bundle.outfile, eventFile],
          {
            env: {
              ...env,
              TABLE_NAME: emulatorsAgain.tableName,
              STREAM_NAME: emulatorsAgain.streamName,
              DYNAMODB_ENDPOINT: emulatorsAgain.endpoints.dynamodb,
              KINESIS_ENDPOINT: emulatorsAgain.endpoints.kinesis,
              API_KEYS_FILE: keysAgain.path,
              NODE_OPTIONS: '',
            },
            encoding: 'utf8',
          },
        );
        const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
        const summary = summariseProfile(join(dir, file), 15, { file: bundle.outfile, map: loadBundleMap(`${bundle.outfile}.map`) });
        rmSync(dir, { recursive: true, force: true });
        profiles[bundle.name] = summary;
        console.log(`cold start profile, ${describeProfile(bundle.name, summary, 8)}`);
      }
    } finally {
      await emulatorsAgain.stop();
    }
  }
  let esbuildVersion = 'unknown';
  try {
    esbuildVersion = execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild'), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  writeResult('bundles', commandLine('bench/bundles.ts'), startedAt, { options, esbuildVersion, bundles, coldInits, profiles });
  rmSync(outDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
