/**
 * Figure 1: pipeline throughput, trips/s from the stream to fully aggregated, next to the floor of
 * the machinery measured in the same run on the same emulators: PutRecords + GetRecords of the same
 * records + one BatchWriteItem item per trip (same batch size, same 200 ms poll per shard, same
 * write concurrency as the processor).
 *
 *   npx tsx bench/throughput.ts [--trips 20000] [--reps 3] [--modes e2e,drain] [--profile] [--baseline <git ref>]
 *
 * Each repetition runs in a fresh process with fresh emulators (the handlers read their configuration
 * once per process); the floor and the pipeline alternate which goes first. `e2e` puts the records
 * while the readers run (the issue's definition, PutRecords included); `drain` puts them first and
 * times reading + processing only. --profile adds one pipeline run under V8's CPU profiler (the bench
 * process and both emulators) and summarises where the time goes.
 *
 * --baseline runs the pipeline of another commit too (bench/lib/baseline.ts: its files exported next to
 * this tree), its own bench/lib/throughput-run.ts with its own src/, interleaved with this tree's runs
 * (which of the two goes first alternates by repetition): "before" and "after" on the same machine in
 * the same minutes, compared as the median of the per-repetition ratios this tree / baseline.
 */
import './lib/setup';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, flags } from './lib/args';
import { prepareBaselineTree, type BaselineTree } from './lib/baseline';
import { runInChild } from './lib/child';
import { summariseDir, type ProfileSummary } from './lib/cpu-profile';
import { phaseBreakdown, type PhaseBreakdown } from './lib/phases';
import { readValidTrips } from './lib/trips';
import { noteStartLoad, writeResult } from './lib/results';
import { median, round, spread } from './lib/stats';
import type { RunOutput } from './lib/throughput-run';
import { targetText } from './lib/targets';

const options = flags({ trips: 20000, reps: 3, modes: 'e2e,drain', profile: false, baseline: '' });
const RUN_SCRIPT = join(__dirname, 'lib', 'throughput-run.ts');

async function profileRun(): Promise<Record<string, ProfileSummary>> {
  const dir = mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-prof-'));
  await runInChild<RunOutput>(RUN_SCRIPT, {
    BENCH_RUN: JSON.stringify({ mode: 'drain', trips: options.trips, order: 'pipeline-first', only: 'pipeline' }),
    NODE_OPTIONS: `--require ${join(__dirname, 'lib', 'cpu-profile-preload.cjs')}`,
    BENCH_CPU_PROFILE_DIR: dir,
  });
  const summaries = summariseDir(dir);
  rmSync(dir, { recursive: true, force: true });
  // The node process that is neither emulator is the one running the poller and the processor.
  if (summaries.node) {
    summaries['poller+processor'] = summaries.node;
    delete summaries.node;
  }
  return summaries;
}

