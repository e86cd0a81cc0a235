/**
 * Factories for small TLC files written to a temporary directory, and an independent reading of the
 * committed raw CSV text (plain split on commas: TLC CSVs have no quoted fields) to check the reader against.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';

export const DATA_DIR = join(__dirname, '..', '..', '..', '..', 'data', 'nyc-tlc');
export const dataFile = (name: string): string => join(DATA_DIR, name);

export const YELLOW_HEADER =
  'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge';

/** One yellow CSV row with sensible values; override any column by its header name. */
export function yellowRow(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    VendorID: '1',
    tpep_pickup_datetime: '2020-01-01 00:28:15',
    tpep_dropoff_datetime: '2020-01-01 00:33:03',
    passenger_count: '1',
    trip_distance: '1.20',
    RatecodeID: '1',
    store_and_fwd_flag: 'N',
    PULocationID: '238',
    DOLocationID: '239',
    payment_type: '1',
    fare_amount: '6',
    extra: '3',
    mta_tax: '0.5',
    tip_amount: '1.47',
    tolls_amount: '0',
    improvement_surcharge: '0.3',
    total_amount: '11.27',
    congestion_surcharge: '2.5',
    ...overrides,
  };
  return YELLOW_HEADER.split(',')
    .map((column) => values[column])
    .join(',');
}

/** A temporary directory for one test file, removed by `cleanup`. */
export function temporaryDirectory(): {
  path: (name: string) => string;
  write: (name: string, text: string) => string;
  writeGzip: (name: string, text: string) => string;
  cleanup: () => void;
} {
  const directory = mkdtempSync(join(tmpdir(), 'taxi-pulse-cli-'));
  return {
    path: (name) => join(directory, name),
    write: (name, text) => {
      writeFileSync(join(directory, name), text);
      return join(directory, name);
    },
    writeGzip: (name, text) => {
      writeFileSync(join(directory, name), gzipSync(Buffer.from(text)));
      return join(directory, name);
    },
    cleanup: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The data rows of a committed CSV (gunzipped when needed) as column -> text records. */
export function rawCsvRecords(name: string): Array<Record<string, string>> {
  const bytes = readFileSync(dataFile(name));
  const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((column, index) => [column, cells[index]]));
  });
}
