/**
 * Figure 4: freshness. At a steady 500 trips/s through `ingestTrips` (50 trips every 100 ms), the time
 * from each mutation's answer to its trips being counted in `peakHours`, per trip: p50 and p99.
 *
 *   npx tsx bench/freshness.ts [--seconds 30] [--reps 3] [--pollMs 50] [--lambdaPoll]
 *
 * Every call's trips are real trips moved into an hour of their own (in 2015, which no other trip
 * uses), so one `peakHours(limit: 1000)` over the probe range tells how many trips of each call are
 * counted. A reader polls it every --pollMs (sequentially); a trip counts as fresh at the answer of the
 * first poll that counts it (an upper bound; the poll's start is the lower bound, both reported).
 * The poller reads each shard every 200 ms (Kinesis allows 5 GetRecords per second per shard).
 * --lambdaPoll adds a run with 1 s polls, the base rate of Lambda's event source mapping; --sweep runs
 * lower steady rates once each. Every stack first takes a --warmupRun seconds run that is not counted.
 */
import './lib/setup';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatNewYork, parseDateTime } from '../src/domain/time';
import type { TripSubmission } from '../src/domain/trip';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, flags } from './lib/args';
import { describeProfile, profileEnv, summariseDir, type ProfileSummary } from './lib/cpu-profile';
import { INGEST_TRIPS_MUTATION, PEAK_HOURS_QUERY } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { noteStartLoad, writeResult } from './lib/results';
import { median, percentile, round } from './lib/stats';
import { startStackProcess, type InstrumentedStackProcess } from './lib/stack-process';
import { readValidSubmissions } from './lib/trips';
import { targetText } from './lib/targets';

const options = flags({
  seconds: 30,
  reps: 3,
  pollMs: 50,
  lambdaPoll: true,
  tripsPerCall: 50,
  callsPerSecond: 10,
  warmupSeconds: 3,
  profile: false,
  sweep: '100,200,300',
  warmupRun: 10,
});

const HOUR_MS = 3600_000;
const PROBE_START_MS = parseDateTime('2015-01-05T00:00:00') as number;

interface RunFigures {
  pollIntervalMs: number;
  calls: number;
  trips: number;
  tripsPerSecondSent: number;
  callLatencyMs: { p50: number; p99: number };
  freshnessMs: { p50: number; p90: number; p99: number; max: number };
  freshnessLowerBoundMs: { p50: number; p99: number };
  callCompleteMs: { p50: number; p99: number };
  pollLatencyMs: { p50: number; p99: number };
  polls: number;
  uncounted: number;
}

