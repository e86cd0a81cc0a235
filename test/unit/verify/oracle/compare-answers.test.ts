import {
  byHourOfWeekDifferences,
  fareTrendDifferences,
  operationsDifferences,
  peakHoursDifferences,
  zoneFlowsDifferences,
} from '../../../../verify/oracle/compare-answers';
import type { OracleHourOfWeek, OracleOperationsBucket, OracleZoneFlows } from '../../../../verify/oracle/operations-oracle';
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

const OPERATIONS: OracleOperationsBucket = {
  start: '2023-02-01T00:00:00-05:00',
  trips: 4,
  revenue: 109.5,
  averageDurationMinutes: 25,
  medianDurationMinutes: 20,
  p90DurationMinutes: 40,
  averageSpeedMph: 12,
  averagePassengers: 5 / 3,
  paymentMix: ['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED'].map((paymentType, index) => ({
    paymentType,
    trips: [0, 2, 1, 0, 0, 1, 0][index],
  })),
  cardTipRate: 5 / 30,
};

describe('operationsDifferences', () => {
  it('finds none in float noise on ratios, nor in quantiles within 1%', () => {
    // Act
    const differences = operationsDifferences(
      [{ ...OPERATIONS, averageSpeedMph: 12 * (1 + 1e-12), averagePassengers: 5 / 3 + 1e-15, medianDurationMinutes: 20.15 }],
      [OPERATIONS],
    );

    // Assess
    expect(differences).toEqual([]);
  });

  it('names a revenue a cent off, a ratio off by more than 1e-9, a quantile off by more than 1% and a payment count', () => {
    // Prepare
    const paymentMix = OPERATIONS.paymentMix.map((entry) => (entry.paymentType === 'UNKNOWN' ? { ...entry, trips: 0 } : entry));

    // Act
    const differences = operationsDifferences(
      [{ ...OPERATIONS, revenue: 109.51, averageDurationMinutes: 25.000001, p90DurationMinutes: 40.5, paymentMix }],
      [OPERATIONS],
    );

    // Assess
    expect(differences).toHaveLength(1);
    expect(differences[0]).toContain('revenue 109.51 vs 109.5');
    expect(differences[0]).toContain('averageDurationMinutes 25.000001 vs 25');
    expect(differences[0]).toContain('p90DurationMinutes 40.5 vs 40');
    expect(differences[0]).toContain('UNKNOWN=0');
  });

  it('wants null exactly where the oracle has null, and a zero quantile exactly 0', () => {
    const expected = { ...OPERATIONS, averageSpeedMph: null, medianDurationMinutes: 0 };
    expect(operationsDifferences([{ ...OPERATIONS, medianDurationMinutes: 0.001 }], [expected])).toEqual([
      '2023-02-01T00:00:00-05:00: averageSpeedMph 12 vs null; medianDurationMinutes 0.001 vs 0',
    ]);
    expect(operationsDifferences([{ ...OPERATIONS, cardTipRate: null }], [OPERATIONS])[0]).toContain('cardTipRate null vs');
  });

  it('names a missing bucket', () => {
    expect(operationsDifferences([], [OPERATIONS])).toEqual([
      '0 buckets, expected 1 (first different start: none vs 2023-02-01T00:00:00-05:00)',
    ]);
  });
});

const FLOWS: OracleZoneFlows = {
  zones: [
    { zoneId: 7, zoneName: 'Astoria', borough: 'QUEENS', pickups: 0, dropoffs: 1, net: 1 },
    { zoneId: 132, zoneName: 'JFK Airport', borough: 'QUEENS', pickups: 2, dropoffs: 1, net: -1 },
  ],
  totalPickups: 2,
  totalDropoffs: 2,
};

describe('zoneFlowsDifferences', () => {
  it('finds none in the same answer', () => {
    expect(zoneFlowsDifferences(structuredClone(FLOWS), FLOWS)).toEqual([]);
  });

  it('names totals, a missing zone and a wrong count or name', () => {
    // Prepare
    const answer = structuredClone(FLOWS);
    answer.zones = [{ ...answer.zones[1], dropoffs: 2, net: 0, zoneName: 'JFK' }];
    answer.totalDropoffs = 2;
    answer.totalPickups = 1;

    // Act
    const differences = zoneFlowsDifferences(answer, FLOWS);

    // Assess
    expect(differences).toEqual([
      'totalPickups 1, expected 2',
      'zones differ (missing [7], unexpected [], or out of zoneId order)',
      'zone 132: zoneName JFK vs JFK Airport; dropoffs 2 vs 1; net 0 vs -1',
    ]);
  });

  it('names zones out of zoneId order', () => {
    const answer = { ...FLOWS, zones: [...FLOWS.zones].reverse() };
    expect(zoneFlowsDifferences(answer, FLOWS)).toEqual(['zones differ (missing [], unexpected [], or out of zoneId order)']);
  });
});

describe('byHourOfWeekDifferences', () => {
  const WEEK: OracleHourOfWeek[] = Array.from({ length: 168 }, (_, index) => ({
    dayOfWeek: Math.floor(index / 24) + 1,
    hourOfDay: index % 24,
    trips: index === 56 ? 3 : 0,
  }));

  it('finds none in the same 168 entries', () => {
    expect(byHourOfWeekDifferences(structuredClone(WEEK), WEEK)).toEqual([]);
  });

  it('names a wrong count and a missing entry', () => {
    const answer = structuredClone(WEEK).slice(0, 167);
    answer[56].trips = 2;
    expect(byHourOfWeekDifferences(answer, WEEK)).toEqual([
      '167 entries, expected 168',
      'entry 56: day 3 hour 8 2 trips, expected day 3 hour 8 3 trips',
      'entry 167: none, expected day 7 hour 23 0 trips',
    ]);
  });
});
