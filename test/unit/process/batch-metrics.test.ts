import { batchMetrics } from '../../../src/process/batch-metrics';
import { batchReport } from '../../support/batch-reports';
import { eventOf, kinesisRecordFactory } from '../../support/kinesis-events';

describe('batchMetrics', () => {
  it('reports the counts and costs of the batch', () => {
    const metrics = batchMetrics(eventOf([]), batchReport(), 0);
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
    const metrics = batchMetrics(eventOf([first, second]), batchReport({ newestPickupMs: 900_000 }), 1_002_000);

    // Assess
    expect(metrics).toEqual(
      expect.arrayContaining([
        { name: 'ProcessingLagMs', unit: 'Milliseconds', value: 2000 },
        { name: 'EventLagMs', unit: 'Milliseconds', value: 102_000 },
      ]),
    );
  });
});
