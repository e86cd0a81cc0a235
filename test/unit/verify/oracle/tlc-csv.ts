/**
 * The oracle's trips of small TLC CSV files written on the fly (original `tpep_*` header), so that the
 * oracle's tests go through its own file reading, as it reads real files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validTrips, type OracleTrip } from '../../../support/oracle';

const HEADER =
  'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,' +
  'PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge';

/** One CSV row; the other columns are those of a plain card ride. */
export interface Row {
  pickup: string;
  dropoff: string;
  passengers?: string;
  distance?: string;
  pu?: number;
  do?: number;
  payment?: string;
  fare?: string;
  tip?: string;
  total?: string;
}

let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The oracle's trips of a TLC CSV holding these rows (read as the oracle reads any file). */
export async function tlcCsvTrips(rows: Row[]): Promise<OracleTrip[]> {
  dir ??= mkdtempSync(join(tmpdir(), 'oracle-test-'));
  const lines = rows.map((row) =>
    [
      '2',
      row.pickup,
      row.dropoff,
      row.passengers ?? '1',
      row.distance ?? '2.00',
      '1',
      'N',
      row.pu ?? 74,
      row.do ?? 75,
      row.payment ?? '1',
      row.fare ?? '10.00',
      '0',
      '0.5',
      row.tip ?? '2.00',
      '0',
      '0.3',
      row.total ?? '12.80',
      '0',
    ].join(','),
  );
  const path = join(dir, `rows-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  return validTrips(path);
}
