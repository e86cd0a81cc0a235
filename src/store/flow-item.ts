/**
 * How a city-wide flow bucket is laid out as a DynamoDB item in table format 3 (docs/table-design.md,
 * "Format 3"): `o<zone>` pickups (origins) and `d<zone>` drop-offs (destinations) of each zone in that
 * local hour or day, the zone id written in base 36 (`o2o` is zone 96) like every number inside an
 * attribute name. Zones without a pickup or a drop-off have no attribute.
 */
import type { FlowCounts, FlowTarget } from '../domain/flows';
import { MAX_ZONE_ID, MIN_ZONE_ID } from '../domain/zones';
import { base36Of } from './aggregate-item';
import type { IncrementSink } from './marked-increments';

const PICKUP_PREFIX = 'o';
const DROPOFF_PREFIX = 'd';
const PICKUP_CODE = PICKUP_PREFIX.charCodeAt(0);
const DROPOFF_CODE = DROPOFF_PREFIX.charCodeAt(0);

/** Attribute names by zone id (index 0 unused), built once: they are named for every trip of a batch. */
const PICKUP_NAMES = Array.from({ length: MAX_ZONE_ID + 1 }, (_, zoneId) => `${PICKUP_PREFIX}${zoneId.toString(36)}`);
const DROPOFF_NAMES = Array.from({ length: MAX_ZONE_ID + 1 }, (_, zoneId) => `${DROPOFF_PREFIX}${zoneId.toString(36)}`);

/** What one trip adds to the flow item of one of its flow targets: its pickup, its drop-off, or both. */
export function addFlowIncrements(target: FlowTarget, add: IncrementSink): void {
  if (target.pickupZoneId !== undefined) add(PICKUP_NAMES[target.pickupZoneId], 1);
  if (target.dropoffZoneId !== undefined) add(DROPOFF_NAMES[target.dropoffZoneId], 1);
}

/** Reads a flow item back into per-zone counts; attributes it does not know (keys, marks) are ignored. */
export function flowsFromItem(item: Record<string, unknown>): FlowCounts {
  const flows: FlowCounts = { pickups: new Map(), dropoffs: new Map() };
  for (const name of Object.keys(item)) {
    const first = name.charCodeAt(0);
    if (first !== PICKUP_CODE && first !== DROPOFF_CODE) continue;
    const zoneId = base36Of(name, 1);
    const trips = item[name];
    if (zoneId === undefined || zoneId < MIN_ZONE_ID || zoneId > MAX_ZONE_ID || typeof trips !== 'number') continue;
    (first === PICKUP_CODE ? flows.pickups : flows.dropoffs).set(zoneId, trips);
  }
  return flows;
}
