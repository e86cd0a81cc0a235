import { filtersProblem, filtersToSearch, parseFilters, rangeOf, scopeOf, type Filters } from '../../../src/dashboard/browser/filters';

const DEFAULTS: Filters = { from: '2023-02-01', through: '2023-02-28', granularity: 'DAY', mapMetric: 'pickups' };

describe('parseFilters', () => {
  it('reads back what filtersToSearch writes', () => {
    const views: Filters[] = [
      DEFAULTS,
      { from: '2019-03-04', through: '2019-03-06', granularity: 'HOUR', zoneId: 161, mapMetric: 'net' },
      { from: '2020-10-01', through: '2020-12-31', granularity: 'WEEK', borough: 'STATEN_ISLAND', mapMetric: 'dropoffs' },
    ];
    for (const view of views) expect(parseFilters(filtersToSearch(view), DEFAULTS)).toEqual({ filters: view, ignored: [] });
  });

  it('takes the defaults for what the link leaves out', () => {
    expect(parseFilters('?granularity=week', DEFAULTS)).toEqual({ filters: { ...DEFAULTS, granularity: 'WEEK' }, ignored: [] });
    expect(parseFilters('', DEFAULTS)).toEqual({ filters: DEFAULTS, ignored: [] });
  });

  it('lets a zone win over a borough', () => {
    expect(parseFilters('?zone=132&borough=MANHATTAN', DEFAULTS).filters).toEqual({ ...DEFAULTS, zoneId: 132 });
  });

  it('ignores, and names, what does not parse', () => {
    expect(parseFilters('?from=2023-02-30&granularity=YEAR&zone=266&map=heat', DEFAULTS)).toEqual({
      filters: DEFAULTS,
      ignored: ['from', 'granularity', 'zone', 'map'],
    });
    expect(parseFilters('?from=2023-03-01&through=2023-02-01', DEFAULTS)).toEqual({ filters: DEFAULTS, ignored: ['through'] });
  });
});

describe('rangeOf and scopeOf', () => {
  it('send the inclusive `through` as the half-open range end, and the zone or borough', () => {
    expect(rangeOf(DEFAULTS)).toEqual({ from: '2023-02-01', to: '2023-03-01' });
    expect(rangeOf({ ...DEFAULTS, from: '2023-12-31', through: '2023-12-31' })).toEqual({ from: '2023-12-31', to: '2024-01-01' });
    expect(scopeOf({ ...DEFAULTS, zoneId: 4 })).toEqual({ zoneId: 4 });
    expect(scopeOf({ ...DEFAULTS, borough: 'QUEENS' })).toEqual({ borough: 'QUEENS' });
    expect(scopeOf(DEFAULTS)).toEqual({});
  });
});

describe('filtersProblem', () => {
  it('refuses hourly buckets over more than two months', () => {
    expect(filtersProblem({ ...DEFAULTS, granularity: 'HOUR' })).toBeUndefined();
    expect(filtersProblem({ ...DEFAULTS, granularity: 'HOUR', through: '2023-05-31' })).toMatch(/at most 62 days/);
  });
});
