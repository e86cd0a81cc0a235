/**
 * One repetition of the throughput benchmark, in a process of its own (the handlers read their
 * configuration once per process, and each repetition needs fresh emulators): the floor and the
 * pipeline on the same pair of emulators, one after the other, each on its own table and stream.
 *
 * Modes: `e2e` puts the records while the readers run (stream to fully aggregated, puts included);
 * `drain` puts them first and times only reading and writing.
 *
 * Input (JSON in BENCH_RUN): { mode, trips, order: 'floor-first' | 'pipeline-first' }. Output: one IPC message.
 */
import './setup';
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROCESSOR_BATCHING, STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { bootstrap } from '../../src/local/bootstrap';
import { consoleLogger, silentLogger } from '../../src/local/logger';
import { loadProcessorHandler } from '../../src/local/lambda-runtime/project-modules';
import { startStreamPoller } from '../../src/local/event-source-mapping/stream-poller';
import { countersKey, tripKey } from '../../src/store/keys';
import { countsFromItem } from '../../src/store/counters-item';
import { createLambdaContext } from '../../src/local/lambda-runtime/lambda-context';
import { validateTrip, type Trip } from '../../src/domain/trip';
import { startBareEmulators } from './emulators';
import { kinesisRecord } from './events';
import { descendantsOf, sampleProc, ProcMonitor } from './proc';
import { chunk, drainShard, mapConcurrently, putAll, recordsPerShard, shardIds, type PutEntry } from './stream';
import { putEntries, resampleSubmissions, readValidSubmissions, shiftTrip } from './trips';

interface RunInput {
  mode: 'e2e' | 'drain';
  trips: number;
  order: 'floor-first' | 'pipeline-first';
  /** Run one side only (for profiling). */
  only?: 'floor' | 'pipeline';
}

export interface PhaseFigures {
  trips: number;
  putMs: number;
  totalMs: number;
  tripsPerSecond: number;
  cpuMs: { bench: number; emulators: number[] };
}

export interface RunOutput {
  mode: RunInput['mode'];
  order: RunInput['order'];
  floor: PhaseFigures;
  pipeline: PhaseFigures & { accepted: number; batches: number; peakRssMb: Record<string, number> };
}

const FLOOR_WRITE_CONCURRENCY = 32; // the processor's UPDATE_CONCURRENCY
const WARM_UP_TRIPS = 2000;

async function loadTrips(count: number): Promise<Trip[]> {
  const base = await readValidSubmissions();
  const trips: Trip[] = [];
  for (const submission of resampleSubmissions(base, count)) {
    const validation = validateTrip(submission);
    if (validation.ok) trips.push(validation.trip);
  }
  return trips;
}

interface CpuMark {
  bench: number;
  emulators: Map<number, number>;
}

/** CPU time of this process and of each emulator child (by pid), ms. */
function cpuNow(): CpuMark {
  const usage = process.cpuUsage();
  const samples = descendantsOf(process.pid)
    .flatMap((pid) => sampleProc(pid) ?? [])
    .filter((sample) => sample.command.includes('emulator-process'));
  return { bench: (usage.user + usage.system) / 1000, emulators: new Map(samples.map((sample) => [sample.pid, sample.cpuMs])) };
}

