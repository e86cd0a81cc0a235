/**
 * The read use cases behind `demandForecast` and `demandPressure`: check the arguments (a client
 * mistake becomes BAD_USER_INPUT naming the argument), read the stored counts the forecast may learn
 * from, and let the domain forecast. Each call reads at most 112 items: the scope's DAY items of the 16
 * weeks before `from`'s day (one Query), or the city-wide flow items of `at`'s local hour on the 112
 * days before `at`'s day (fetched by key).
 */
import { forecastDemand, type DemandForecast } from '../domain/forecast/demand-forecast';
import {
  checkDemandForecastArguments,
  checkDemandPressureArguments,
  ForecastArgumentError,
  type DemandForecastArguments,
  type DemandPressureArguments,
} from '../domain/forecast/forecast-arguments';
import { forecastHistoryDaySpan, pastCountsBefore } from '../domain/forecast/past-counts';
import { computeDemandPressure, pressureHistoryHourKeys, type DemandPressureResult } from '../domain/forecast/pressure';
import { bucketKey, bucketStart } from '../domain/time';
import { badUserInput } from './errors';
import type { InsightsReader } from './insights-reader';

/** Runs an argument check; its ForecastArgumentError becomes BAD_USER_INPUT naming the argument. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ForecastArgumentError) throw badUserInput(error.message, error.argument);
    throw error;
  }
}

/**
 * What demandForecast reads for its arguments: the scope's DAY items over the span, learned from
 * whole days that end at `historyEndMs` (the start of `from`'s day). Throws BAD_USER_INPUT for
 * arguments the use case refuses. The cost model estimates from it (src/serve/cost-model.ts).
 */
export function demandForecastReads(args: DemandForecastArguments) {
  const { fromMs, hours, scope } = checked(() => checkDemandForecastArguments(args));
  const daySpan = forecastHistoryDaySpan(fromMs);
  return { fromMs, hours, scope, daySpan, historyEndMs: bucketStart(bucketKey(fromMs, 'DAY'), 'DAY') };
}

/**
 * What demandPressure reads for its arguments: the FLOW#HOUR items of these HOUR keys (at most 112),
 * learned from whole days that end at `historyEndMs` (the start of `at`'s day). Throws BAD_USER_INPUT
 * for arguments the use case refuses.
 */
export function demandPressureReads(args: DemandPressureArguments) {
  const { atMs, limit, borough } = checked(() => checkDemandPressureArguments(args));
  return { atMs, limit, borough, hourKeys: pressureHistoryHourKeys(atMs), historyEndMs: bucketStart(bucketKey(atMs, 'DAY'), 'DAY') };
}

/** demandForecast: expected trips per local hour from `from`, learned from the scope's DAY items before `from`'s day. */
export async function demandForecast(reader: InsightsReader, args: DemandForecastArguments): Promise<DemandForecast> {
  const { fromMs, hours, scope, daySpan } = demandForecastReads(args);
  const items = await reader.readHourCounts(scope, daySpan);
  return forecastDemand(pastCountsBefore(fromMs, items), hours);
}

/** demandPressure: per zone, expected pickups against drop-offs in the hour starting at `at`, from the flow items of that hour on earlier days. */
export async function demandPressure(reader: InsightsReader, args: DemandPressureArguments): Promise<DemandPressureResult> {
  const { atMs, limit, borough, hourKeys } = demandPressureReads(args);
  const flows = await reader.readFlowHours(hourKeys);
  return computeDemandPressure(atMs, flows, { limit, ...(borough ? { borough } : {}) });
}
