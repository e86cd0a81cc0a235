/**
 * Memory: the resident memory of `npm start` (the node process running src/local/main.ts, and the two
 * emulator children, separately) while it takes in and processes --trips real trips through
 * `ingestTrips`, sampled every second, and whether it grows with the trips processed.
 *
 *   npx tsx bench/memory.ts [--trips 200000]
 *   npx tsx bench/memory.ts --trips 1000000          # the 1M-trip run (about 20 minutes here)
 *
 * Trips are February 2023 green trips resampled: copy k gets new ids and dates shifted by k * 4 weeks.
 * They are sent 500 a call, 4 calls in flight, but never more than --maxBacklog trips ahead of the
 * processor, so the stream holds a bounded backlog and the run measures steady processing, not a
 * growing queue in kinesalite. Flatness: the least-squares slope of RSS over trips processed in the
 * second half of the run (MB per 100,000 trips), and RSS at 25/50/75/100% of the trips.
 */
import './lib/setup';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandLine, flags } from './lib/args';
import { benchDataDir } from './lib/emulators';
import { INGEST_TRIPS_MUTATION } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { descendantsOf, sampleProc } from './lib/proc';
import { noteStartLoad, writeResult } from './lib/results';
import { round, slope } from './lib/stats';
import { PROJECT_ROOT, readValidSubmissions, resampleSubmissions } from './lib/trips';

const options = flags({ trips: 200000, maxBacklog: 20000, concurrency: 4, keepDataDir: false });

