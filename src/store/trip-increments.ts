/**
 * What a valid trip adds to each item it counts in (src/domain/trip-targets.ts), by the kind of target:
 * a pickup aggregate (aggregate-item.ts) or a city-wide flow bucket (flow-item.ts).
 */
import type { Trip } from '../domain/trip';
import type { TripTarget } from '../domain/trip-targets';
import { addAggregateIncrements } from './aggregate-item';
import { addFlowIncrements } from './flow-item';
import type { IncrementSink } from './marked-increments';

/** Calls `add` once per attribute the trip adds to the item of `target`, never with 0. */
export function addTripIncrements(trip: Trip, target: TripTarget, add: IncrementSink): void {
  if (target.kind === 'FLOW') addFlowIncrements(target, add);
  else addAggregateIncrements(trip, target, add);
}

/** The same as a map, attribute name -> amount (tests and benchmarks look at one trip's increments). */
export function tripIncrements(trip: Trip, target: TripTarget): Map<string, number> {
  const increments = new Map<string, number>();
  addTripIncrements(trip, target, (name, amount) => increments.set(name, (increments.get(name) ?? 0) + amount));
  return increments;
}
