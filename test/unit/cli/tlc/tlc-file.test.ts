import { parquetReadObjects, asyncBufferFromFile } from 'hyparquet';
import { openTlcFile, readTlcFile, type TlcFile } from '../../../../src/cli/tlc/tlc-file';
import {
  TlcFileNotFoundError,
  TlcFileReadError,
  UnknownTlcHeaderError,
  UnsupportedTlcFormatError,
} from '../../../../src/cli/tlc/tlc-errors';
import type { TlcRow, TlcTripRow } from '../../../../src/cli/tlc/tlc-row';
import type { TripSubmission } from '../../../../src/domain/trip';
import { YELLOW_HEADER, dataFile, rawCsvRecords, temporaryDirectory, yellowRow } from './tlc-fixtures';

async function allRows(file: TlcFile): Promise<TlcRow[]> {
  const rows: TlcRow[] = [];
  for await (const row of file.rows()) rows.push(row);
  return rows;
}

// Each committed file is read once per run: the big ones take seconds.
const rowsByName = new Map<string, Promise<TlcRow[]>>();
function committedRows(name: string): Promise<TlcRow[]> {
  if (!rowsByName.has(name)) rowsByName.set(name, openTlcFile(dataFile(name)).then(allRows));
  return rowsByName.get(name) as Promise<TlcRow[]>;
}

function tripsOf(rows: TlcRow[]): TripSubmission[] {
  return rows.filter((row): row is TlcTripRow => row.kind === 'trip').map((row) => row.trip);
}

// What the contract says a raw TLC cell means, computed without the reader's code.
const expectedNumber = (text: string | undefined): number | null => (text === undefined || text === '' ? null : Number(text));
const expectedTime = (text: string): string => text.replace(' ', 'T');

// From data/nyc-tlc/SOURCES.md.
const COMMITTED_FILES = [
  {
    name: 'green_tripdata_2023-02.parquet',
    format: 'parquet',
    style: 'green',
    rows: 64_809,
    sha256: '56b965fd855aaa16b257f7a6d3b4005865416a6b02a3350825d4f1f56e56b03c',
  },
  {
    name: 'green_tripdata_2020-10.csv.gz',
    format: 'csv.gz',
    style: 'green',
    rows: 95_120,
    sha256: '7be29f3aa1d15b4bab629a6ea3af2f631bd30e54e7d1a54039feca5ed015c818',
  },
  {
    name: 'yellow_tripdata_sample_2019-03.csv',
    format: 'csv',
    style: 'renamed',
    rows: 10_000,
    sha256: '40929a695482b0986afe963ecbe54f62ec93ba5e87f782bc25f5752fb5abfd17',
  },
  {
    name: 'yellow_tripdata_sample_2019-11.csv',
    format: 'csv',
    style: 'renamed',
    rows: 10_000,
    sha256: 'e5c6f863a967b633f3eb3aea065f80f015b20f588302d720c00f6c1abef0ed4c',
  },
  {
    name: 'rides.csv',
    format: 'csv',
    style: 'yellow',
    rows: 266,
    sha256: '9c88d1bdf5b04b6324d1087d8e4e6342dd2b881cf76359d027117ab6851cf84b',
  },
  {
    name: 'yellow_tripdata_2020-01.csv',
    format: 'csv',
    style: 'yellow',
    rows: 999,
    sha256: '8eab25b84147235fc639042fd7f64537c5bed6378308510c5cabdd5039ffae16',
  },
] as const;

const CSV_FILES = [
  { name: 'green_tripdata_2020-10.csv.gz', pickup: 'lpep_pickup_datetime', dropoff: 'lpep_dropoff_datetime', renamed: false },
  { name: 'yellow_tripdata_sample_2019-03.csv', pickup: 'pickup_datetime', dropoff: 'dropoff_datetime', renamed: true },
  { name: 'yellow_tripdata_sample_2019-11.csv', pickup: 'pickup_datetime', dropoff: 'dropoff_datetime', renamed: true },
  { name: 'rides.csv', pickup: 'tpep_pickup_datetime', dropoff: 'tpep_dropoff_datetime', renamed: false },
  { name: 'yellow_tripdata_2020-01.csv', pickup: 'tpep_pickup_datetime', dropoff: 'tpep_dropoff_datetime', renamed: false },
] as const;

