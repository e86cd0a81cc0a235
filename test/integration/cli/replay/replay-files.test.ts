import { IngestGraphQLError } from '../../../../src/cli/api-client/ingest-errors';
import { pacingOffsets } from '../../../../src/cli/replay/pacing';
import { runReplayCli, EXIT_CODES } from '../../../../src/cli/replay/replay-cli';
import { ReplayAbortedError, ReplayOptionsError, replayFiles, type ReplayProgress } from '../../../../src/cli/replay/replay-files';
import { UnknownTlcHeaderError } from '../../../../src/cli/tlc/tlc-errors';
import { openTlcFile } from '../../../../src/cli/tlc/tlc-file';
import { parseDateTime } from '../../../../src/domain/time';
import { validateTrip, type TripSubmission } from '../../../../src/domain/trip';
import { YELLOW_HEADER, dataFile, temporaryDirectory, yellowRow } from '../../../unit/cli/tlc/tlc-fixtures';
import { answerLikeTheApi, startFakeIngestApi, unusedEndpoint, type FakeIngestApi } from '../support/fake-ingest-api';

const RIDES = dataFile('rides.csv');
const YELLOW_2020_01 = dataFile('yellow_tripdata_2020-01.csv');

function sentTrips(api: FakeIngestApi): TripSubmission[] {
  return api.requests.flatMap((request) => request.body.variables?.trips ?? []);
}

async function fileTrips(path: string): Promise<TripSubmission[]> {
  const trips: TripSubmission[] = [];
  for await (const row of (await openTlcFile(path)).rows()) if (row.kind === 'trip') trips.push(row.trip);
  return trips;
}

async function expectedCounts(paths: string[]) {
  const rejectedByReason: Record<string, number> = {};
  let accepted = 0;
  for (const path of paths) {
    for await (const row of (await openTlcFile(path)).rows()) {
      if (row.kind !== 'trip') continue;
      const validation = validateTrip(row.trip);
      if (validation.ok) accepted += 1;
      else rejectedByReason[validation.rejection.reason] = (rejectedByReason[validation.rejection.reason] ?? 0) + 1;
    }
  }
  return { accepted, rejectedByReason };
}

