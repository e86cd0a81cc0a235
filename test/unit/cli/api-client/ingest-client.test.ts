import { backoffDelayMs } from '../../../../src/cli/api-client/ingest-client';

describe('backoffDelayMs', () => {
  const policy = { baseDelayMs: 250, maxDelayMs: 8_000 };

  it('doubles the ceiling with every retry up to the maximum', () => {
    // Act
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999_999));

    // Assess
    expect(ceilings).toEqual([249, 499, 999, 1_999, 3_999, 7_999, 7_999, 7_999]);
  });

  it('draws the pause uniformly below the ceiling (full jitter)', () => {
    // Act
    const pauses = [0, 0.25, 0.5].map((draw) => backoffDelayMs(3, policy, () => draw));

    // Assess
    expect(pauses).toEqual([0, 250, 500]);
  });
});