async function run(
  stack: InstrumentedStackProcess,
  base: readonly TripSubmission[],
  runIndex: number,
  pollIntervalMs: number,
  callsPerSecond = options.callsPerSecond,
): Promise<RunFigures> {
  const calls = Math.round(options.seconds * callsPerSecond);
  const firstHourMs = PROBE_START_MS + runIndex * 2000 * HOUR_MS;
  // Bodies prepared up front: the client's own work must not delay the calls.
  const bodies = Array.from({ length: calls }, (_, call) => {
    const trips = Array.from({ length: options.tripsPerCall }, (_, j) => {
      const original = base[(call * options.tripsPerCall + j) % base.length];
      const pickupMs = parseDateTime(original.pickupAt) as number;
      const dropoffMs = parseDateTime(original.dropoffAt) as number;
      const targetMs = firstHourMs + call * HOUR_MS + (pickupMs % HOUR_MS);
      return {
        ...original,
        tripId: `${original.tripId}~f${runIndex}-${call}-${j}`,
        pickupAt: formatNewYork(targetMs),
        dropoffAt: formatNewYork(targetMs + (dropoffMs - pickupMs)),
      };
    });
    return JSON.stringify({ query: INGEST_TRIPS_MUTATION, variables: { trips } });
  });
  const hourStartOfCall = (call: number) => formatNewYork(firstHourMs + call * HOUR_MS);
  const callOfHour = new Map(Array.from({ length: calls }, (_, call) => [hourStartOfCall(call), call]));
  const answeredAt = new Array<number>(calls).fill(Number.NaN);
  const sentAt = new Array<number>(calls).fill(Number.NaN);
  const counted = new Array<number>(calls).fill(0);
  const completeAt = new Array<number>(calls).fill(Number.NaN);
  const freshness: number[] = [];
  const freshnessLower: number[] = [];
  const pollLatencies: number[] = [];
  const warmupCalls = options.warmupSeconds * callsPerSecond;

  const queryBody = JSON.stringify({
    query: PEAK_HOURS_QUERY,
    variables: { range: { from: formatNewYork(firstHourMs), to: formatNewYork(firstHourMs + (calls + 1) * HOUR_MS) }, limit: 1000 },
  });
  let sending = true;
  const reader = (async () => {
    let lastPollStart = Number.NEGATIVE_INFINITY;
    for (;;) {
      const allCounted = !sending && counted.every((count) => count >= options.tripsPerCall);
      if (allCounted) return;
      const wait = lastPollStart + pollIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const pollStart = performance.now();
      lastPollStart = pollStart;
      const answer = await postGraphQL<{ peakHours: { top: Array<{ hourStart: string; trips: number }> } }>(stack.graphqlUrl, queryBody, {
        headers: apiKeyHeader(stack.apiKeys.read),
      });
      const pollEnd = performance.now();
      pollLatencies.push(pollEnd - pollStart);
      for (const { hourStart, trips } of answer.data?.peakHours.top ?? []) {
        const call = callOfHour.get(hourStart);
        if (call === undefined || trips <= counted[call]) continue;
        const added = trips - counted[call];
        counted[call] = trips;
        if (call >= warmupCalls) {
          // A poll may see trips before the client has the mutation's answer: freshness 0 then.
          const since = Number.isNaN(answeredAt[call]) ? pollEnd : answeredAt[call];
          for (let k = 0; k < added; k++) {
            freshness.push(Math.max(0, pollEnd - since));
            freshnessLower.push(Math.max(0, pollStart - since));
          }
        }
        if (trips >= options.tripsPerCall) completeAt[call] = pollEnd;
      }
      if (!sending && performance.now() - (answeredAt.reduce((max, at) => (at > max ? at : max), 0) || 0) > 30_000) return;
    }
  })();

  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let call = 0; call < calls; call++) {
    const due = start + (call * 1000) / callsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt[call] = performance.now();
    inFlight.push(
      postGraphQL<{ ingestTrips: { accepted: number } }>(stack.graphqlUrl, bodies[call], {
        headers: apiKeyHeader(stack.apiKeys.ingest),
      }).then((answer) => {
        answeredAt[call] = performance.now();
        if (answer.data?.ingestTrips.accepted !== options.tripsPerCall)
          throw new Error(`call ${call}: ${JSON.stringify(answer).slice(0, 300)}`);
      }),
    );
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - start) / 1000;
  sending = false;
  await reader;
  const measured = Array.from({ length: calls }, (_, call) => call).filter((call) => call >= warmupCalls);
  const callLatencies = measured.map((call) => answeredAt[call] - sentAt[call]);
  const completes = measured.filter((call) => !Number.isNaN(completeAt[call])).map((call) => completeAt[call] - answeredAt[call]);
  return {
    pollIntervalMs,
    calls,
    trips: calls * options.tripsPerCall,
    tripsPerSecondSent: round((calls * options.tripsPerCall) / sendSeconds, 0),
    callLatencyMs: { p50: round(percentile(callLatencies, 0.5), 1), p99: round(percentile(callLatencies, 0.99), 1) },
    freshnessMs: {
      p50: round(percentile(freshness, 0.5), 0),
      p90: round(percentile(freshness, 0.9), 0),
      p99: round(percentile(freshness, 0.99), 0),
      max: round(Math.max(...freshness), 0),
    },
    freshnessLowerBoundMs: { p50: round(percentile(freshnessLower, 0.5), 0), p99: round(percentile(freshnessLower, 0.99), 0) },
    callCompleteMs: { p50: round(percentile(completes, 0.5), 0), p99: round(percentile(completes, 0.99), 0) },
    pollLatencyMs: { p50: round(percentile(pollLatencies, 0.5), 1), p99: round(percentile(pollLatencies, 0.99), 1) },
    polls: pollLatencies.length,
    uncounted: counted.reduce((sum, count) => sum + (options.tripsPerCall - count), 0),
  };
}

