import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { allZones, findZone, MAX_ZONE_ID, MIN_ZONE_ID } from '../../../src/domain/zones';
import { ZONE_LOOKUP_PATH } from '../../../verify/oracle/tlc-zones';

describe('the TLC taxi zones', () => {
  it("are the TLC's lookup file, row by row: id, name, borough (as the API names it) and service zone", () => {
    // Prepare
    const rows = parse(readFileSync(ZONE_LOOKUP_PATH, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;

    // Act
    const fromFile = rows.map((row) => ({
      id: Number(row.LocationID),
      name: row.Zone,
      borough: row.Borough.trim().toUpperCase().replace(/\s+/g, '_'),
      serviceZone: row.service_zone,
    }));

    // Assess
    expect(fromFile).toHaveLength(MAX_ZONE_ID - MIN_ZONE_ID + 1);
    expect(allZones()).toEqual(fromFile);
  });

  it('find no zone outside 1..265', () => {
    for (const id of [0, -1, 266, 1.5, Number.NaN]) expect(findZone(id)).toBeUndefined();
    expect(findZone(132)?.name).toBe('JFK Airport');
  });
});
