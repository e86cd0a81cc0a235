/**
 * The views of `npm run sql` over a lake written by the local lake's own Parquet encoder: which record
 * of a tripId counts, outcomes as the processor decides them, New York local buckets, and the saved
 * Athena queries run as they are.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_RECORD_VERSION, encodeStreamRecord, type StreamRecord } from '../../../../src/ingest/stream-record';
import { toLakeEntry, type LakeEntry } from '../../../../src/lake/lake-record';
import { partitionPath } from '../../../../src/lake/lake-schema';
import { FARE_TREND_QUERY, PEAK_HOURS_QUERY } from '../../../../src/lake/named-queries';
import { LakeNotFoundError, openLakeSession, SqlQueryError, type LakeSession } from '../../../../src/cli/sql/lake-session';
import { encodeLakeParquet } from '../../../../src/local/lake/lake-parquet';
import type { Trip } from '../../../../src/domain/trip';

const SHARD_0 = 'shardId-000000000000';
const SHARD_1 = 'shardId-000000000001';

function trip(tripId: string, pickupAt: string, overrides: Partial<Trip> = {}): StreamRecord {
  const pickupAtMs = Date.parse(pickupAt);
  return {
    v: STREAM_RECORD_VERSION,
    type: 'trip',
    submittedAtMs: Date.parse('2024-01-01T00:00:00Z'),
    trip: {
      tripId,
      pickupAtMs,
      dropoffAtMs: pickupAtMs + 15 * 60_000,
      pickupZoneId: 161,
      dropoffZoneId: 236,
      paymentType: 1,
      distanceHundredths: 250,
      fareCents: 1250,
      tipCents: 300,
      tollsCents: 0,
      totalCents: 1800,
      ...overrides,
    },
  };
}

function rejection(tripId: string): StreamRecord {
  return {
    v: STREAM_RECORD_VERSION,
    type: 'rejection',
    submittedAtMs: Date.parse('2024-01-01T00:00:00Z'),
    tripId,
    reason: 'UNKNOWN_ZONE',
    field: 'pickupZoneId',
    message: 'pickupZoneId 999 is not a TLC taxi zone (1..265)',
    submission: { tripId, pickupZoneId: 999 },
  };
}

function entry(shardId: string, sequenceNumber: string, data: StreamRecord | string): LakeEntry {
  const bytes = typeof data === 'string' ? Buffer.from(data) : encodeStreamRecord(data);
  return toLakeEntry({ shardId, sequenceNumber, arrivalMs: Date.parse('2024-01-01T00:00:01Z'), partitionKey: 'pk' }, bytes);
}

/** Writes entries as lake files, one per partition, as the local lake writes them. */
function writeLake(root: string, entries: LakeEntry[], fileTag: string): void {
  const byDir = new Map<string, LakeEntry[]>();
  for (const item of entries) byDir.set(partitionPath(item.partition), [...(byDir.get(partitionPath(item.partition)) ?? []), item]);
  for (const [dir, items] of byDir) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, `${fileTag}.parquet`), encodeLakeParquet(items.map((item) => item.record)));
  }
}

let dataDir: string;
let session: LakeSession;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-sql-'));
  const root = join(dataDir, 'lake');
  const entries = [
    // A: the record at 99 is first (99 < 100 as numbers, though not as text); 100 is a resubmission
    entry(SHARD_0, '100', trip('A', '2023-02-01T08:10:00-05:00', { fareCents: 9999 })),
    entry(SHARD_0, '99', trip('A', '2023-02-01T08:20:00-05:00')),
    // B: rejected first, then accepted: both count
    entry(SHARD_0, '5', rejection('B')),
    entry(SHARD_0, '7', trip('B', '2023-02-01T08:40:00-05:00')),
    // C: accepted, then a rejection of the same tripId: a duplicate
    entry(SHARD_1, '3', trip('C', '2023-02-01T09:05:00-05:00')),
    entry(SHARD_1, '4', rejection('C')),
    // D: rejected twice: the second is a duplicate
    entry(SHARD_1, '8', rejection('D')),
    entry(SHARD_1, '12', rejection('D')),
    // E: accepted on one shard, rejected on the other: the other shard's trip counts as earlier
    entry(SHARD_1, '20', trip('E', '2023-02-01T09:15:00-05:00')),
    entry(SHARD_0, '2', rejection('E')),
    // both passes of the autumn 01:30: one 01:00 bucket, starting at the first pass (-04:00)
    entry(SHARD_0, '30', trip('F', '2023-11-05T01:30:00-04:00')),
    entry(SHARD_0, '31', trip('G', '2023-11-05T01:30:00-05:00')),
    entry(SHARD_1, '40', 'not json'),
  ];
  writeLake(root, entries, 'part-a');
  // Firehose delivers at least once: the same record in a second file
  writeLake(root, [entry(SHARD_1, '3', trip('C', '2023-02-01T09:05:00-05:00'))], 'part-b');
  session = await openLakeSession({ dataDir });
});

afterAll(() => {
  session?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function rows(sql: string, parameters?: (string | null)[]): Promise<Record<string, unknown>[]> {
  const result = await session.query(sql, parameters);
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((column, index) => [column, row[index] === null ? null : String(row[index])])),
  );
}

