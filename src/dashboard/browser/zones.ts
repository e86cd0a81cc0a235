/**
 * The taxi zones as the API lists them (`zones`), looked up by id, with the boroughs' display names.
 */
import type { Borough, Zone } from './api/queries';

const BOROUGH_NAMES: Record<Borough, string> = {
  MANHATTAN: 'Manhattan',
  BROOKLYN: 'Brooklyn',
  QUEENS: 'Queens',
  BRONX: 'The Bronx',
  STATEN_ISLAND: 'Staten Island',
  EWR: 'Newark Airport (EWR)',
  UNKNOWN: 'Unknown location',
};

export class ZoneDirectory {
  private readonly byId: Map<number, Zone>;

  constructor(readonly zones: readonly Zone[]) {
    this.byId = new Map(zones.map((zone) => [zone.id, zone]));
  }

  get(id: number): Zone | undefined {
    return this.byId.get(id);
  }

  boroughName(borough: Borough): string {
    return BOROUGH_NAMES[borough] ?? borough;
  }

  /** The zones of each borough, by name, for the zone picker. */
  byBorough(): [Borough, Zone[]][] {
    const groups = new Map<Borough, Zone[]>();
    for (const zone of this.zones) groups.set(zone.borough, [...(groups.get(zone.borough) ?? []), zone]);
    for (const list of groups.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    return [...groups];
  }
}
