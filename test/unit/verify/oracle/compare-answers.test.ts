import { fareTrendDifferences, peakHoursDifferences } from '../../../../verify/oracle/compare-answers';
import type { OracleFareBucket, OraclePeakHours } from '../../../../verify/oracle/tlc-oracle';

const BUCKET: OracleFareBucket = {
  start: '2023-02-01T00:00:00-05:00',
  trips: 3,
  averageFare: 12.5,
  averageTotal: 16.25,
  averageTip: 2,
  averageFarePerMile: 4.1,
  medianFare: 12,
  p90Fare: 20,
};

const PEAK: OraclePeakHours = {
  top: [{ hourStart: '2023-02-01T08:00:00-05:00', trips: 3 }],
  byHourOfDay: Array.from({ length: 24 }, (_, hourOfDay) => ({ hourOfDay, trips: hourOfDay === 8 ? 3 : 0 })),
  totalTrips: 3,
};

describe('fareTrendDifferences', () => {
  it('finds none in the same buckets, nor in quantiles within 1%', () => {
    // Act
    const differences = fareTrendDifferences([{ ...BUCKET, medianFare: 12.1 }], [BUCKET]);

    // Assess
    expect(differences).toEqual([]);
  });

  it('names a trip count, a cent and a quantile off by more than 1%', () => {
    // Act
    const differences = fareTrendDifferences([{ ...BUCKET, trips: 4, averageTip: 2.01, p90Fare: 20.5 }], [BUCKET]);

    // Assess
    expect(differences).toEqual(['2023-02-01T00:00:00-05:00: trips 4 vs 3; averageTip 2.01 vs 2; p90Fare 20.5 vs 20']);
  });

  it('names a missing bucket', () => {
    // Act
    const differences = fareTrendDifferences([], [BUCKET]);

    // Assess
    expect(differences).toEqual(['0 buckets, expected 1 (first different start: none vs 2023-02-01T00:00:00-05:00)']);
  });
});

describe('peakHoursDifferences', () => {
  it('finds none in the same answer', () => {
    // Act
    const differences = peakHoursDifferences(structuredClone(PEAK), PEAK);

    // Assess
    expect(differences).toEqual([]);
  });

  it('names the total, the hour of day and the top hours that differ', () => {
    // Prepare
    const counted = structuredClone(PEAK);
    counted.totalTrips = 4;
    counted.byHourOfDay[8].trips = 4;
    counted.top[0].trips = 4;

    // Act
    const differences = peakHoursDifferences(counted, PEAK);

    // Assess
    expect(differences).toEqual([
      'totalTrips 4, expected 3',
      'hour of day 8: 4 trips, expected 3',
      'top hours [2023-02-01T08:00:00-05:00=4], expected [2023-02-01T08:00:00-05:00=3]',
    ]);
  });
});