function directorySize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? directorySize(full) : statSync(full).size;
  }
  return total;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Sample {
  atS: number;
  sent: number;
  processed: number;
  mainRssMb: number;
  emulatorRssMb: number[];
  /** Anonymous part of the RSS (RssAnon): heap and malloc, where a leak would show. */
  mainAnonMb: number;
  emulatorAnonMb: number[];
  /** File-backed part (RssFile): the emulators' memory-mapped LevelDB files. */
  emulatorFileMb: number[];
  treeRssMb: number;
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const base = await readValidSubmissions();
  const dataDir = benchDataDir('memory');
  const port = await freePort();
  // detached: npm becomes a process group leader, so that the whole tree can be stopped by its id.
  const npm = spawn('npm', ['start', '--', '--no-seed', '--port', String(port), '--data-dir', dataDir], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    const readyBy = Date.now() + 60_000;
    while (!output.includes('Ready.')) {
      if (Date.now() > readyBy || npm.exitCode !== null) throw new Error(`npm start did not get ready:\n${output}`);
      await sleep(200);
    }
    const keys = JSON.parse(readFileSync(join(dataDir, 'api-keys.json'), 'utf8')) as { ingestKeys: string[]; readKeys: string[] };
    const ingestKey = keys.ingestKeys[0];
    const readKey = keys.readKeys[0];
    // npm -> sh -> tsx's CLI -> node with tsx's loader running main.ts (the stack) -> the two emulators.
    const processes = () => {
      const all = descendantsOf(npm.pid!).flatMap((pid) => sampleProc(pid) ?? []);
      const main = all
        .filter(
          (sample) =>
            sample.command.includes('src/local/main.ts') &&
            sample.command.includes('node') &&
            !sample.command.includes('tsx/dist/cli') &&
            !sample.command.startsWith('sh'),
        )
        .sort((a, b) => b.rssBytes - a.rssBytes)[0];
      return { all, main, emulators: all.filter((sample) => sample.command.includes('emulator-process')).sort((a, b) => a.pid - b.pid) };
    };
    const baseline = processes();

    let sent = 0;
    let processed = 0;
    const samples: Sample[] = [];
    const start = performance.now();
    const countProcessed = async () => {
      const answer = await postGraphQL<{ ingestionCounts: { acceptedTrips: number } }>(
        url,
        JSON.stringify({ query: '{ ingestionCounts { acceptedTrips } }' }),
        { headers: apiKeyHeader(readKey) },
      );
      processed = answer.data?.ingestionCounts.acceptedTrips ?? processed;
    };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await countProcessed();
        const { all, main, emulators } = processes();
        samples.push({
          atS: round((performance.now() - start) / 1000, 1),
          sent,
          processed,
          mainRssMb: round((main?.rssBytes ?? 0) / 2 ** 20, 1),
          emulatorRssMb: emulators.map((sample) => round(sample.rssBytes / 2 ** 20, 1)),
          mainAnonMb: round((main?.rssAnonBytes ?? 0) / 2 ** 20, 1),
          emulatorAnonMb: emulators.map((sample) => round(sample.rssAnonBytes / 2 ** 20, 1)),
          emulatorFileMb: emulators.map((sample) => round(sample.rssFileBytes / 2 ** 20, 1)),
          treeRssMb: round(all.reduce((sum, sample) => sum + sample.rssBytes, 0) / 2 ** 20, 1),
        });
        const last = samples[samples.length - 1];
        if (samples.length % 30 === 0)
          console.log(
            `${last.atS} s: ${last.sent} sent, ${last.processed} processed; RSS main ${last.mainRssMb} MB, emulators ${last.emulatorRssMb.join(' / ')} MB (anonymous ${last.emulatorAnonMb.join(' / ')} MB, file-backed ${last.emulatorFileMb.join(' / ')} MB)`,
          );
        await sleep(1000);
      }
    })();

    const trips = resampleSubmissions(base, options.trips);
    const sender = Array.from({ length: options.concurrency }, async () => {
      for (;;) {
        const batch = [];
        for (let next = trips.next(); !next.done;) {
          batch.push(next.value);
          if (batch.length === 500) break;
          next = trips.next();
        }
        if (batch.length === 0) return;
        while (sent - processed > options.maxBacklog) await sleep(100);
        sent += batch.length;
        const answer = await postGraphQL<{ ingestTrips: { accepted: number } }>(
          url,
          JSON.stringify({ query: INGEST_TRIPS_MUTATION, variables: { trips: batch } }),
          { headers: apiKeyHeader(ingestKey) },
        );
        if (answer.errors) throw new Error(`ingest failed: ${JSON.stringify(answer.errors)}`);
      }
    });
    await Promise.all(sender);
    while (processed < options.trips) {
      if (npm.exitCode !== null) throw new Error('npm start exited');
      await sleep(500);
    }
    const seconds = (performance.now() - start) / 1000;
    sampling = false;
    await sampler;

    const secondHalf = samples.filter((sample) => sample.processed >= options.trips / 2);
    const per100k = (values: number[]) =>
      round(
        slope(
          secondHalf.map((sample) => sample.processed),
          values,
        ) * 100_000,
        2,
      );
    const atFraction = (fraction: number) =>
      samples.find((sample) => sample.processed >= fraction * options.trips) ?? samples[samples.length - 1];
    const rssAt = (fraction: number) => ({ main: atFraction(fraction).mainRssMb, emulators: atFraction(fraction).emulatorRssMb });
    const figures = {
      trips: options.trips,
      seconds: round(seconds, 1),
      tripsPerSecond: round(options.trips / seconds, 0),
      processes: processes().all.map((sample) => ({
        pid: sample.pid,
        command: sample.command.slice(0, 160),
        rssMb: round(sample.rssBytes / 2 ** 20, 1),
      })),
      baselineRssMb: {
        main: round((baseline.main?.rssBytes ?? 0) / 2 ** 20, 1),
        emulators: baseline.emulators.map((sample) => round(sample.rssBytes / 2 ** 20, 1)),
      },
      peakRssMb: {
        main: Math.max(...samples.map((sample) => sample.mainRssMb)),
        emulators: samples[0].emulatorRssMb.map((_, index) => Math.max(...samples.map((sample) => sample.emulatorRssMb[index] ?? 0))),
        tree: Math.max(...samples.map((sample) => sample.treeRssMb)),
      },
      rssAtMb: { '25%': rssAt(0.25), '50%': rssAt(0.5), '75%': rssAt(0.75), '100%': rssAt(1) },
      slopeMbPer100kTrips: {
        main: per100k(secondHalf.map((sample) => sample.mainRssMb)),
        mainAnon: per100k(secondHalf.map((sample) => sample.mainAnonMb)),
        emulators:
          secondHalf[0]?.emulatorRssMb.map((_, index) => per100k(secondHalf.map((sample) => sample.emulatorRssMb[index] ?? 0))) ?? [],
        emulatorsAnon:
          secondHalf[0]?.emulatorAnonMb.map((_, index) => per100k(secondHalf.map((sample) => sample.emulatorAnonMb[index] ?? 0))) ?? [],
        emulatorsFile:
          secondHalf[0]?.emulatorFileMb.map((_, index) => per100k(secondHalf.map((sample) => sample.emulatorFileMb[index] ?? 0))) ?? [],
      },
      peakAnonMb: {
        main: Math.max(...samples.map((sample) => sample.mainAnonMb)),
        emulators: samples[0].emulatorAnonMb.map((_, index) => Math.max(...samples.map((sample) => sample.emulatorAnonMb[index] ?? 0))),
      },
      dataDirMb: round(directorySize(dataDir) / 2 ** 20, 1),
      samples,
    };
    console.log(
      `${options.trips} trips in ${figures.seconds} s (${figures.tripsPerSecond} trips/s); peak RSS: main ${figures.peakRssMb.main} MB, emulators ${figures.peakRssMb.emulators.join(' / ')} MB; growth over the second half per 100k trips: main ${figures.slopeMbPer100kTrips.main} MB (anonymous ${figures.slopeMbPer100kTrips.mainAnon}), emulators ${figures.slopeMbPer100kTrips.emulators.join(' / ')} MB (anonymous ${figures.slopeMbPer100kTrips.emulatorsAnon.join(' / ')}, file-backed ${figures.slopeMbPer100kTrips.emulatorsFile.join(' / ')}); data directory ${figures.dataDirMb} MB`,
    );
    writeResult(options.trips >= 1_000_000 ? 'memory-1m' : 'memory', commandLine('bench/memory.ts'), startedAt, { options, ...figures });
  } finally {
    if (npm.exitCode === null) {
      process.kill(-npm.pid!, 'SIGINT');
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      const timer = setTimeout(() => process.kill(-npm.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
