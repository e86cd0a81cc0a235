import { spawn } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_RECORD_VERSION, encodeStreamRecord } from '../../../../src/ingest/stream-record';
import { listLake, recoverLake } from '../../../../src/local/lake/lake-files';
import { startLocalLake, type LocalLake, type LocalLakeOptions } from '../../../../src/local/lake/local-lake';
import { silentLogger } from '../../../../src/local/logger';
import { compareLakeWithStream, readLakeRows, readWholeStream } from '../../../../verify/lake/lake-vs-stream';
import { createTestStream, putRecords, startTestEmulators, type TestEmulators } from '../support/stream-fixture';

let env: TestEmulators;
const running: LocalLake[] = [];

beforeAll(async () => {
  env = await startTestEmulators();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((lake) => lake.stop()));
});

afterAll(async () => {
  await env?.stop();
});

const FAST = { pollIntervalMs: 10, retryBaseDelayMs: 5, retryMaxDelayMs: 20 };

async function start(options: Omit<LocalLakeOptions, 'kinesis' | 'logger'>): Promise<LocalLake> {
  const lake = await startLocalLake({ kinesis: env.clients.kinesis, logger: silentLogger, shardDiscoveryIntervalMs: 50, ...options });
  running.push(lake);
  return lake;
}

function newRoot(): string {
  return mkdtempSync(join(tmpdir(), 'taxi-pulse-lake-'));
}

/** A trip stream record picked up on `day` of February 2023 (New York time). */
function tripData(tripId: string, day: number): string {
  const pickupAtMs = Date.parse(`2023-02-${String(day).padStart(2, '0')}T10:00:00-05:00`);
  return new TextDecoder().decode(
    encodeStreamRecord({
      v: STREAM_RECORD_VERSION,
      type: 'trip',
      submittedAtMs: Date.now(),
      trip: {
        tripId,
        pickupAtMs,
        dropoffAtMs: pickupAtMs + 600_000,
        pickupZoneId: 161,
        dropoffZoneId: 236,
        distanceHundredths: 100,
        fareCents: 1000,
        tipCents: 0,
        tollsCents: 0,
        totalCents: 1200,
      },
    }),
  );
}

function trips(count: number, prefix: string) {
  return Array.from({ length: count }, (_, i) => ({ partitionKey: `${prefix}-${i}`, data: tripData(`${prefix}-${i}`, 1 + (i % 3)) }));
}

/** The lake must hold exactly the stream: each record once, as toLakeEntry makes it, in its partition. */
async function expectLakeToEqualStream(root: string, streamName: string): Promise<void> {
  const [rows, stream] = await Promise.all([readLakeRows(root), readWholeStream(env.clients.kinesis, streamName)]);
  expect(stream.length).toBeGreaterThan(0);
  expect(compareLakeWithStream(rows, stream)).toEqual([]);
}

