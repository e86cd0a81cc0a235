import { STREAM_RECORD_VERSION, type StreamRecord } from '../../../src/ingest/stream-record';
import { processBatch } from '../../../src/process/process-batch';
import { countersKey, itemKeyId, markAttribute, markValue, tripTargetKey } from '../../../src/store/keys';
import { PREVIOUS_STREAM_SHARD_PREFIX, SummingStore } from '../../../src/store/summing-store';
import { tripIncrements } from '../../../src/store/trip-increments';
import { tripTargets } from '../../../src/domain/trip-targets';
import type { Trip } from '../../../src/domain/trip';
import { eventOf, kinesisRecordFactory, sequenceNumber, streamRecordFactory, tripRecord } from '../../support/kinesis-events';
import { validTrip } from '../../support/trip-factory';

const SHARD = 'shardId-000000000000';

function rejection(tripId: string): StreamRecord {
  return {
    v: STREAM_RECORD_VERSION,
    type: 'rejection',
    submittedAtMs: 1,
    tripId,
    reason: 'NEGATIVE_AMOUNT',
    field: 'fareAmount',
    message: 'fareAmount must not be negative',
    submission: { tripId },
  };
}

function itemsOf(store: SummingStore): Map<string, Record<string, unknown>> {
  return new Map([...store.finalItems()].map(({ item }) => [itemKeyId(item), item]));
}

/** What the given trips add to each of their items, summed: the figures the items must hold. */
function expectedFigures(trips: readonly Trip[]): Map<string, Record<string, number>> {
  const expected = new Map<string, Record<string, number>>();
  for (const trip of trips) {
    for (const target of tripTargets(trip)) {
      const id = itemKeyId(tripTargetKey(target));
      const figures = expected.get(id) ?? {};
      for (const [name, amount] of tripIncrements(trip, target)) figures[name] = (figures[name] ?? 0) + amount;
      expected.set(id, figures);
    }
  }
  return expected;
}

const withoutMarksAndKey = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith('mark') && name !== 'pk' && name !== 'sk'));

describe('SummingStore: the processor store in memory, for the rebuild', () => {
  it('sums the first valid record of each tripId into its items and counts the rest as the processor does', async () => {
    // Prepare: a trip, its resubmission with another fare, a rejection later valid, a poison record
    const first = validTrip({ tripId: 'a', fareAmount: 10, totalAmount: 12 });
    const resubmitted = validTrip({ tripId: 'a', fareAmount: 99, totalAmount: 120 });
    const corrected = validTrip({ tripId: 'b', pickupAt: '2023-02-02T23:50:00', dropoffAt: '2023-02-03T00:10:00' });
    const ledgerItems: Record<string, unknown>[] = [];
    const store = new SummingStore({ onLedgerItem: (item) => ledgerItems.push(item) });
    const records = [
      streamRecordFactory(tripRecord(first), sequenceNumber(1), SHARD),
      streamRecordFactory(rejection('b'), sequenceNumber(2), SHARD),
      streamRecordFactory(tripRecord(resubmitted), sequenceNumber(3), SHARD),
      streamRecordFactory(tripRecord(corrected), sequenceNumber(4), SHARD),
      kinesisRecordFactory(Buffer.from('not json').toString('base64'), sequenceNumber(5), SHARD),
    ];

    // Act: two calls, as the rebuild splits the lake into batches
    await processBatch(eventOf(records.slice(0, 2)), store);
    await processBatch(eventOf(records.slice(2)), store);

    // Assess
    const items = itemsOf(store);
    const expected = expectedFigures([first, corrected]);
    expect(items.size).toBe(expected.size + 1);
    for (const [id, figures] of expected) expect(withoutMarksAndKey(items.get(id)!)).toEqual(figures);
    expect(withoutMarksAndKey(items.get(itemKeyId(countersKey()))!)).toEqual({
      accepted: 2,
      duplicates: 1,
      rejected_NEGATIVE_AMOUNT: 1,
      poison: 1,
    });
    expect(ledgerItems.map((item) => [item.pk, item.sequenceNumber])).toEqual([
      ['TRIP#a', sequenceNumber(1)],
      ['REJECTED#b', sequenceNumber(2)],
      ['TRIP#b', sequenceNumber(4)],
      [`POISON#${SHARD}`, sequenceNumber(5)],
    ]);
    expect(store.itemCounts()).toEqual({ 'pickup aggregate': 10, flow: expected.size - 10, counters: 1 });
  });

  it("sets each item's mark of a shard to the last record it holds, so a processor reading the stream again skips them", async () => {
    // Prepare
    const early = validTrip({ pickupAt: '2023-02-01T08:00:00', dropoffAt: '2023-02-01T08:20:00' });
    const late = validTrip({ pickupAt: '2023-02-01T08:30:00', dropoffAt: '2023-02-01T08:50:00' });
    const store = new SummingStore();

    // Act
    await processBatch(eventOf([streamRecordFactory(tripRecord(early), sequenceNumber(7), SHARD)]), store);
    await processBatch(eventOf([streamRecordFactory(tripRecord(late), sequenceNumber(9), 'shardId-000000000001')]), store);

    // Assess: the city hour holds both, one mark per shard; the counters the last record of each shard
    const items = itemsOf(store);
    const cityHour = items.get(itemKeyId(tripTargetKey(tripTargets(early)[0])))!;
    expect(cityHour[markAttribute(SHARD)]).toBe(markValue(sequenceNumber(7)));
    expect(cityHour[markAttribute('shardId-000000000001')]).toBe(markValue(sequenceNumber(9)));
    expect(cityHour.n).toBe(2);
  });

  it('counts a record the lake holds twice once, by the same mark rule as the live store', async () => {
    // Prepare: the same record (same shard and sequence number) in two batches, as a retried delivery
    const trip = validTrip();
    const record = streamRecordFactory(tripRecord(trip), sequenceNumber(3), SHARD);
    const ledgerItems: unknown[] = [];
    const store = new SummingStore({ onLedgerItem: (item) => ledgerItems.push(item) });

    // Act
    await processBatch(eventOf([record]), store);
    await processBatch(eventOf([record]), store);

    // Assess
    const items = itemsOf(store);
    for (const [id, figures] of expectedFigures([trip])) expect(withoutMarksAndKey(items.get(id)!)).toEqual(figures);
    expect(items.get(itemKeyId(countersKey()))!.accepted).toBe(1);
    expect(ledgerItems).toHaveLength(1);
  });

  it('for another stream, writes no marks and names the lake shards in the ledger as earlier ones', async () => {
    // Prepare
    const ledgerItems: Record<string, unknown>[] = [];
    const store = new SummingStore({ marks: 'new-stream', onLedgerItem: (item) => ledgerItems.push(item) });

    // Act
    await processBatch(eventOf([streamRecordFactory(tripRecord(validTrip({ tripId: 'x' })), sequenceNumber(1), SHARD)]), store);

    // Assess
    for (const { item } of store.finalItems()) expect(Object.keys(item).filter((name) => name.startsWith('mark'))).toEqual([]);
    expect(ledgerItems[0]).toMatchObject({
      pk: 'TRIP#x',
      shardId: `${PREVIOUS_STREAM_SHARD_PREFIX}${SHARD}`,
      sequenceNumber: sequenceNumber(1),
    });
  });
});