describe('openTlcFile', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.cleanup());

  it.each(COMMITTED_FILES)('reads every row of $name as a trip, with its format, header style and digest', async (expected) => {
    // Prepare
    const file = await openTlcFile(dataFile(expected.name));

    // Act
    const rows = await committedRows(expected.name);

    // Assess
    expect({ format: file.format, style: file.headerStyle, digest: file.digest }).toEqual({
      format: expected.format,
      style: expected.style,
      digest: expected.sha256,
    });
    expect(rows).toHaveLength(expected.rows);
    expect(rows.filter((row) => row.kind === 'unreadable')).toEqual([]);
    expect(rows.map((row) => row.row)).toEqual(Array.from({ length: expected.rows }, (_, index) => index + 1));
    expect(file.rowCount).toBe(expected.rows);
  });

  it.each(CSV_FILES)('gives every trip of $name the values of its raw CSV text', async ({ name, pickup, dropoff, renamed }) => {
    // Prepare
    const raw = rawCsvRecords(name);
    const column = renamed
      ? { vendor: 'vendor_id', pu: 'pickup_location_id', do: 'dropoff_location_id', rate: 'rate_code_id' }
      : { vendor: 'VendorID', pu: 'PULocationID', do: 'DOLocationID', rate: 'RatecodeID' };

    // Act
    const trips = tripsOf(await committedRows(name));

    // Assess
    const expected = raw.map((cells) => ({
      vendorId: expectedNumber(cells[column.vendor]),
      pickupAt: expectedTime(cells[pickup]),
      dropoffAt: expectedTime(cells[dropoff]),
      pickupZoneId: Number(cells[column.pu]),
      dropoffZoneId: Number(cells[column.do]),
      passengerCount: expectedNumber(cells.passenger_count),
      rateCodeId: expectedNumber(cells[column.rate]),
      paymentType: expectedNumber(cells.payment_type),
      tripDistanceMiles: Number(cells.trip_distance),
      fareAmount: Number(cells.fare_amount),
      tipAmount: expectedNumber(cells.tip_amount),
      tollsAmount: expectedNumber(cells.tolls_amount),
      totalAmount: Number(cells.total_amount),
    }));
    expect(trips.map(({ tripId: _tripId, ...fields }) => fields)).toEqual(expected);
  });

  it('reads decimal text without a leading zero as the number (".79" is 0.79)', async () => {
    // Prepare: the first green 2020-10 row is "2,2020-10-01 00:31:19,2020-10-01 00:34:55,N,1,7,7,1,.79,5,0.5,0.5,1.58,0,,0.3,7.88,1,1,0"
    const file = await openTlcFile(dataFile('green_tripdata_2020-10.csv.gz'));

    // Act
    const first = (await file.rows().next()).value as TlcTripRow;

    // Assess
    expect(first.trip).toEqual({
      tripId: '7be29f3aa1d15b4b-1',
      vendorId: 2,
      pickupAt: '2020-10-01T00:31:19',
      dropoffAt: '2020-10-01T00:34:55',
      pickupZoneId: 7,
      dropoffZoneId: 7,
      passengerCount: 1,
      rateCodeId: 1,
      paymentType: 1,
      tripDistanceMiles: 0.79,
      fareAmount: 5,
      tipAmount: 1.58,
      tollsAmount: 0,
      totalAmount: 7.88,
    });
  });

  it('reads the first Parquet row of green 2023-02 as New York wall clock, without shifting it', async () => {
    // Prepare
    const file = await openTlcFile(dataFile('green_tripdata_2023-02.parquet'));

    // Act
    const first = (await file.rows().next()).value as TlcTripRow;

    // Assess: hyparquet shows this pickup as 2023-02-01T00:46:22.000Z, which is 00:46 in New York.
    expect(first.trip).toEqual({
      tripId: '56b965fd855aaa16-1',
      vendorId: 1,
      pickupAt: '2023-02-01T00:46:22',
      dropoffAt: '2023-02-01T01:05:57',
      pickupZoneId: 74,
      dropoffZoneId: 265,
      passengerCount: 1,
      rateCodeId: 1,
      paymentType: 2,
      tripDistanceMiles: 10.8,
      fareAmount: 42.9,
      tipAmount: 0,
      tollsAmount: 0,
      totalAmount: 45.4,
    });
  });

  it("agrees with hyparquet's own row objects on every Parquet row", async () => {
    // Prepare: hyparquet's default reading, Dates shown as UTC = the local wall clock.
    const path = dataFile('green_tripdata_2023-02.parquet');
    const objects = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
    const wallClock = (date: Date): string => date.toISOString().slice(0, 19);
    const orNull = (value: unknown): unknown => (value === undefined ? null : value);

    // Act
    const trips = tripsOf(await committedRows('green_tripdata_2023-02.parquet'));

    // Assess
    expect(trips.map(({ tripId: _tripId, ...fields }) => fields)).toEqual(
      objects.map((object) => ({
        vendorId: orNull(object.VendorID),
        pickupAt: wallClock(object.lpep_pickup_datetime),
        dropoffAt: wallClock(object.lpep_dropoff_datetime),
        pickupZoneId: object.PULocationID,
        dropoffZoneId: object.DOLocationID,
        passengerCount: orNull(object.passenger_count),
        rateCodeId: orNull(object.RatecodeID),
        paymentType: orNull(object.payment_type),
        tripDistanceMiles: object.trip_distance,
        fareAmount: object.fare_amount,
        tipAmount: orNull(object.tip_amount),
        tollsAmount: orNull(object.tolls_amount),
        totalAmount: object.total_amount,
      })),
    );
  });

  it('turns the blank VendorID, passenger_count, RatecodeID and payment_type of the CRLF yellow 2020-01 rows into null', async () => {
    // Prepare: the last row is ",2020-01-31 22:44:00,2020-01-31 23:06:00,,11.60,,,179,205,,54.56,2.75,0.5,0,0,0.3,58.11,0\r\n"
    const name = 'yellow_tripdata_2020-01.csv';

    // Act
    const trips = tripsOf(await committedRows(name));

    // Assess
    expect(trips[998]).toEqual({
      tripId: '8eab25b84147235f-999',
      vendorId: null,
      pickupAt: '2020-01-31T22:44:00',
      dropoffAt: '2020-01-31T23:06:00',
      pickupZoneId: 179,
      dropoffZoneId: 205,
      passengerCount: null,
      rateCodeId: null,
      paymentType: null,
      tripDistanceMiles: 11.6,
      fareAmount: 54.56,
      tipAmount: 0,
      tollsAmount: 0,
      totalAmount: 58.11,
    });
    expect(trips.slice(499).every((trip) => trip.vendorId === null && trip.paymentType === null)).toBe(true);
    expect(trips.slice(0, 499).every((trip) => trip.vendorId !== null && trip.paymentType !== null)).toBe(true);
  });

  it('reads CRLF files whose last column is a mapped field without a stray carriage return', async () => {
    // Prepare: move total_amount to the end of the line, right before the \r.
    const header = YELLOW_HEADER.split(',')
      .filter((column) => column !== 'total_amount')
      .concat('total_amount');
    const line = (overrides: Record<string, string>): string => {
      const cells = Object.fromEntries(YELLOW_HEADER.split(',').map((column, index) => [column, yellowRow(overrides).split(',')[index]]));
      return header.map((column) => cells[column]).join(',');
    };
    const path = directory.write(
      'crlf-last-column.csv',
      `${header.join(',')}\r\n${line({ total_amount: '12.30' })}\r\n${line({ total_amount: '.5' })}\r\n`,
    );

    // Act
    const trips = tripsOf(await allRows(await openTlcFile(path)));

    // Assess
    expect(trips.map((trip) => trip.totalAmount)).toEqual([12.3, 0.5]);
  });

  it('derives the same tripIds every time a file is read', async () => {
    // Prepare
    const path = dataFile('yellow_tripdata_2020-01.csv');

    // Act
    const first = tripsOf(await allRows(await openTlcFile(path))).map((trip) => trip.tripId);
    const second = tripsOf(await allRows(await openTlcFile(path))).map((trip) => trip.tripId);

    // Assess
    expect(second).toEqual(first);
    expect(first[0]).toBe('8eab25b84147235f-1');
  });

  it.each(COMMITTED_FILES)('gives every row of $name its own tripId', async ({ name, rows }) => {
    // Act
    const ids = tripsOf(await committedRows(name)).map((trip) => trip.tripId);

    // Assess
    expect(new Set(ids).size).toBe(rows);
  });

  it('gives different files different tripIds, even when they hold the same rows', async () => {
    // Prepare: the same two rows, once with and once without a final newline.
    const withNewline = directory.write('two-rows-a.csv', `${YELLOW_HEADER}\n${yellowRow()}\n${yellowRow()}\n`);
    const withoutNewline = directory.write('two-rows-b.csv', `${YELLOW_HEADER}\n${yellowRow()}\n${yellowRow()}`);

    // Act
    const committedPrefixes = await Promise.all(
      COMMITTED_FILES.map(async ({ name }) => (await openTlcFile(dataFile(name))).digest.slice(0, 16)),
    );
    const a = tripsOf(await allRows(await openTlcFile(withNewline))).map((trip) => trip.tripId);
    const b = tripsOf(await allRows(await openTlcFile(withoutNewline))).map((trip) => trip.tripId);

    // Assess
    expect(new Set(committedPrefixes).size).toBe(COMMITTED_FILES.length);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('reads a gzipped CSV like the same text uncompressed, except for the ids', async () => {
    // Prepare
    const text = `${YELLOW_HEADER}\n${yellowRow()}\n${yellowRow({ fare_amount: '-3' })}\n`;
    const plain = directory.write('same.csv', text);
    const gzipped = directory.writeGzip('same.csv.gz', text);

    // Act
    const plainTrips = tripsOf(await allRows(await openTlcFile(plain)));
    const gzippedTrips = tripsOf(await allRows(await openTlcFile(gzipped)));

    // Assess
    expect(gzippedTrips.map(({ tripId: _id, ...rest }) => rest)).toEqual(plainTrips.map(({ tripId: _id, ...rest }) => rest));
    expect(gzippedTrips[1].fareAmount).toBe(-3);
  });

  it('yields rows whose required fields are blank or not numbers as unreadable, with row number, field and reason', async () => {
    // Prepare
    const lines = [
      yellowRow(),
      yellowRow({ fare_amount: '' }),
      yellowRow({ trip_distance: 'abc' }),
      yellowRow({ tpep_pickup_datetime: '2023-02-30 10:00:00' }),
      yellowRow({ PULocationID: '' }),
      '1,2020-01-01 00:28:15,2020-01-01 00:33:03',
      yellowRow(),
    ];
    const path = directory.write('unreadable.csv', `${YELLOW_HEADER}\n${lines.join('\n')}\n`);

    // Act
    const rows = await allRows(await openTlcFile(path));

    // Assess
    expect(
      rows.map((row) =>
        row.kind === 'trip' ? { row: row.row, id: row.trip.tripId.split('-')[1] } : { row: row.row, field: row.field, reason: row.reason },
      ),
    ).toEqual([
      { row: 1, id: '1' },
      { row: 2, field: 'fareAmount', reason: 'fare_amount is blank' },
      { row: 3, field: 'tripDistanceMiles', reason: 'trip_distance is not a number: "abc"' },
      { row: 4, field: 'pickupAt', reason: 'tpep_pickup_datetime is not a date-time: "2023-02-30 10:00:00"' },
      { row: 5, field: 'pickupZoneId', reason: 'PULocationID is blank' },
      { row: 6, field: 'pickupZoneId', reason: 'PULocationID is blank' },
      { row: 7, id: '7' },
    ]);
  });

  it('refuses a file whose header is no TLC style, naming the missing columns', async () => {
    // Prepare: the zone lookup is a real TLC file, but not a trip file.
    const path = dataFile('taxi+_zone_lookup.csv');

    // Act
    const opening = openTlcFile(path);

    // Assess
    await expect(opening).rejects.toBeInstanceOf(UnknownTlcHeaderError);
    await expect(opening).rejects.toMatchObject({
      missingColumns: expect.arrayContaining(['tpep_pickup_datetime', 'PULocationID', 'total_amount']),
    });
  });

  it('refuses an empty file as having no TLC header', async () => {
    // Prepare
    const path = directory.write('empty.csv', '');

    // Act
    const opening = openTlcFile(path);

    // Assess
    await expect(opening).rejects.toBeInstanceOf(UnknownTlcHeaderError);
  });

  it('refuses a missing file, an unknown extension and a corrupt gzip with typed errors', async () => {
    // Prepare
    const corrupt = directory.write('corrupt.csv.gz', 'not gzip at all');
    const unknown = directory.write('trips.json', '[]');

    // Act: settled together, so that no rejection is left unobserved while another is awaited
    const outcomes = await Promise.allSettled([openTlcFile(directory.path('missing.csv')), openTlcFile(unknown), openTlcFile(corrupt)]);

    // Assess
    const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : undefined));
    expect(reasons[0]).toBeInstanceOf(TlcFileNotFoundError);
    expect(reasons[1]).toBeInstanceOf(UnsupportedTlcFormatError);
    expect(reasons[2]).toBeInstanceOf(TlcFileReadError);
  });
});

describe('readTlcFile', () => {
  it('yields the rows of a file without opening it first', async () => {
    // Act
    let count = 0;
    for await (const row of readTlcFile(dataFile('rides.csv'))) if (row.kind === 'trip') count += 1;

    // Assess
    expect(count).toBe(266);
  });
});