let profile: Record<string, ProfileSummary> | undefined;

async function series(
  base: readonly TripSubmission[],
  pollIntervalMs: number,
  reps: number,
  label: string,
  profileDir?: string,
  callsPerSecond = options.callsPerSecond,
): Promise<RunFigures[]> {
  const saved = { ...process.env };
  if (profileDir) Object.assign(process.env, profileEnv(profileDir));
  const stack = await startStackProcess(`freshness-${pollIntervalMs}`, { poller: { pollIntervalMs } });
  process.env.NODE_OPTIONS = saved.NODE_OPTIONS ?? '';
  try {
    // Warm-up, not counted: a fresh stack's first seconds (JIT, first requests, empty stores) are slower.
    if (options.warmupRun > 0) {
      const saved = options.seconds;
      options.seconds = options.warmupRun;
      await run(stack, base, 50 + (pollIntervalMs === 200 ? 0 : 10) + Math.round(callsPerSecond), pollIntervalMs, callsPerSecond);
      options.seconds = saved;
    }
    const runs: RunFigures[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const figures = await run(stack, base, rep + (pollIntervalMs === 200 ? 0 : 10), pollIntervalMs, callsPerSecond);
      runs.push(figures);
      console.log(
        `${label} rep ${rep + 1}: ${figures.tripsPerSecondSent} trips/s sent; freshness p50 ${figures.freshnessMs.p50} ms, p99 ${figures.freshnessMs.p99} ms (lower bound p99 ${figures.freshnessLowerBoundMs.p99} ms); call p50 ${figures.callLatencyMs.p50} ms; poll p50 ${figures.pollLatencyMs.p50} ms`,
      );
    }
    return runs;
  } finally {
    await stack.stop();
    if (profileDir) {
      profile = summariseDir(profileDir);
      rmSync(profileDir, { recursive: true, force: true });
      for (const [role, summary] of Object.entries(profile)) console.log(`profile ${describeProfile(role, summary)}`);
    }
  }
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const base = await readValidSubmissions();
  const shardPoll = await series(base, 200, options.reps, 'GetRecords every 200 ms per shard');
  if (options.profile) await series(base, 200, 1, 'profiled run', mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-prof-')));
  const lambdaPoll = options.lambdaPoll ? await series(base, 1000, 1, 'GetRecords every 1 s per shard (Lambda ESM base rate)') : [];
  // Lower steady rates, one run each: where this machine stops keeping up.
  const sweep: RunFigures[] = [];
  for (const rate of String(options.sweep).split(',').filter(Boolean).map(Number)) {
    sweep.push(...(await series(base, 200, 1, `${rate} trips/s`, undefined, rate / options.tripsPerCall)));
  }
  const summary = {
    p50: median(shardPoll.map((r) => r.freshnessMs.p50)),
    p99: median(shardPoll.map((r) => r.freshnessMs.p99)),
    lowerBoundP99: median(shardPoll.map((r) => r.freshnessLowerBoundMs.p99)),
    lambdaPollP50: lambdaPoll[0]?.freshnessMs.p50,
    lambdaPollP99: lambdaPoll[0]?.freshnessMs.p99,
  };
  console.log(
    `median over ${shardPoll.length} runs: freshness p50 ${summary.p50} ms, p99 ${summary.p99} ms (target ${targetText('freshnessP99Ms')})`,
  );
  writeResult('freshness', commandLine('bench/freshness.ts'), startedAt, { options, shardPoll, lambdaPoll, sweep, summary, profile });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