describe('the local lake', () => {
  it('writes every stream record once, with its position, into its partition, a file per partition and flush', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 2);
    await putRecords(env.clients.kinesis, streamName, [...trips(30, 'a'), { partitionKey: 'junk', data: 'not json' }]);
    const root = newRoot();

    // Act
    const lake = await start({ streamName, root, settings: { ...FAST, bufferIntervalMs: 60_000 } });
    await lake.flush();

    // Assess
    await expectLakeToEqualStream(root, streamName);
    const rows = await readLakeRows(root);
    expect(new Set(rows.map((row) => row.partition))).toEqual(
      new Set([
        'records/type=trip/pickup_date=2023-02-01',
        'records/type=trip/pickup_date=2023-02-02',
        'records/type=trip/pickup_date=2023-02-03',
        expect.stringMatching(/^records\/type=poison\//),
      ]),
    );
    // Not one file per record: one per partition and flush.
    expect((await listLake(root)).files.length).toBeLessThanOrEqual(2 * 4);
    await rm(root, { recursive: true, force: true });
  });

  it('flushes by size and by age without being asked', async () => {
    // Prepare: a buffer of about 10 records
    const streamName = await createTestStream(env.clients, 1);
    const root = newRoot();
    const lake = await start({ streamName, root, settings: { ...FAST, bufferBytes: 10 * 500, bufferIntervalMs: 300 } });

    // Act
    await putRecords(env.clients.kinesis, streamName, trips(40, 'b'));
    const deadline = Date.now() + 10_000;
    while (lake.status()[0].recordsWritten < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess
    const [status] = lake.status();
    expect(status.recordsWritten).toBe(40);
    expect(status.flushes).toBeGreaterThan(1);
    await expectLakeToEqualStream(root, streamName);
    await rm(root, { recursive: true, force: true });
  });

  it('resumes after the last record its files hold when started again on them', async () => {
    // Prepare
    const streamName = await createTestStream(env.clients, 2);
    const root = newRoot();
    await putRecords(env.clients.kinesis, streamName, trips(20, 'c'));
    const first = await start({ streamName, root, settings: FAST });
    await first.flush();
    await first.stop();

    // Act
    await putRecords(env.clients.kinesis, streamName, trips(20, 'd'));
    const second = await start({ streamName, root, settings: FAST });
    await second.flush();

    // Assess
    await expectLakeToEqualStream(root, streamName);
    await rm(root, { recursive: true, force: true });
  });

  it('after a crash part-way through a flush, removes the flush and its temporary files and writes its records again, once', async () => {
    // Prepare: a flush of 3 partitions, then the state a SIGKILL between its renames leaves: part 3 never
    // renamed (its temporary file still there), parts 1 and 2 in place
    const streamName = await createTestStream(env.clients, 1);
    const root = newRoot();
    await putRecords(env.clients.kinesis, streamName, trips(12, 'e'));
    const first = await start({ streamName, root, settings: FAST });
    await first.flush();
    await first.stop();
    const { files } = await listLake(root);
    expect(files.map((file) => file.name.parts)).toEqual([3, 3, 3]);
    const last = files.find((file) => file.name.part === 3)!;
    await rm(last.path);
    await writeFile(`${last.path}.1234abcd.tmp`, 'half a file');
    await putRecords(env.clients.kinesis, streamName, trips(5, 'f'));

    // Act
    const second = await start({ streamName, root, settings: FAST });
    await second.flush();

    // Assess
    expect(second.recoveredFiles).toHaveLength(3);
    await expectLakeToEqualStream(root, streamName);
    const leftovers = (await readdir(join(root, 'records', 'type=trip'), { recursive: true })).filter((name) =>
      String(name).endsWith('.tmp'),
    );
    expect(leftovers).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('holds every record once after a real SIGKILL between two renames of a flush, once restarted', async () => {
    // Prepare: a writer in its own process, frozen just before renaming part 2 of its first flush
    const streamName = await createTestStream(env.clients, 1);
    const root = newRoot();
    await putRecords(env.clients.kinesis, streamName, trips(12, 'h'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'lake-writer-child.ts')], {
      env: {
        ...process.env,
        LAKE_DYNAMODB: env.emulators.endpoints.dynamodb,
        LAKE_KINESIS: env.emulators.endpoints.kinesis,
        LAKE_STREAM: streamName,
        LAKE_ROOT: root,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const frozen = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /FROZEN (.+)\n/.exec(output);
        if (match) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(`the writer exited before freezing: ${output}`)));
    });

    // Act: SIGKILL, then a new writer on the same files, with more records in the stream
    child.kill('SIGKILL');
    await exited;
    const beforeRestart = await listLake(root);
    await putRecords(env.clients.kinesis, streamName, trips(4, 'i'));
    const lake = await start({ streamName, root, settings: FAST });
    await lake.flush();

    // Assess: the kill left part 1 renamed and part 2 as a temporary file; after the restart the lake is the stream
    expect(beforeRestart.files.map((file) => file.name.part)).toEqual([1]);
    expect(beforeRestart.tempFiles).toHaveLength(1);
    expect(beforeRestart.tempFiles[0].startsWith(frozen)).toBe(true);
    expect(lake.recoveredFiles).toHaveLength(2);
    await expectLakeToEqualStream(root, streamName);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('retries a flush whose write failed without duplicating the parts it had already renamed', async () => {
    // Prepare: the second file of the first flush fails once
    const streamName = await createTestStream(env.clients, 1);
    const root = newRoot();
    await putRecords(env.clients.kinesis, streamName, trips(9, 'g'));
    let failed = false;
    const beforeRename = (_path: string, part: number) => {
      if (part === 2 && !failed) {
        failed = true;
        throw new Error('disk full');
      }
    };

    // Act
    const lake = await start({ streamName, root, settings: FAST, beforeRename });
    await lake.flush();

    // Assess
    expect(failed).toBe(true);
    expect(lake.status()[0].lastError).toContain('disk full');
    await expectLakeToEqualStream(root, streamName);
    expect((await listLake(root)).tempFiles).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });
});

describe('recoverLake', () => {
  it('resumes each shard after its newest whole flush, comparing sequence numbers by length then digits', async () => {
    // Prepare: shard 0 has flushes ending at 99 and 100 (100 > 99 although '100' < '99' as text)
    const root = newRoot();
    const dir = join(root, 'records', 'type=trip', 'pickup_date=2023-02-01');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    for (const name of ['shardId-0_1_99_1of1.parquet', 'shardId-0_100_100_1of1.parquet', 'shardId-1_5_7_1of2.parquet']) {
      await writeFile(join(dir, name), '');
    }

    // Act
    const recovery = await recoverLake(root);

    // Assess
    expect([...recovery.positions]).toEqual([['shardId-0', '100']]);
    expect(recovery.deleted).toEqual([join(dir, 'shardId-1_5_7_1of2.parquet')]);
    await rm(root, { recursive: true, force: true });
  });
});
