import { dollarsToCents } from '../../../src/domain/money';

describe('dollarsToCents', () => {
  it.each([
    [0, 0],
    [52.3, 5230],
    [0.29, 29],
    [1.005, 101],
    [12.345, 1235],
    [-2.5, -250],
    [9999.99, 999999],
  ])('turns %d dollars into %d cents', (dollars, cents) => {
    expect(dollarsToCents(dollars)).toBe(cents);
  });
});
