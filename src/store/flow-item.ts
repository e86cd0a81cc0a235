/**
 * How a city-wide flow bucket is laid out as a DynamoDB item in table format 3 (docs/table-design.md,
 * "Format 3"): one number per zone with a pickup or a drop-off in that local hour or day, `z<zone>` =
 * drop-offs x 10^9 + pickups, the zone id written in base 36 (`z2o` is zone 96) like every number
 * inside an attribute name.
 *
 * One attribute per zone instead of one for pickups and one for drop-offs: a batch adds to a flow item
 * as many zones as its trips start or end in, and the emulator's cost per update grows with the number
 * of attributes it names (linearly to parse and validate them, quadratically to check that no two of
 * its paths overlap); packed, a flow update names half as many. Exact: no zone sees 10^9 pickups in a
 * day, and the packed value stays an integer JavaScript reads exactly below 9 x 10^6 drop-offs.
 */
import type { FlowCounts, FlowTarget } from '../domain/flows';
import { MAX_ZONE_ID, MIN_ZONE_ID } from '../domain/zones';
import { base36Of } from './aggregate-item';
import type { IncrementSink } from './marked-increments';

const ZONE_PREFIX = 'z';
const ZONE_CODE = ZONE_PREFIX.charCodeAt(0);
/** What one drop-off adds to its zone's number (a pickup adds 1). */
export const DROPOFF_UNIT = 1_000_000_000;

/** Attribute names by zone id (index 0 unused), built once: they are named for every trip of a batch. */
const ZONE_NAMES = Array.from({ length: MAX_ZONE_ID + 1 }, (_, zoneId) => `${ZONE_PREFIX}${zoneId.toString(36)}`);

/** What one trip adds to the flow item of one of its flow targets: its pickup, its drop-off, or both. */
export function addFlowIncrements(target: FlowTarget, add: IncrementSink): void {
  const { pickupZoneId, dropoffZoneId } = target;
  if (pickupZoneId !== undefined && pickupZoneId === dropoffZoneId) {
    add(ZONE_NAMES[pickupZoneId], 1 + DROPOFF_UNIT);
    return;
  }
  if (pickupZoneId !== undefined) add(ZONE_NAMES[pickupZoneId], 1);
  if (dropoffZoneId !== undefined) add(ZONE_NAMES[dropoffZoneId], DROPOFF_UNIT);
}

/** Reads a flow item back into per-zone counts; attributes it does not know (keys, marks) are ignored. */
export function flowsFromItem(item: Record<string, unknown>): FlowCounts {
  const flows: FlowCounts = { pickups: new Map(), dropoffs: new Map() };
  for (const name of Object.keys(item)) {
    if (name.charCodeAt(0) !== ZONE_CODE) continue;
    const zoneId = base36Of(name, 1);
    const packed = item[name];
    if (zoneId === undefined || zoneId < MIN_ZONE_ID || zoneId > MAX_ZONE_ID || typeof packed !== 'number') continue;
    const pickups = packed % DROPOFF_UNIT;
    const dropoffs = (packed - pickups) / DROPOFF_UNIT;
    if (pickups > 0) flows.pickups.set(zoneId, pickups);
    if (dropoffs > 0) flows.dropoffs.set(zoneId, dropoffs);
  }
  return flows;
}
