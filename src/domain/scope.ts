/**
 * What an aggregate is taken over (pickup location) and which granularities are stored.
 */
import type { BoroughCode } from './borough';
import { findZone } from './zones';

/** The whole city, one pickup borough or one pickup zone. */
export type AggregateScope =
  | { readonly kind: 'CITY' }
  | { readonly kind: 'BOROUGH'; readonly borough: BoroughCode }
  | { readonly kind: 'ZONE'; readonly zoneId: number };

export const CITY_SCOPE: AggregateScope = { kind: 'CITY' };

/**
 * Granularities kept as items. WEEK and MONTH are merged from DAY items when read (a year is at most
 * 372 DAY items), so a trip costs two items per scope instead of four.
 */
export type StoredGranularity = 'HOUR' | 'DAY';

const CITY_AND_BOROUGH_GRANULARITIES: readonly StoredGranularity[] = ['HOUR', 'DAY'];
const ZONE_GRANULARITIES: readonly StoredGranularity[] = ['DAY'];

/**
 * The items a scope keeps. City and boroughs keep HOUR and DAY items. Zones keep only DAY items, each
 * with an hour-by-hour breakdown: most zone-hours hold a trip or two, so an item per zone-hour would
 * cost one more write for nearly every trip, while a zone-day item is shared by the trips of a day.
 */
export function storedGranularitiesOf(scope: AggregateScope): readonly StoredGranularity[] {
  return scope.kind === 'ZONE' ? ZONE_GRANULARITIES : CITY_AND_BOROUGH_GRANULARITIES;
}

/** Whether the items of a scope and granularity carry the hour-by-hour breakdown (zone DAY items). */
export function hasHourlyDetail(scope: AggregateScope, granularity: StoredGranularity): boolean {
  return scope.kind === 'ZONE' && granularity === 'DAY';
}

/** The three scopes a trip picked up in a zone counts in: city, its borough, its zone. */
export function scopesOfPickupZone(zoneId: number): AggregateScope[] {
  const zone = findZone(zoneId);
  if (!zone) throw new RangeError(`not a TLC taxi zone: ${zoneId}`);
  return [CITY_SCOPE, { kind: 'BOROUGH', borough: zone.borough }, { kind: 'ZONE', zoneId }];
}
