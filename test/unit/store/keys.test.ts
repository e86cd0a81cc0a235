import fc from 'fast-check';
import { isMarkAttribute, markAttribute, markValue, sequenceNumberOfMark } from '../../../src/store/keys';

/** Decimal strings as Kinesis writes sequence numbers: no leading zeros, up to 129 digits. */
const sequenceNumberArb = fc.oneof(
  fc.constant('0'),
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 128 }))
    .map(([first, rest]) => `${first}${rest.join('')}`),
);

describe('exactly-once marks', () => {
  it('name a Kinesis shard by its number, any other shard id in full', () => {
    expect(markAttribute('shardId-000000000000')).toBe('mark0');
    expect(markAttribute('shardId-000000000012')).toBe('mark12');
    expect(markAttribute('local-shard')).toBe('mark_local-shard');
    expect(isMarkAttribute(markAttribute('shardId-000000000003'))).toBe(true);
    for (const other of ['trips', 'fareCents', 'h07', 'q12_340', 'rejected_UNKNOWN_ZONE', 'accepted', 'sequenceNumber'])
      expect(isMarkAttribute(other)).toBe(false);
  });

  it('hold a 56-digit sequence number in 59 characters and give it back', () => {
    const sequenceNumber = '49590338271490256608559692538361571095921575989136588898';
    expect(markValue(sequenceNumber)).toHaveLength(59);
    expect(sequenceNumberOfMark(markValue(sequenceNumber))).toBe(BigInt(sequenceNumber));
  });

  it('order as strings exactly as their sequence numbers order as numbers (what the condition compares)', () => {
    fc.assert(
      fc.property(sequenceNumberArb, sequenceNumberArb, (a, b) => {
        const numeric = Math.sign(Number(BigInt(a) - BigInt(b)));
        const asStrings = markValue(a) < markValue(b) ? -1 : markValue(a) > markValue(b) ? 1 : 0;
        expect(asStrings).toBe(numeric);
        expect(sequenceNumberOfMark(markValue(a))).toBe(BigInt(a));
      }),
      { numRuns: 2000 },
    );
  });
});
