import { batchOutcome } from '../../../src/process/batch-outcome';
import { batchReport } from '../../support/batch-reports';
import { eventOf, kinesisRecordFactory } from '../../support/kinesis-events';

function eventArrivedAt(...arrivalSeconds: number[]) {
  return eventOf(
    arrivalSeconds.map((seconds, index) => {
      const record = kinesisRecordFactory('', String(index + 1), 'shardId-000000000007');
      record.kinesis.approximateArrivalTimestamp = seconds;
      return record;
    }),
  );
}

describe('batchOutcome', () => {
  it("records the shard's status at the last record the batch settled", () => {
    // Prepare
    const event = eventArrivedAt(100, 101, 102);

    // Act
    const { shardStatus } = batchOutcome(event, batchReport({ settled: 2, newestPickupMs: 50_000 }), 103_500);

    // Assess
    expect(shardStatus).toEqual({
      shardId: 'shardId-000000000007',
      lastAppliedAtMs: 103_500,
      lastRecordArrivedAtMs: 101_000,
      iteratorAgeMs: 2_500,
      lastSequenceNumber: event.Records[1].kinesis.sequenceNumber,
      newestPickupMs: 50_000,
    });
  });

  it('records no status when the batch settled no record', () => {
    expect(batchOutcome(eventArrivedAt(100), batchReport({ settled: 0 }), 200_000).shardStatus).toBeUndefined();
    expect(batchOutcome(eventOf([]), batchReport({ records: 0, settled: 0 }), 200_000).shardStatus).toBeUndefined();
  });

  it('adds one rejection metric per reason, with the reason as a dimension, after the batch metrics', () => {
    // Act
    const { metrics } = batchOutcome(
      eventArrivedAt(100),
      batchReport({ rejected: 3, rejectedByReason: { UNKNOWN_ZONE: 2, INVALID_TIME: 1 } }),
      101_000,
    );

    // Assess
    expect(metrics.filter(({ dimensions }) => dimensions)).toEqual([
      { name: 'TripsRejectedByReason', unit: 'Count', value: 2, dimensions: { reason: 'UNKNOWN_ZONE' } },
      { name: 'TripsRejectedByReason', unit: 'Count', value: 1, dimensions: { reason: 'INVALID_TIME' } },
    ]);
    expect(metrics.slice(0, -2).every(({ dimensions }) => dimensions === undefined)).toBe(true);
    expect(metrics.find(({ name }) => name === 'TripsRejected')?.value).toBe(3);
  });
});
