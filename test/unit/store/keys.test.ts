import fc from 'fast-check';
import { BOROUGH_CODES } from '../../../src/domain/borough';
import type { AggregateScope, StoredGranularity } from '../../../src/domain/scope';
import {
  aggregatePartition,
  aggregateSpanQuery,
  checkpointKey,
  checkpointsQuery,
  flowKey,
  flowPartition,
  flowSpanQuery,
  isMarkAttribute,
  itemKeyId,
  markAttribute,
  markValue,
  MAX_SEQUENCE_NUMBER_DIGITS,
  parseAggregatePartition,
  parseFlowPartition,
  partitionOfKeyCondition,
  poisonRecordKey,
  sequenceNumberOfMark,
  shardIdOfCheckpoint,
  shardStatusKey,
  shardStatusQuery,
  tripTargetKey,
} from '../../../src/store/keys';
import { tripTargets } from '../../../src/domain/trip-targets';
import { validTrip } from '../../support/trip-factory';

/** Decimal strings as Kinesis writes sequence numbers (pattern `0|([1-9]\d{0,128})`): no leading zeros. */
function sequenceNumbers(maxDigits: number) {
  return fc.oneof(
    fc.constant('0'),
    fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: maxDigits - 1 }))
      .map(([first, rest]) => `${first}${rest.join('')}`),
  );
}
const sequenceNumberArb = sequenceNumbers(MAX_SEQUENCE_NUMBER_DIGITS);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const numericCompare = (a: string, b: string) => Math.sign(Number(BigInt(a) - BigInt(b)));

describe('sequence numbers', () => {
  it('have up to 129 digits, as the Kinesis API reference gives their pattern', () => {
    expect(MAX_SEQUENCE_NUMBER_DIGITS).toBe(129);
  });

  it('order as their poison record sort keys for up to 128 digits, and a 129-digit one keeps a key of its own', () => {
    // Prepare
    const longest = `1${'0'.repeat(MAX_SEQUENCE_NUMBER_DIGITS - 1)}`;

    // Act
    const key = poisonRecordKey('shardId-000000000000', longest);

    // Assess
    fc.assert(
      fc.property(sequenceNumbers(MAX_SEQUENCE_NUMBER_DIGITS - 1), sequenceNumbers(MAX_SEQUENCE_NUMBER_DIGITS - 1), (a, b) => {
        expect(compare(poisonRecordKey('s', a).sk, poisonRecordKey('s', b).sk)).toBe(numericCompare(a, b));
      }),
      { numRuns: 500 },
    );
    expect(key.sk).toBe(longest);
    expect(poisonRecordKey('shardId-000000000000', '42').sk).toHaveLength(128);
  });
});

const SCOPES: AggregateScope[] = [
  { kind: 'CITY' },
  ...BOROUGH_CODES.map((borough): AggregateScope => ({ kind: 'BOROUGH', borough })),
  ...Array.from({ length: 265 }, (_, index): AggregateScope => ({ kind: 'ZONE', zoneId: index + 1 })),
];

describe('aggregate keys', () => {
  it('parse back into the scope and granularity they were built from', () => {
    for (const scope of SCOPES) {
      for (const granularity of ['HOUR', 'DAY'] as StoredGranularity[]) {
        expect(parseAggregatePartition(aggregatePartition(scope, granularity))).toEqual({ scope, granularity });
      }
    }
  });

  it('parse no other key as an aggregate partition', () => {
    for (const other of ['TRIP#abc', 'STATS', 'STATUS', 'AGG#CITY#WEEK', 'AGG#ZONE#74#DAY', 'AGG#BOROUGH#ATLANTIS#DAY', 'AGG#CITY', ''])
      expect(parseAggregatePartition(other)).toBeUndefined();
  });

  it('select a span of one partition by sort key, both ends included', () => {
    // Act
    const query = aggregateSpanQuery({ kind: 'ZONE', zoneId: 74 }, 'DAY', ['2023-02-01', '2023-02-28']);

    // Assess
    expect(query).toEqual({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'AGG#ZONE#074#DAY', ':from': '2023-02-01', ':to': '2023-02-28' },
    });
    expect(partitionOfKeyCondition(query)).toBe('AGG#ZONE#074#DAY');
  });
});