describe('the sql views over the lake', () => {
  it('gives every stream record once its outcome, as the processor decides it', async () => {
    expect(
      await rows('SELECT trip_id, sequence_number, outcome FROM raw_records ORDER BY shard_id, length(sequence_number), sequence_number'),
    ).toEqual([
      { trip_id: 'E', sequence_number: '2', outcome: 'duplicate' },
      { trip_id: 'B', sequence_number: '5', outcome: 'rejected' },
      { trip_id: 'B', sequence_number: '7', outcome: 'accepted' },
      { trip_id: 'F', sequence_number: '30', outcome: 'accepted' },
      { trip_id: 'G', sequence_number: '31', outcome: 'accepted' },
      { trip_id: 'A', sequence_number: '99', outcome: 'accepted' },
      { trip_id: 'A', sequence_number: '100', outcome: 'duplicate' },
      { trip_id: 'C', sequence_number: '3', outcome: 'accepted' },
      { trip_id: 'C', sequence_number: '4', outcome: 'duplicate' },
      { trip_id: 'D', sequence_number: '8', outcome: 'rejected' },
      { trip_id: 'D', sequence_number: '12', outcome: 'duplicate' },
      { trip_id: 'E', sequence_number: '20', outcome: 'accepted' },
      { trip_id: null, sequence_number: '40', outcome: 'poison' },
    ]);
  });

  it('lists in trips the first valid record of each tripId, with New York times, zones and dollars', async () => {
    expect(
      await rows(
        "SELECT trip_id, pickup_at, pickup_hour, pickup_borough, pickup_zone, fare_amount, payment_type_name FROM trips WHERE trip_id IN ('A', 'F', 'G') ORDER BY trip_id",
      ),
    ).toEqual([
      {
        trip_id: 'A',
        pickup_at: '2023-02-01 08:20:00',
        pickup_hour: '2023-02-01 08:00:00',
        pickup_borough: 'MANHATTAN',
        pickup_zone: 'Midtown Center',
        fare_amount: '12.50',
        payment_type_name: 'CARD',
      },
      expect.objectContaining({ trip_id: 'F', pickup_at: '2023-11-05 01:30:00', pickup_hour: '2023-11-05 01:00:00' }),
      expect.objectContaining({ trip_id: 'G', pickup_at: '2023-11-05 01:30:00', pickup_hour: '2023-11-05 01:00:00' }),
    ]);
    expect(await rows('SELECT count(*) AS n FROM trips')).toEqual([{ n: '6' }]);
  });

  it('lists in rejected_trips the rejections counted, with reason and submission', async () => {
    expect(await rows('SELECT trip_id, reason, field, submission FROM rejected_trips ORDER BY trip_id')).toEqual([
      { trip_id: 'B', reason: 'UNKNOWN_ZONE', field: 'pickupZoneId', submission: '{"tripId":"B","pickupZoneId":999}' },
      { trip_id: 'D', reason: 'UNKNOWN_ZONE', field: 'pickupZoneId', submission: '{"tripId":"D","pickupZoneId":999}' },
    ]);
  });

  it('runs the saved Athena queries as they are, with the contract buckets and offsets', async () => {
    expect(await rows(PEAK_HOURS_QUERY.sql, ['2023-02-01', '2023-12-01', null, null])).toEqual([
      { hour_start: '2023-02-01T08:00:00-05:00', trips: '2' },
      { hour_start: '2023-02-01T09:00:00-05:00', trips: '2' },
      { hour_start: '2023-11-05T01:00:00-04:00', trips: '2' },
    ]);
    expect(await rows(PEAK_HOURS_QUERY.sql, ['2023-02-01', '2023-03-01', 161, null] as never)).toHaveLength(2);
    expect(await rows(PEAK_HOURS_QUERY.sql, ['2023-02-01', '2023-03-01', null, 'QUEENS'])).toEqual([]);
    const [month] = await rows(FARE_TREND_QUERY.sql, ['MONTH', '2023-02-01', '2023-03-01', null, null]);
    expect(month).toMatchObject({ start: '2023-02-01T00:00:00-05:00', trips: '4', average_fare: '12.5', median_fare: '12.5' });
  });

  it('answers a SQL mistake with DuckDB own message', async () => {
    await expect(session.query('SELECT no_such_column FROM trips')).rejects.toThrow(SqlQueryError);
    await expect(session.query('SELECT no_such_column FROM trips')).rejects.toThrow(/no_such_column/);
  });

  it('refuses a data directory without a lake, saying to run npm start', async () => {
    await expect(openLakeSession({ dataDir: join(dataDir, 'elsewhere') })).rejects.toThrow(LakeNotFoundError);
    await expect(openLakeSession({ dataDir: join(dataDir, 'elsewhere') })).rejects.toThrow(/npm start/);
  });

  it('queries an empty lake as empty views', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'taxi-pulse-sql-empty-'));
    mkdirSync(join(empty, 'lake'));
    const emptySession = await openLakeSession({ dataDir: empty });
    expect((await emptySession.query('SELECT count(*) FROM trips')).rows).toEqual([[0n]]);
    emptySession.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('reads a TLC file as the view tlc', async () => {
    const fileSession = await openLakeSession({
      dataDir: join(dataDir, 'elsewhere'),
      requireLake: false,
      files: { tlc: join(__dirname, '..', '..', '..', '..', 'data', 'nyc-tlc', 'yellow_tripdata_2020-01.csv') },
    });
    expect((await fileSession.query('SELECT count(*) FROM tlc')).rows).toEqual([[999n]]);
    fileSession.close();
  });
});
