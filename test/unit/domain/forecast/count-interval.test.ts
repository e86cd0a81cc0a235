import { countInterval } from '../../../../src/domain/forecast/count-interval';

// Exact Poisson probability of [low, high], independently of the module.
function poissonProbability(mean: number, low: number, high: number): number {
  let p = Math.exp(-mean);
  let sum = 0;
  for (let k = 0; k <= high; k += 1) {
    if (k >= low) sum += p;
    p = (p * mean) / (k + 1);
  }
  return sum;
}

describe('countInterval', () => {
  it('is [0, 0] for a mean of 0', () => {
    expect(countInterval(0, 0)).toEqual({ low: 0, high: 0 });
  });

  it('holds close to 80% of a Poisson count, from sparse to busy', () => {
    for (const mean of [0.3, 1, 2.5, 7, 20, 60, 150, 390]) {
      const { low, high } = countInterval(mean, mean);
      const probability = poissonProbability(mean, low, high);
      expect(Number.isInteger(low) && Number.isInteger(high) && low <= high).toBe(true);
      expect(probability).toBeGreaterThan(0.66);
      expect(probability).toBeLessThan(0.93);
    }
  });

  it('widens with extra variance and uses the normal shape for large means', () => {
    const poisson = countInterval(50, 50);
    const overdispersed = countInterval(50, 200);
    expect(overdispersed.high - overdispersed.low).toBeGreaterThan(poisson.high - poisson.low);
    const big = countInterval(10_000, 250_000);
    expect(big.low).toBe(Math.round(10_000 - 1.2815515655446004 * 500));
    expect(big.high).toBe(Math.round(10_000 + 1.2815515655446004 * 500));
  });
});