describe('replayFiles', () => {
  const directory = temporaryDirectory();
  let api: FakeIngestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  afterAll(() => directory.cleanup());

  it('sends every row of the files in calls of at most 500 trips and counts the answers', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const files = [RIDES, YELLOW_2020_01];

    // Act
    const summary = await replayFiles({ files, endpoint: api.url });

    // Assess
    const expected = await expectedCounts(files);
    expect(summary).toMatchObject({
      files,
      sent: 266 + 999,
      accepted: expected.accepted,
      rejectedByReason: expected.rejectedByReason,
      unreadable: 0,
      unreadableSamples: [],
    });
    expect(api.requests.map((request) => request.body.variables?.trips?.length)).toEqual([266, 500, 499]);
    expect(new Set(sentTrips(api).map((trip) => trip.tripId)).size).toBe(266 + 999);
  });

  it("sends each file's trips in pickup-time order, file after file, by default", async () => {
    // Prepare: the sample is a random draw, far from pickup order
    api = await startFakeIngestApi();
    const files = [RIDES, YELLOW_2020_01];

    // Act
    await replayFiles({ files, endpoint: api.url });

    // Assess
    const sent = sentTrips(api);
    const pickups = sent.map((trip) => parseDateTime(trip.pickupAt)!);
    const [rides, yellow] = [pickups.slice(0, 266), pickups.slice(266)];
    for (const file of [rides, yellow]) expect(file).toEqual([...file].sort((a, b) => a - b));
    const inFile = await fileTrips(RIDES);
    expect(inFile.map((trip) => parseDateTime(trip.pickupAt))).not.toEqual(rides);
    expect(new Set(sent.slice(0, 266).map((trip) => trip.tripId))).toEqual(new Set(inFile.map((trip) => trip.tripId)));
  });

  it('sorts a file larger than its memory bound in runs on disk, to the same order, and leaves no run behind', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const sortTempDir = directory.path('.');

    // Act: 999 rows, 100 in memory at most: 10 runs
    await replayFiles({ files: [YELLOW_2020_01], endpoint: api.url, sortMemoryTrips: 100, sortTempDir });
    const spilled = sentTrips(api).map((trip) => trip.tripId);
    await api.close();
    api = await startFakeIngestApi();
    await replayFiles({ files: [YELLOW_2020_01], endpoint: api.url });

    // Assess
    expect(spilled).toEqual(sentTrips(api).map((trip) => trip.tripId));
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(sortTempDir).filter((name) => name.startsWith('taxi-pulse-sort-'))).toEqual([]);
  });

  it('sends the trips as they are in the file with keepOrder', async () => {
    api = await startFakeIngestApi();
    await replayFiles({ files: [RIDES], endpoint: api.url, keepOrder: true });
    expect(sentTrips(api).map((trip) => trip.tripId)).toEqual((await fileTrips(RIDES)).map((trip) => trip.tripId));
  });

  it('sends the same tripIds when a file is replayed again', async () => {
    // Prepare
    api = await startFakeIngestApi();

    // Act
    await replayFiles({ files: [RIDES], endpoint: api.url, batchSize: 100 });
    const firstIds = sentTrips(api).map((trip) => trip.tripId);
    api.requests.length = 0;
    await replayFiles({ files: [RIDES], endpoint: api.url, batchSize: 100 });

    // Assess
    expect(sentTrips(api).map((trip) => trip.tripId)).toEqual(firstIds);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Prepare
    api = await startFakeIngestApi((request) => ({ ...(answerLikeTheApi(request) as object), delayMs: 20 }));

    // Act
    const summary = await replayFiles({ files: [YELLOW_2020_01], endpoint: api.url, batchSize: 50, concurrency: 3 });

    // Assess
    expect(summary.sent).toBe(999);
    expect(api.requests).toHaveLength(20);
    expect(api.maxInFlight()).toBe(3);
  });

  it('reports progress with sent = accepted + rejected and the rows of all files as total', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const reports: ReplayProgress[] = [];

    // Act
    await replayFiles({
      files: [RIDES, YELLOW_2020_01],
      endpoint: api.url,
      batchSize: 200,
      onProgress: (progress) => reports.push(progress),
    });

    // Assess
    expect(reports.every((report) => report.sent === report.accepted + report.rejected && report.totalRows === 266 + 999)).toBe(true);
    expect(reports.at(-1)).toMatchObject({ file: YELLOW_2020_01, sent: 1_265 });
    expect(reports.at(-1)?.tripsPerSecond).toBeGreaterThan(0);
  });

  it('counts unreadable rows and keeps samples with file, row, field and reason', async () => {
    // Prepare
    api = await startFakeIngestApi();
    const path = directory.write(
      'some-unreadable.csv',
      [YELLOW_HEADER, yellowRow(), yellowRow({ total_amount: '' }), yellowRow({ DOLocationID: 'x' }), yellowRow()].join('\n'),
    );

    // Act
    const summary = await replayFiles({ files: [path], endpoint: api.url });

    // Assess
    expect(summary).toMatchObject({
      sent: 2,
      accepted: 2,
      unreadable: 2,
      unreadableSamples: [
        { file: path, row: 2, field: 'totalAmount', reason: 'total_amount is blank' },
        { file: path, row: 3, field: 'dropoffZoneId', reason: 'DOLocationID is not a number: "x"' },
      ],
    });
  });

  it('paces trips by pickup time: sent in pickup order, spaced by pickup gaps / speedup', async () => {
    // Prepare: rides.csv spans 18:11 .. 01:57 and is not in pickup order.
    const arrivals: Array<{ at: number; pickups: number[] }> = [];
    api = await startFakeIngestApi((request) => {
      arrivals.push({
        at: Date.now(),
        pickups: (request.body.variables?.trips ?? []).map((trip) => parseDateTime(trip.pickupAt) as number),
      });
      return answerLikeTheApi(request);
    });
    const speedup = 40_000;

    // Act
    const summary = await replayFiles({ files: [RIDES], endpoint: api.url, speedup });

    // Assess: no call before its last trip is due (the schedule itself is tested in pacing.test.ts).
    const pickups = arrivals.flatMap((arrival) => arrival.pickups);
    const offsets = pacingOffsets(pickups, speedup);
    const dueByPickup = new Map(pickups.map((pickup, index) => [pickup, offsets[index]]));
    expect(summary.sent).toBe(266);
    expect(pickups).toEqual([...pickups].sort((a, b) => a - b));
    expect(arrivals.length).toBeGreaterThan(3);
    const dueOf = (arrival: (typeof arrivals)[number]): number => dueByPickup.get(Math.max(...arrival.pickups)) as number;
    for (const arrival of arrivals) {
      expect(arrival.at - arrivals[0].at).toBeGreaterThanOrEqual(dueOf(arrival) - dueOf(arrivals[0]) - 30);
    }
    expect(Math.max(...offsets)).toBeGreaterThan(300);
  });

  it('fails with the GraphQL error, message and code, when the API refuses a call', async () => {
    // Prepare
    api = await startFakeIngestApi(() => ({ json: { errors: [{ message: 'ingestion is paused', extensions: { code: 'FORBIDDEN' } }] } }));

    // Act
    const replay = replayFiles({ files: [YELLOW_2020_01], endpoint: api.url, batchSize: 100 });

    // Assess
    await expect(replay).rejects.toBeInstanceOf(IngestGraphQLError);
    await expect(replay).rejects.toThrow(/\[FORBIDDEN\] ingestion is paused/);
    expect(api.requests.length).toBeLessThanOrEqual(5);
  });

  it("fails a paced replay as soon as a call fails, without waiting for the next trip's time", async () => {
    // Prepare: at speedup 60, rides.csv's second group is due a minute after its first.
    api = await startFakeIngestApi(() => ({
      json: { errors: [{ message: 'stream down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    }));
    const startedAt = Date.now();

    // Act
    const replay = replayFiles({ files: [RIDES], endpoint: api.url, speedup: 60 });

    // Assess
    await expect(replay).rejects.toThrow(/\[INTERNAL_SERVER_ERROR\] stream down/);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('checks every file before sending anything', async () => {
    // Prepare
    api = await startFakeIngestApi();

    // Act
    const replay = replayFiles({ files: [RIDES, dataFile('taxi+_zone_lookup.csv')], endpoint: api.url });

    // Assess
    await expect(replay).rejects.toBeInstanceOf(UnknownTlcHeaderError);
    expect(api.requests).toHaveLength(0);
  });

  it.each([{ batchSize: 501 }, { batchSize: 0 }, { concurrency: 0 }, { speedup: 0 }, { files: [] }])(
    'refuses options %j',
    async (overrides) => {
      // Act
      const replay = replayFiles({ files: [RIDES], endpoint: 'http://127.0.0.1:1/graphql', ...overrides });

      // Assess
      await expect(replay).rejects.toBeInstanceOf(ReplayOptionsError);
    },
  );

  it('stops when the signal aborts and reports what was answered so far', async () => {
    // Prepare
    api = await startFakeIngestApi((request) => ({ ...(answerLikeTheApi(request) as object), delayMs: 30 }));
    const controller = new AbortController();

    // Act
    const replay = replayFiles({
      files: [YELLOW_2020_01],
      endpoint: api.url,
      batchSize: 10,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.sent >= 30) controller.abort();
      },
    });

    // Assess
    await expect(replay).rejects.toBeInstanceOf(ReplayAbortedError);
    const error = (await replay.catch((caught: unknown) => caught)) as ReplayAbortedError;
    expect(error.summary.sent).toBeGreaterThanOrEqual(30);
    expect(error.summary.sent).toBeLessThan(999);
  });
});

describe('runReplayCli', () => {
  function fakeIo() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } } };
  }

  it('replays a file, shows progress on stderr, prints the summary and exits 0', async () => {
    // Prepare
    const api = await startFakeIngestApi();
    const { out, err, io } = fakeIo();

    // Act
    const code = await runReplayCli([RIDES, '--endpoint', api.url], io);
    await api.close();

    // Assess
    expect(code).toBe(EXIT_CODES.ok);
    expect(out.join('')).toMatch(/^Replayed 1 file\(s\) in .*rides\.csv\n  sent        266 trips\n/);
    expect(err.join('')).toMatch(/^replay: .*266\/266 rows/m);
  });

  it('exits 1 and suggests `npm start` when nothing listens at the endpoint', async () => {
    // Prepare
    const endpoint = await unusedEndpoint();
    const { err, io } = fakeIo();

    // Act
    const code = await runReplayCli([RIDES, '--endpoint', endpoint], io);

    // Assess
    expect(code).toBe(EXIT_CODES.failure);
    expect(err.join('')).toContain(`replay: ${endpoint} is unavailable`);
    expect(err.join('')).toContain('Start it with `npm start`');
  });

  it('exits 1 with the GraphQL error when the API refuses the trips', async () => {
    // Prepare
    const api = await startFakeIngestApi(() => ({ json: { errors: [{ message: 'bad key', extensions: { code: 'UNAUTHENTICATED' } }] } }));
    const { err, io } = fakeIo();

    // Act
    const code = await runReplayCli([RIDES, '--endpoint', api.url], io);
    await api.close();

    // Assess
    expect(code).toBe(EXIT_CODES.failure);
    expect(err.join('')).toContain('[UNAUTHENTICATED] bad key');
  });
});
