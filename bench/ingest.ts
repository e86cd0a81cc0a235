/**
 * Figure 5: ingest, trips/s through `ingestTrips` (500 trips a call, 4 calls in flight, as
 * `npm run replay` sends them) next to bare PutRecords of the same records (500 a call, 4 in flight)
 * from the same client process to the same kinesalite.
 *
 *   npx tsx bench/ingest.ts [--trips 40000] [--reps 7] [--concurrency 4]
 *
 * The stack runs in its own process with its stream poller paused (first poll only), so that the
 * figure is ingest alone, not ingest competing with processing for the two cores. Request bodies and
 * PutRecords entries are prepared before timing. Also measures one call at a time (the API
 * handler's time per 500-trip call, an input of the cost estimate).
 */
import './lib/setup';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateTrip, type TripSubmission } from '../src/domain/trip';
import { encodeStreamRecord, STREAM_RECORD_VERSION } from '../src/ingest/stream-record';
import { commandLine, flags } from './lib/args';
import { describeProfile, summariseProfile, type ProfileSummary } from './lib/cpu-profile';
import { INGEST_TRIPS_MUTATION } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { noteStartLoad, writeResult } from './lib/results';
import { median, percentile, round, spread } from './lib/stats';
import { startStackProcess } from './lib/stack-process';
import { chunk, mapConcurrently, putAll, type PutEntry } from './lib/stream';
import { readValidSubmissions, resampleSubmissions } from './lib/trips';
import { targetText } from './lib/targets';

const options = flags({ trips: 40000, reps: 7, concurrency: 4, singleCalls: 20, profile: false });

/** Far below 2^31 ms (Node's timer limit) and far beyond the run: the poller polls once, then waits. */
const PAUSED_POLL_MS = 2_000_000_000;

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const base = await readValidSubmissions();
  const stack = await startStackProcess('ingest', { poller: { pollIntervalMs: PAUSED_POLL_MS } });
  const kinesis = new KinesisClient({
    region: 'us-east-1',
    endpoint: stack.endpoints.kinesis,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
  });
  try {
    // Copy k of the file (new ids, dates + k * 4 weeks) for each side of each repetition: no duplicates anywhere.
    let copy = 1;
    const nextTrips = (): TripSubmission[] => [...resampleSubmissions(base, options.trips, copy++)];
    const apiCallMs: number[] = [];
    // One call at a time: the API's time per 500-trip call.
    for (const trips of chunk(nextTrips().slice(0, 500 * options.singleCalls), 500)) {
      const body = JSON.stringify({ query: INGEST_TRIPS_MUTATION, variables: { trips } });
      const t0 = performance.now();
      const answer = await postGraphQL(stack.graphqlUrl, body, { headers: apiKeyHeader(stack.apiKeys.ingest) });
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      apiCallMs.push(performance.now() - t0);
    }
    const runs: Array<{
      order: string;
      api: { tripsPerSecond: number; seconds: number; callMs: { p50: number; p99: number } };
      bare: { tripsPerSecond: number; seconds: number };
    }> = [];
    // Repetition 0 warms both paths up (JIT, sockets, kinesalite) and is not counted.
    let profile: ProfileSummary | undefined;
    for (let rep = -1; rep < options.reps + (options.profile ? 1 : 0); rep++) {
      const profiling = rep === options.reps;
      const apiBodies = chunk(nextTrips(), 500).map((trips) => JSON.stringify({ query: INGEST_TRIPS_MUTATION, variables: { trips } }));
      const submittedAtMs = Date.now();
      const bareEntries: PutEntry[] = nextTrips().flatMap((submission) => {
        const validation = validateTrip(submission);
        return validation.ok
          ? [
              {
                Data: encodeStreamRecord({ v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs, trip: validation.trip }),
                PartitionKey: validation.trip.tripId,
              },
            ]
          : [];
      });
      const api = async () => {
        const callMs: number[] = [];
        const t0 = performance.now();
        await mapConcurrently(apiBodies, options.concurrency, async (body) => {
          const c0 = performance.now();
          const answer = await postGraphQL<{ ingestTrips: { accepted: number } }>(stack.graphqlUrl, body, {
            headers: apiKeyHeader(stack.apiKeys.ingest),
          });
          if (answer.errors || answer.data?.ingestTrips.accepted !== 500)
            throw new Error(`ingest call failed: ${JSON.stringify(answer).slice(0, 300)}`);
          callMs.push(performance.now() - c0);
        });
        const seconds = (performance.now() - t0) / 1000;
        return {
          tripsPerSecond: round(options.trips / seconds, 0),
          seconds: round(seconds, 2),
          callMs: { p50: round(percentile(callMs, 0.5), 1), p99: round(percentile(callMs, 0.99), 1) },
        };
      };
      const bare = async () => {
        const t0 = performance.now();
        await putAll(kinesis, stack.streamName, bareEntries, options.concurrency);
        const seconds = (performance.now() - t0) / 1000;
        return { tripsPerSecond: round(bareEntries.length / seconds, 0), seconds: round(seconds, 2) };
      };
      const order = rep % 2 === 0 ? 'api-first' : 'bare-first';
      let apiFigures;
      let bareFigures;
      if (profiling) {
        // One more API run under V8's profiler in the stack process: where an ingest call's time goes.
        const path = join(mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-prof-')), 'stack.cpuprofile');
        await stack.request({ type: 'profile-start' }, 'profile-started');
        await api();
        await stack.request({ type: 'profile-stop', path }, 'profile-stopped');
        profile = summariseProfile(path, 20);
        rmSync(dirname(path), { recursive: true, force: true });
        console.log(`profile of the stack process during ingest: ${describeProfile('stack', profile, 8)}`);
        break;
      }
      if (order === 'api-first') {
        apiFigures = await api();
        bareFigures = await bare();
      } else {
        bareFigures = await bare();
        apiFigures = await api();
      }
      if (rep < 0) continue;
      runs.push({ order, api: apiFigures, bare: bareFigures });
      console.log(
        `rep ${rep + 1} (${order}): ingestTrips ${apiFigures.tripsPerSecond} trips/s, bare PutRecords ${bareFigures.tripsPerSecond} trips/s, ratio ${round(apiFigures.tripsPerSecond / bareFigures.tripsPerSecond, 2)}`,
      );
    }
    const ratios = runs.map((run) => run.api.tripsPerSecond / run.bare.tripsPerSecond);
    const summary = {
      apiTripsPerSecond: spread(runs.map((run) => run.api.tripsPerSecond)),
      bareTripsPerSecond: spread(runs.map((run) => run.bare.tripsPerSecond)),
      ratios: ratios.map((ratio) => round(ratio, 3)),
      medianRatio: round(median(ratios), 3),
    };
    const apiMsPerCall = round(median(apiCallMs), 1);
    console.log(
      `median: ingestTrips ${summary.apiTripsPerSecond.median} trips/s, bare ${summary.bareTripsPerSecond.median} trips/s, ratio ${summary.medianRatio} (target ${targetText('ingestRatio')}); one call at a time: ${apiMsPerCall} ms per 500 trips`,
    );
    writeResult('ingest', commandLine('bench/ingest.ts'), startedAt, {
      options,
      apiMsPerCall,
      singleCallMs: { p50: apiMsPerCall, p99: round(percentile(apiCallMs, 0.99), 1) },
      runs,
      summary,
      profile,
    });
  } finally {
    kinesis.destroy();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
