import { ReplayTally, UNREADABLE_SAMPLE_LIMIT } from '../../../../src/cli/replay/replay-tally';

describe('ReplayTally', () => {
  it('counts answers by reason, keeping sent = accepted + rejected', () => {
    // Prepare
    let now = 1_000;
    const tally = new ReplayTally(['a.csv'], () => now);

    // Act
    tally.addAnswer(3, {
      accepted: 2,
      rejected: [{ index: 1, tripId: 'x-2', reason: 'UNKNOWN_ZONE', field: 'pickupZoneId', message: '' }],
    });
    tally.addAnswer(2, {
      accepted: 0,
      rejected: ['UNKNOWN_ZONE', 'NEGATIVE_AMOUNT'].map((reason, index) => ({
        index,
        tripId: `y-${index}`,
        reason,
        field: 'f',
        message: '',
      })),
    });
    now = 3_000;

    // Assess
    expect(tally.progress('a.csv', 10)).toEqual({
      file: 'a.csv',
      sent: 5,
      accepted: 2,
      rejected: 3,
      unreadable: 0,
      totalRows: 10,
      tripsPerSecond: 2.5,
    });
    expect(tally.summary()).toEqual({
      files: ['a.csv'],
      sent: 5,
      accepted: 2,
      rejectedByReason: { UNKNOWN_ZONE: 2, NEGATIVE_AMOUNT: 1 },
      unreadable: 0,
      unreadableSamples: [],
      elapsedMs: 2_000,
    });
  });

  it('counts every unreadable row but keeps only the first samples', () => {
    // Prepare
    const tally = new ReplayTally(['b.csv']);

    // Act
    for (let row = 1; row <= UNREADABLE_SAMPLE_LIMIT + 5; row += 1) {
      tally.addUnreadable('b.csv', { kind: 'unreadable', row, field: 'fareAmount', column: 'fare_amount', reason: 'fare_amount is blank' });
    }

    // Assess
    const summary = tally.summary();
    expect(summary.unreadable).toBe(UNREADABLE_SAMPLE_LIMIT + 5);
    expect(summary.unreadableSamples).toHaveLength(UNREADABLE_SAMPLE_LIMIT);
    expect(summary.unreadableSamples[0]).toEqual({ file: 'b.csv', row: 1, field: 'fareAmount', reason: 'fare_amount is blank' });
  });
});
