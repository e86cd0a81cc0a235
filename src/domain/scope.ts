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
export const STORED_GRANULARITIES: readonly StoredGranularity[] = ['HOUR', 'DAY'];

/** The three scopes a trip picked up in a zone counts in: city, its borough, its zone. */
export function scopesOfPickupZone(zoneId: number): AggregateScope[] {
  const zone = findZone(zoneId);
  if (!zone) throw new RangeError(`not a TLC taxi zone: ${zoneId}`);
  return [CITY_SCOPE, { kind: 'BOROUGH', borough: zone.borough }, { kind: 'ZONE', zoneId }];
}