describe('flow keys', () => {
  it('keep each granularity in a partition of its own, which parses back, and no aggregate partition parses as one', () => {
    expect(flowKey('HOUR', '2023-02-01T08')).toEqual({ pk: 'FLOW#HOUR', sk: '2023-02-01T08' });
    expect(flowKey('DAY', '2023-02-01')).toEqual({ pk: 'FLOW#DAY', sk: '2023-02-01' });
    expect(parseFlowPartition(flowPartition('HOUR'))).toBe('HOUR');
    expect(parseFlowPartition(flowPartition('DAY'))).toBe('DAY');
    for (const other of ['FLOW#WEEK', 'FLOW', 'FLOW#DAY#x', 'AGG#CITY#DAY', ''] as const) expect(parseFlowPartition(other)).toBeUndefined();
    for (const scope of SCOPES) expect(parseFlowPartition(aggregatePartition(scope, 'DAY'))).toBeUndefined();
    expect(parseAggregatePartition(flowPartition('DAY'))).toBeUndefined();
  });

  it('select a span of flow items by sort key, both ends included', () => {
    // Act
    const query = flowSpanQuery('HOUR', ['2023-02-01T08', '2023-02-01T23']);

    // Assess
    expect(query).toEqual({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'FLOW#HOUR', ':from': '2023-02-01T08', ':to': '2023-02-01T23' },
    });
  });

  it('give every target of a trip an item of its own: pickup aggregates under AGG, flow buckets under FLOW', () => {
    // Prepare: a ride across midnight, so that pickup and drop-off land in different HOUR and DAY flow items.
    const trip = validTrip({ pickupAt: '2023-02-01T23:50:00', dropoffAt: '2023-02-02T00:10:00', pickupZoneId: 74, dropoffZoneId: 132 });

    // Act
    const keys = tripTargets(trip).map(tripTargetKey);

    // Assess
    expect(new Set(keys.map(itemKeyId)).size).toBe(keys.length);
    expect(keys.filter((key) => key.pk.startsWith('FLOW#'))).toEqual([
      { pk: 'FLOW#HOUR', sk: '2023-02-01T23' },
      { pk: 'FLOW#HOUR', sk: '2023-02-02T00' },
      { pk: 'FLOW#DAY', sk: '2023-02-01' },
      { pk: 'FLOW#DAY', sk: '2023-02-02' },
    ]);
    expect(keys.filter((key) => key.pk.startsWith('AGG#'))).toHaveLength(5);
  });
});

describe('status and checkpoint keys', () => {
  it('select every shard status item, and only those, of their partition', () => {
    const query = shardStatusQuery();
    const { pk, sk } = shardStatusKey('shardId-000000000001');
    expect(partitionOfKeyCondition(query)).toBe(pk);
    expect(sk.startsWith(query.ExpressionAttributeValues[':prefix'])).toBe(true);
  });

  it('select the checkpoints of one stream and give back each shard id', () => {
    const key = checkpointKey('trips', 'shardId-000000000003');
    expect(partitionOfKeyCondition(checkpointsQuery('trips'))).toBe(key.pk);
    expect(partitionOfKeyCondition(checkpointsQuery('other'))).not.toBe(key.pk);
    expect(shardIdOfCheckpoint(key)).toBe('shardId-000000000003');
  });
});

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
        const asStrings = compare(markValue(a), markValue(b));
        expect(asStrings).toBe(numeric);
        expect(sequenceNumberOfMark(markValue(a))).toBe(BigInt(a));
      }),
      { numRuns: 2000 },
    );
  });
});
