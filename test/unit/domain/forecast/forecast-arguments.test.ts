import {
  checkDemandForecastArguments,
  checkDemandPressureArguments,
  ForecastArgumentError,
} from '../../../../src/domain/forecast/forecast-arguments';
import { bucketStart } from '../../../../src/domain/time';

function argumentOf(check: () => unknown): string | undefined {
  try {
    check();
  } catch (error) {
    if (error instanceof ForecastArgumentError) return error.argument;
    throw error;
  }
  return undefined;
}

describe('checkDemandForecastArguments', () => {
  it('accepts an hour start with defaults and resolves the scope', () => {
    expect(checkDemandForecastArguments({ from: '2023-02-20T08:00:00-05:00' })).toEqual({
      fromMs: bucketStart('2023-02-20T08', 'HOUR'),
      hours: 24,
      scope: { kind: 'CITY' },
    });
    expect(checkDemandForecastArguments({ from: '2023-02-20T08:00', hours: 168, zoneId: 74 }).scope).toEqual({ kind: 'ZONE', zoneId: 74 });
    expect(checkDemandForecastArguments({ from: '2023-02-20', borough: 'QUEENS' }).scope).toEqual({ kind: 'BOROUGH', borough: 'QUEENS' });
  });

  it('names the argument at fault', () => {
    expect(argumentOf(() => checkDemandForecastArguments({ from: 'yesterday' }))).toBe('from');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:30:00-05:00' }))).toBe('from');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:00', hours: 0 }))).toBe('hours');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:00', hours: 169 }))).toBe('hours');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:00', zoneId: 266 }))).toBe('zoneId');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:00', zoneId: 74, borough: 'MANHATTAN' }))).toBe('zoneId');
    expect(argumentOf(() => checkDemandForecastArguments({ from: '2023-02-20T08:00', borough: 'JERSEY' }))).toBe('borough');
  });
});

describe('checkDemandPressureArguments', () => {
  it('accepts an hour start with the default limit', () => {
    expect(checkDemandPressureArguments({ at: '2023-02-20T18:00:00-05:00' })).toEqual({
      atMs: bucketStart('2023-02-20T18', 'HOUR'),
      limit: 20,
    });
    expect(checkDemandPressureArguments({ at: '2023-02-20T18:00', borough: 'BRONX', limit: 5 }).borough).toBe('BRONX');
  });

  it('names the argument at fault', () => {
    expect(argumentOf(() => checkDemandPressureArguments({ at: '2023-02-20T18:15' }))).toBe('at');
    expect(argumentOf(() => checkDemandPressureArguments({ at: '2023-02-20T18:00', limit: 0 }))).toBe('limit');
    expect(argumentOf(() => checkDemandPressureArguments({ at: '2023-02-20T18:00', borough: 'X' }))).toBe('borough');
  });
});