function cpuSince(start: CpuMark): PhaseFigures['cpuMs'] {
  const now = cpuNow();
  return {
    bench: Math.round(now.bench - start.bench),
    emulators: [...now.emulators].sort(([a], [b]) => a - b).map(([pid, value]) => Math.round(value - (start.emulators.get(pid) ?? 0))),
  };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_RUN ?? '{}') as RunInput;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const trips = await loadTrips(input.trips);
  const emulators = await startBareEmulators('throughput');
  const { clients } = emulators;
  Object.assign(process.env, {
    TABLE_NAME: emulators.tableName,
    STREAM_NAME: emulators.streamName,
    DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
    KINESIS_ENDPOINT: emulators.endpoints.kinesis,
    AWS_REGION: 'us-east-1',
  });
  /** A table and a stream of their own on the same emulators, as the local bootstrap makes them. */
  const bootstrapPair = (tableName: string, streamName: string) =>
    bootstrap({ dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName, streamName, shardCount: STREAM_DEFINITION.shardCount });
  const floorTable = 'taxi-pulse-floor';
  const floorStream = 'taxi-pulse-floor-trips';
  await bootstrapPair(floorTable, floorStream);
  const handler = await loadProcessorHandler();

  // Warm-up, not timed: the first requests of a fresh process (lazy modules, JIT, sockets) and of
  // fresh emulators are slow, and whichever side ran first would pay for it. The floor side warms on
  // a table and stream of its own; the processor on a shard id of its own (its own exactly-once
  // marks), with trips of other ids and years, so nothing of it touches what is measured.
  const warmTrips = trips.slice(0, WARM_UP_TRIPS).map((trip) => shiftTrip(trip, 7 * 365 * 24 * 3600_000, `${trip.tripId}~warm`));
  {
    const warmTable = 'taxi-pulse-warm-up';
    const warmStream = 'taxi-pulse-warm-up-trips';
    await bootstrapPair(warmTable, warmStream);
    await putAll(clients.kinesis, warmStream, putEntries(warmTrips));
    const shards = await shardIds(clients.kinesis, warmStream);
    const expected = await recordsPerShard(
      clients.kinesis,
      warmStream,
      warmTrips.map((trip) => trip.tripId),
    );
    await Promise.all(
      shards.map((shardId) =>
        drainShard(clients.kinesis, warmStream, shardId, {
          limit: PROCESSOR_BATCHING.batchSize,
          pollIntervalMs: PROCESSOR_BATCHING.pollIntervalMs,
          expected: expected.get(shardId) ?? 0,
          onBatch: async (records) => {
            for (const batch of chunk(records, 25)) {
              await clients.documents.send(
                new BatchWriteCommand({
                  RequestItems: {
                    [warmTable]: batch.map((record) => ({
                      PutRequest: {
                        Item: { ...tripKey(String(record.PartitionKey)), data: Buffer.from(record.Data as Uint8Array).toString('utf8') },
                      },
                    })),
                  },
                }),
              );
            }
          },
        }),
      ),
    );
    let sequence = 0;
    for (const batch of chunk(warmTrips, 500)) {
      await handler(
        { Records: batch.map((trip) => kinesisRecord(trip, 99, ++sequence)) },
        createLambdaContext({ functionName: 'warm-up', region: 'us-east-1', timeoutMs: 60_000 }),
        () => {},
      );
    }
  }

  const submittedAtMs = Date.now();
  const entries: PutEntry[] = putEntries(trips, submittedAtMs);
  const partitionKeys = trips.map((trip) => trip.tripId);

  async function floor(): Promise<PhaseFigures> {
    const expected = await recordsPerShard(clients.kinesis, floorStream, partitionKeys);
    const shards = await shardIds(clients.kinesis, floorStream);
    const writeBatch = async (records: KinesisRecord[]) => {
      const items = records.map((record) => {
        const parsed = JSON.parse(Buffer.from(record.Data as Uint8Array).toString('utf8')) as { trip: Trip; submittedAtMs: number };
        return {
          ...tripKey(parsed.trip.tripId),
          shardId: 'floor',
          sequenceNumber: record.SequenceNumber,
          tripId: parsed.trip.tripId,
          trip: parsed.trip,
          submittedAtMs: parsed.submittedAtMs,
        };
      });
      await mapConcurrently(chunk(items, 25), FLOOR_WRITE_CONCURRENCY, async (batch) => {
        let pending: Record<string, unknown>[] = batch;
        while (pending.length > 0) {
          const response = await clients.documents.send(
            new BatchWriteCommand({ RequestItems: { [floorTable]: pending.map((Item) => ({ PutRequest: { Item } })) } }),
          );
          pending = (response.UnprocessedItems?.[floorTable] ?? []).map((request) => request.PutRequest?.Item as Record<string, unknown>);
        }
      });
    };
    const drain = () =>
      Promise.all(
        shards.map((shardId) =>
          drainShard(clients.kinesis, floorStream, shardId, {
            limit: PROCESSOR_BATCHING.batchSize,
            pollIntervalMs: PROCESSOR_BATCHING.pollIntervalMs,
            expected: expected.get(shardId) ?? 0,
            onBatch: writeBatch,
          }),
        ),
      );
    if (input.mode === 'drain') {
      const putStart = performance.now();
      await putAll(clients.kinesis, floorStream, entries);
      const putMs = performance.now() - putStart;
      const cpu = cpuNow();
      const start = performance.now();
      await drain();
      const totalMs = performance.now() - start;
      return { trips: trips.length, putMs, totalMs, tripsPerSecond: trips.length / (totalMs / 1000), cpuMs: cpuSince(cpu) };
    }
    const cpu = cpuNow();
    const start = performance.now();
    let putMs = 0;
    await Promise.all([putAll(clients.kinesis, floorStream, entries).then(() => (putMs = performance.now() - start)), drain()]);
    const totalMs = performance.now() - start;
    return { trips: trips.length, putMs, totalMs, tripsPerSecond: trips.length / (totalMs / 1000), cpuMs: cpuSince(cpu) };
  }

  async function pipeline(): Promise<RunOutput['pipeline']> {
    const monitor = new ProcMonitor(() => [process.pid, ...descendantsOf(process.pid)], 250).start();
    let putMs = 0;
    const startPoller = () =>
      startStreamPoller({
        kinesis: clients.kinesis,
        documents: clients.documents,
        tableName: emulators.tableName,
        streamName: emulators.streamName,
        region: 'us-east-1',
        handler,
        // Warnings and errors only (a retried or given-up batch must show in the log), unless debugging.
        logger: process.env.BENCH_DEBUG ? consoleLogger : { ...silentLogger, warn: consoleLogger.warn, error: consoleLogger.error },
      });
    let poller = input.mode === 'e2e' ? await startPoller() : undefined;
    if (input.mode === 'drain') {
      const putStart = performance.now();
      await putAll(clients.kinesis, emulators.streamName, entries);
      putMs = performance.now() - putStart;
    }
    const cpu = cpuNow();
    const start = performance.now();
    if (input.mode === 'drain') {
      poller = await startPoller();
    } else {
      void putAll(clients.kinesis, emulators.streamName, entries).then(() => (putMs = performance.now() - start));
    }
    const processed = () => poller!.status().reduce((sum, shard) => sum + shard.recordsProcessed, 0);
    const batches = () => poller!.status().reduce((sum, shard) => sum + shard.batchesProcessed, 0);
    const givenUp = () => poller!.status().reduce((sum, shard) => sum + shard.recordsSentToOnFailure, 0);
    const deadline = Date.now() + 20 * 60_000;
    let lastProgress = { count: processed(), atMs: Date.now() };
    while (processed() + givenUp() < trips.length) {
      if (Date.now() > deadline) throw new Error(`pipeline: ${processed()} of ${trips.length} after 20 minutes`);
      if (processed() !== lastProgress.count) lastProgress = { count: processed(), atMs: Date.now() };
      else if (Date.now() - lastProgress.atMs > 30_000) {
        // A stall: say where, so that a hung repetition can be diagnosed from the log.
        console.error(
          `[throughput-run] pipeline stalled at ${processed()} of ${trips.length} records: ${JSON.stringify(poller!.status())}`,
        );
        lastProgress = { count: processed(), atMs: Date.now() };
      }
      await sleep(5);
    }
    if (givenUp() > 0) throw new Error(`pipeline: ${givenUp()} records given up on (on-failure): ${JSON.stringify(poller!.status())}`);
    const totalMs = performance.now() - start;
    const cpuMs = cpuSince(cpu);
    monitor.stop();
    const batchCount = batches();
    await poller!.stop();
    const counters = await clients.documents.send(new GetCommand({ TableName: emulators.tableName, Key: countersKey() }));
    const accepted = countsFromItem(counters.Item).acceptedTrips - warmTrips.length;
    const peakRssMb: Record<string, number> = {};
    // The bench process hosts the poller and the processor; the emulator children in start order
    // (dynalite first); other children (tsx's esbuild service) are left out.
    const emulatorPids = monitor
      .summary()
      .filter((entry) => entry.command.includes('emulator'))
      .map((entry) => entry.pid)
      .sort((a, b) => a - b);
    for (const entry of monitor.summary()) {
      if (entry.pid === process.pid) peakRssMb['bench+processor'] = entry.peakRssMb;
      else if (emulatorPids.includes(entry.pid))
        peakRssMb[emulatorPids.indexOf(entry.pid) === 0 ? 'dynalite' : 'kinesalite'] = entry.peakRssMb;
    }
    return {
      trips: trips.length,
      putMs,
      totalMs,
      tripsPerSecond: trips.length / (totalMs / 1000),
      cpuMs,
      accepted,
      batches: batchCount,
      peakRssMb,
    };
  }

  let floorFigures: PhaseFigures | undefined;
  let pipelineFigures: RunOutput['pipeline'] | undefined;
  if (input.order === 'floor-first') {
    if (input.only !== 'pipeline') floorFigures = await floor();
    if (input.only !== 'floor') pipelineFigures = await pipeline();
  } else {
    if (input.only !== 'floor') pipelineFigures = await pipeline();
    if (input.only !== 'pipeline') floorFigures = await floor();
  }
  const output = { mode: input.mode, order: input.order, floor: floorFigures, pipeline: pipelineFigures } as RunOutput;
  await emulators.stop();
  process.send?.({ type: 'result', output });
  process.exit(0);
}

main().catch((error) => {
  console.error('[throughput-run]', error);
  process.exit(1);
});
