/**
 * Valid trips counted by pickup local hour, per scope (city, pickup borough, pickup zone), in the
 * shape the table keeps them: per scope, DAY items with trips per local hour of day (h00..h23). The
 * backtest builds its history from raw TLC files with this; the API reads the same shape from the
 * stored DAY items. Pure: no I/O.
 */
import type { DayHourCounts } from '../insights';
import { isBoroughCode } from '../borough';
import { CITY_SCOPE, scopesOfPickupZone, type AggregateScope } from '../scope';
import { bucketKey, splitHourKey } from '../time';
import type { Trip } from '../trip';

/** A scope as text: 'city', 'borough:MANHATTAN', 'zone:74' (the backtest's --scope syntax). */
export type ScopeId = string;

/** The text form of a scope; parseScopeId reads it back. */
export function scopeIdOf(scope: AggregateScope): ScopeId {
  switch (scope.kind) {
    case 'CITY':
      return 'city';
    case 'BOROUGH':
      return `borough:${scope.borough}`;
    case 'ZONE':
      return `zone:${scope.zoneId}`;
  }
}

/** The scope of a scope id made by scopeIdOf; throws RangeError for any other text. */
export function parseScopeId(id: ScopeId): AggregateScope {
  if (id === 'city') return CITY_SCOPE;
  const [kind, value] = id.split(':', 2);
  if (kind === 'borough' && isBoroughCode(value)) return { kind: 'BOROUGH', borough: value };
  if (kind === 'zone' && /^\d+$/.test(value ?? '')) return { kind: 'ZONE', zoneId: Number(value) };
  throw new RangeError(`not a scope id: ${id.slice(0, 40)}`);
}

/**
 * Counts of valid trips per scope and local hour, added one trip at a time. Keeps, per scope, a map
 * from DAY key to 24 counts: memory grows with scopes x days (a year of all zones is ~100k arrays of
 * 24), not with trips.
 */
export class HourlyTripCounts {
  private readonly byScope = new Map<ScopeId, { scope: AggregateScope; days: Map<string, number[]>; trips: number }>();

  /** Counts a valid trip in the city, its pickup borough and its pickup zone, at its pickup local hour. */
  add(trip: Trip): void {
    const { dayKey, hourOfDay } = splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR'));
    for (const scope of scopesOfPickupZone(trip.pickupZoneId)) {
      const id = scopeIdOf(scope);
      let entry = this.byScope.get(id);
      if (!entry) {
        entry = { scope, days: new Map(), trips: 0 };
        this.byScope.set(id, entry);
      }
      let hours = entry.days.get(dayKey);
      if (!hours) {
        hours = new Array<number>(24).fill(0);
        entry.days.set(dayKey, hours);
      }
      hours[hourOfDay] += 1;
      entry.trips += 1;
    }
  }

  /** Every scope with at least one trip, with its trip total. */
  scopes(): Array<{ id: ScopeId; scope: AggregateScope; trips: number }> {
    return [...this.byScope.entries()].map(([id, entry]) => ({ id, scope: entry.scope, trips: entry.trips }));
  }

  /** The DAY items of a scope, in day order, as the table would hand them back; [] for an unknown scope. */
  days(id: ScopeId): DayHourCounts[] {
    const entry = this.byScope.get(id);
    if (!entry) return [];
    return [...entry.days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([dayKey, hours]) => ({ bucketKey: dayKey, tripsByHourOfDay: [...hours] }));
  }
}
