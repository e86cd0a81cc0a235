import { findEdgeCases } from '../../../../verify/oracle/edge-cases';
import { tlcCsvTrips } from './tlc-csv';

describe('findEdgeCases', () => {
  it('finds each edge case in the rows that have it, with its rows and local times', async () => {
    // Prepare: one row per case, plus a plain ride that is none of them
    const trips = await tlcCsvTrips([
      { pickup: '2023-02-01 08:00:00', dropoff: '2023-02-01 08:10:00' },
      { pickup: '2023-02-01 08:50:00', dropoff: '2023-02-01 09:05:00' },
      { pickup: '2023-02-01 23:50:00', dropoff: '2023-02-02 00:05:00' },
      { pickup: '2023-02-28 23:50:00', dropoff: '2023-03-01 00:05:00' },
      { pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:05:00', payment: '', passengers: '' },
      { pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:05:00', payment: '0', passengers: '0' },
      { pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:00:00' },
      { pickup: '2019-03-10 01:50:00', dropoff: '2019-03-10 02:10:00' },
      { pickup: '2019-11-03 01:20:00', dropoff: '2019-11-03 01:40:00' },
      { pickup: '2019-11-02 23:00:00', dropoff: '2019-11-03 03:00:00' },
    ]);

    // Act
    const cases = Object.fromEntries(findEdgeCases(trips).map((edge) => [edge.name, edge]));

    // Assess
    const rows = (name: string) => cases[name].examples.map((example) => example.row);
    expect(rows('spring-forward day')).toEqual([8]);
    expect(rows('in the spring-forward gap')).toEqual([8]);
    expect(cases['in the spring-forward gap'].examples[0]).toEqual({
      row: 8,
      pickup: '2019-03-10 01:50:00',
      dropoff: '2019-03-10 03:10:00',
    });
    expect(rows('fall-back day')).toEqual([9, 10]);
    expect(rows('in the repeated fall-back hour')).toEqual([9]);
    expect(rows('across a DST change')).toEqual([8, 10]);
    expect(rows('drop-off in a later hour')).toEqual([2, 8]);
    expect(rows('drop-off on a later day')).toEqual([3, 10]);
    expect(rows('drop-off in a later month')).toEqual([4]);
    expect(rows('missing payment code')).toEqual([5]);
    expect(cases['unusual payment code'].examples).toEqual([
      { row: 6, pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:05:00', note: 'code 0' },
    ]);
    expect(rows('missing passenger count')).toEqual([5]);
    expect(rows('zero passengers')).toEqual([6]);
    expect(rows('zero duration')).toEqual([7]);
  });

  it('counts every trip of a case but keeps only the first three as examples', async () => {
    const trips = await tlcCsvTrips(Array.from({ length: 5 }, () => ({ pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:00:00' })));
    const zero = findEdgeCases(trips).find((edge) => edge.name === 'zero duration')!;
    expect(zero.count).toBe(5);
    expect(zero.examples.map((example) => example.row)).toEqual([1, 2, 3]);
  });
});
