/**
 * The borough of each TLC taxi zone, read straight from the TLC's own lookup file (not from src/), as
 * the API names boroughs: upper case, words joined by '_' ("Staten Island" -> STATEN_ISLAND).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export const ZONE_LOOKUP_PATH = join(__dirname, '..', '..', 'data', 'nyc-tlc', 'taxi+_zone_lookup.csv');

/** A zone as the lookup file names it, its borough as the API names boroughs. */
export interface LookupZone {
  name: string;
  borough: string;
}

/** Zone id -> name and borough code, e.g. 132 -> { name: 'JFK Airport', borough: 'QUEENS' }. */
export function zonesOfLookup(path = ZONE_LOOKUP_PATH): Map<number, LookupZone> {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return new Map(
    rows.map((row) => [Number(row.LocationID), { name: row.Zone.trim(), borough: row.Borough.trim().toUpperCase().replace(/\s+/g, '_') }]),
  );
}

/** Zone id -> borough code, e.g. 132 -> QUEENS. */
export function boroughOfZone(path = ZONE_LOOKUP_PATH): Map<number, string> {
  return new Map([...zonesOfLookup(path)].map(([id, zone]) => [id, zone.borough]));
}