/** One pipeline-only run of the baseline's own throughput-run.ts, in its directory. */
async function baselineRun(tree: BaselineTree, mode: 'e2e' | 'drain'): Promise<RunOutput> {
  const script = join(tree.dir, 'bench', 'lib', 'throughput-run.ts');
  const output = await runInChild<RunOutput>(
    script,
    { BENCH_RUN: JSON.stringify({ mode, trips: options.trips, order: 'pipeline-first', only: 'pipeline' }) },
    [],
    tree.dir,
  );
  if (output.pipeline.accepted !== output.pipeline.trips)
    throw new Error(`baseline pipeline counted ${output.pipeline.accepted} of ${output.pipeline.trips} trips`);
  return output;
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const modes = String(options.modes).split(',') as Array<'e2e' | 'drain'>;
  const tree = options.baseline ? prepareBaselineTree(String(options.baseline)) : undefined;
  const runs: RunOutput[] = [];
  const baselineRuns: RunOutput[] = [];
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      for (const mode of modes) {
        const order = rep % 2 === 0 ? 'floor-first' : 'pipeline-first';
        // With a baseline, which tree goes first alternates too (the other way round from the floor).
        if (tree && rep % 2 === 0) baselineRuns.push(await baselineRun(tree, mode));
        const output = await runInChild<RunOutput>(RUN_SCRIPT, { BENCH_RUN: JSON.stringify({ mode, trips: options.trips, order }) });
        runs.push(output);
        if (tree && rep % 2 === 1) baselineRuns.push(await baselineRun(tree, mode));
        const before = tree ? baselineRuns[baselineRuns.length - 1] : undefined;
        console.log(
          `rep ${rep + 1} ${mode} (${order}): pipeline ${Math.round(output.pipeline.tripsPerSecond)} trips/s, floor ${Math.round(output.floor.tripsPerSecond)} trips/s, ratio ${round(output.pipeline.tripsPerSecond / output.floor.tripsPerSecond, 2)}` +
            (before
              ? `; baseline pipeline ${Math.round(before.pipeline.tripsPerSecond)} trips/s, this / baseline ${round(output.pipeline.tripsPerSecond / before.pipeline.tripsPerSecond, 3)}`
              : ''),
        );
        if (output.pipeline.accepted !== output.pipeline.trips)
          throw new Error(`pipeline counted ${output.pipeline.accepted} of ${output.pipeline.trips} trips`);
      }
    }
  } finally {
    tree?.cleanup();
  }
  const cpuPerTrip = (ofMode: RunOutput[]) => ({
    processor: round(median(ofMode.map((run) => run.pipeline.cpuMs.bench / run.pipeline.trips)), 3),
    emulators: ofMode[0].pipeline.cpuMs.emulators.map((_, index) =>
      round(median(ofMode.map((run) => (run.pipeline.cpuMs.emulators[index] ?? 0) / run.pipeline.trips)), 3),
    ),
  });
  const baseline = tree
    ? {
        ref: tree.ref,
        commit: tree.commit,
        subject: tree.subject,
        runs: baselineRuns,
        summary: Object.fromEntries(
          modes.map((mode) => {
            const ofMode = runs.filter((run) => run.mode === mode);
            const before = baselineRuns.filter((run) => run.mode === mode);
            // Paired by repetition: each ratio compares two runs made minutes apart.
            const ratios = ofMode.map((run, index) => run.pipeline.tripsPerSecond / before[index].pipeline.tripsPerSecond);
            return [
              mode,
              {
                pipelineTripsPerSecond: spread(before.map((run) => round(run.pipeline.tripsPerSecond, 0))),
                pipelineCpuMsPerTrip: cpuPerTrip(before),
                ratios: ratios.map((ratio) => round(ratio, 3)),
                medianRatio: round(median(ratios), 3),
              },
            ];
          }),
        ),
      }
    : undefined;
  const summary = Object.fromEntries(
    modes.map((mode) => {
      const ofMode = runs.filter((run) => run.mode === mode);
      const ratios = ofMode.map((run) => run.pipeline.tripsPerSecond / run.floor.tripsPerSecond);
      return [
        mode,
        {
          pipelineTripsPerSecond: spread(ofMode.map((run) => round(run.pipeline.tripsPerSecond, 0))),
          floorTripsPerSecond: spread(ofMode.map((run) => round(run.floor.tripsPerSecond, 0))),
          ratios: ratios.map((ratio) => round(ratio, 3)),
          medianRatio: round(median(ratios), 3),
          pipelineCpuMsPerTrip: cpuPerTrip(ofMode),
          floorCpuMsPerTrip: {
            bench: round(median(ofMode.map((run) => run.floor.cpuMs.bench / run.floor.trips)), 3),
            emulators: ofMode[0].floor.cpuMs.emulators.map((_, index) =>
              round(median(ofMode.map((run) => (run.floor.cpuMs.emulators[index] ?? 0) / run.floor.trips)), 3),
            ),
          },
          peakRssMb: ofMode.map((run) => run.pipeline.peakRssMb),
        },
      ];
    }),
  );
  for (const [mode, figures] of Object.entries(summary)) {
    console.log(
      `${mode}: median pipeline ${figures.pipelineTripsPerSecond.median} trips/s, floor ${figures.floorTripsPerSecond.median} trips/s, median ratio ${figures.medianRatio} (target ${targetText('throughputRatio')})`,
    );
    const before = baseline?.summary[mode];
    if (before)
      console.log(
        `${mode}: baseline ${baseline.ref} median pipeline ${before.pipelineTripsPerSecond.median} trips/s; this / baseline median ${before.medianRatio} (target ${targetText('throughputVsBaseline')})`,
      );
  }
  const profile = options.profile ? await profileRun() : undefined;
  // Inside the processor: time per phase of a batch, at the poller's batch size and at a live-sized one.
  let phases: PhaseBreakdown[] | undefined;
  if (options.profile) {
    const trips = (await readValidTrips()).slice(0, Math.min(options.trips, 10000));
    phases = [await phaseBreakdown(trips, 2000), await phaseBreakdown(trips, 100)];
    for (const phase of phases) {
      console.log(
        `batch ${phase.batchSize}: ${phase.tripsPerSecond} trips/s through processBatch; ms per batch: ledger read ${phase.msPerBatch.ledgerRead}, claims write ${phase.msPerBatch.claimsWrite}, aggregates ${phase.msPerBatch.aggregatesApply}, rest ${phase.msPerBatch.decodeAndSum}; without the ledger read ${phase.withoutLedgerRead?.tripsPerSecond} trips/s`,
      );
    }
  }
  if (profile) {
    for (const [role, summaryOfRole] of Object.entries(profile)) {
      console.log(
        `profile ${role}: busy ${summaryOfRole.totalMs - summaryOfRole.idleMs} of ${summaryOfRole.totalMs} ms; ${summaryOfRole.byPlace
          .slice(0, 6)
          .map((place) => `${place.place} ${place.pct}%`)
          .join(', ')}`,
      );
    }
  }
  const path = writeResult('throughput', commandLine('bench/throughput.ts'), startedAt, {
    options,
    runs,
    summary,
    baseline,
    profile,
    phases,
  });
  console.log(`raw results: ${path}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
