/**
 * The argument checks of demandForecast and demandPressure, pure so that they are tested without a
 * server: each failure names the argument, and the GraphQL layer turns it into BAD_USER_INPUT with
 * that argument (src/serve/errors.ts `badUserInput(message, argument)`).
 */
import { isBoroughCode, type BoroughCode } from '../borough';
import { CITY_SCOPE, type AggregateScope } from '../scope';
import { isQueryableInstant, parseDateTime, queryableInstantRule } from '../time';
import { findZone, MAX_ZONE_ID } from '../zones';
import { MAX_FORECAST_HOURS } from './demand-forecast';
import { isHourStart } from './past-counts';

/** A client mistake in a forecast query's arguments. */
export class ForecastArgumentError extends Error {
  override name = 'ForecastArgumentError';
  constructor(
    /** The argument at fault, as the schema names it. */
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_FORECAST_HOURS = 24;
export const DEFAULT_PRESSURE_LIMIT = 20;

export interface DemandForecastArguments {
  from: string;
  hours?: number | null;
  zoneId?: number | null;
  borough?: string | null;
}

export interface DemandPressureArguments {
  at: string;
  borough?: string | null;
  limit?: number | null;
}

function hourStartArgument(text: string, argument: string): number {
  const epochMs = typeof text === 'string' ? parseDateTime(text) : undefined;
  if (epochMs === undefined)
    throw new ForecastArgumentError(argument, `${argument} is not an ISO-8601 date-time: ${String(text).slice(0, 40)}`);
  if (!isQueryableInstant(epochMs)) throw new ForecastArgumentError(argument, queryableInstantRule(argument));
  if (!isHourStart(epochMs)) {
    throw new ForecastArgumentError(argument, `${argument} must be the start of a New York local hour (minutes and seconds 0)`);
  }
  return epochMs;
}

function boroughArgument(borough: string): BoroughCode {
  if (!isBoroughCode(borough)) throw new ForecastArgumentError('borough', `unknown borough ${String(borough).slice(0, 40)}`);
  return borough;
}

/**
 * Checks demandForecast's arguments and resolves the scope: `from` an hour start, `hours` (default
 * 24) an integer in 1..168, `zoneId` a TLC zone, not both `zoneId` and `borough`. Throws
 * ForecastArgumentError naming the first argument at fault.
 */
export function checkDemandForecastArguments(args: DemandForecastArguments): { fromMs: number; hours: number; scope: AggregateScope } {
  const fromMs = hourStartArgument(args.from, 'from');
  const hours = args.hours ?? DEFAULT_FORECAST_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_FORECAST_HOURS) {
    throw new ForecastArgumentError('hours', `hours must be an integer in 1..${MAX_FORECAST_HOURS}, got ${hours}`);
  }
  const hasZone = args.zoneId !== undefined && args.zoneId !== null;
  const hasBorough = args.borough !== undefined && args.borough !== null;
  if (hasZone && hasBorough) throw new ForecastArgumentError('zoneId', 'give zoneId or borough, not both');
  if (hasZone) {
    if (!Number.isInteger(args.zoneId) || !findZone(args.zoneId as number)) {
      throw new ForecastArgumentError('zoneId', `zoneId ${args.zoneId} is not a TLC taxi zone (1..${MAX_ZONE_ID})`);
    }
    return { fromMs, hours, scope: { kind: 'ZONE', zoneId: args.zoneId as number } };
  }
  if (hasBorough) return { fromMs, hours, scope: { kind: 'BOROUGH', borough: boroughArgument(args.borough as string) } };
  return { fromMs, hours, scope: CITY_SCOPE };
}

/**
 * Checks demandPressure's arguments: `at` an hour start, `limit` (default 20) an integer in
 * 1..265, `borough` known. Throws ForecastArgumentError naming the argument at fault.
 */
export function checkDemandPressureArguments(args: DemandPressureArguments): { atMs: number; limit: number; borough?: BoroughCode } {
  const atMs = hourStartArgument(args.at, 'at');
  const limit = args.limit ?? DEFAULT_PRESSURE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ZONE_ID) {
    throw new ForecastArgumentError('limit', `limit must be an integer in 1..${MAX_ZONE_ID}, got ${limit}`);
  }
  const borough = args.borough === undefined || args.borough === null ? undefined : boroughArgument(args.borough);
  return { atMs, limit, ...(borough ? { borough } : {}) };
}
