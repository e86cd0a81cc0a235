import { batchMetrics } from '../../../src/process/batch-metrics';
import type { BatchReport } from '../../../src/process/process-batch';
import { eventOf, kinesisRecordFactory } from '../../support/kinesis-events';

function report(overrides: Partial<BatchReport> = {}): BatchReport {
  return {
    records: 3,
    accepted: 2,
    duplicates: 1,
    rejected: 0,
    poison: 0,
    settled: 3,
    writeUnits: 14,
    itemsWritten: 11,
    rejectedByReason: {},
    ...overrides,
  };
}

describe('batchMetrics', () => {
  it('reports the counts and costs of the batch', () => {
    const metrics = batchMetrics(eventOf([]), report(), 0);
    expect(Object.fromEntries(metrics.map(({ name, value }) => [name, value]))).toEqual({
      BatchSize: 3,
      TripsAccepted: 2,
      TripsRejected: 0,
      TripsDuplicate: 1,
      PoisonRecords: 0,
      AggregateWrites: 11,
      WriteUnits: 14,
    });
  });

  it('measures processing lag from the oldest arrival and event lag from the newest pickup', () => {
    // Prepare
    const first = kinesisRecordFactory('', '1');
    const second = kinesisRecordFactory('', '2');
    first.kinesis.approximateArrivalTimestamp = 1000;
    second.kinesis.approximateArrivalTimestamp = 1001.5;

    // Act
    const metrics = batchMetrics(eventOf([first, second]), report({ newestPickupMs: 900_000 }), 1_002_000);

    // Assess
    expect(metrics).toEqual(
      expect.arrayContaining([
        { name: 'ProcessingLagMs', unit: 'Milliseconds', value: 2000 },
        { name: 'EventLagMs', unit: 'Milliseconds', value: 102_000 },
      ]),
    );
  });
});
