import { nyInstant, oracleByHourOfWeek, oracleOperations, oracleZoneFlows, paymentTypeName, zonesOfLookup } from '../../../support/oracle';
import { tlcCsvTrips } from './tlc-csv';

const ny = (text: string) => nyInstant(text.split(/[-T: ]/).map(Number));

describe('validTrips, the fields of issue 10', () => {
  it('reads the drop-off zone and hour, the duration, passengers and payment code of each row, with its row number', async () => {
    // Act
    const [first, second] = await tlcCsvTrips([
      { pickup: '2023-02-01 08:50:00', dropoff: '2023-02-01 09:05:30', passengers: '2', payment: '2', pu: 74, do: 236 },
      { pickup: '2023-02-01 10:00:00', dropoff: '2023-02-01 10:00:00', passengers: '', payment: '' },
    ]);

    // Assess
    expect(first).toMatchObject({
      row: 1,
      local: { y: 2023, m: 2, d: 1, h: 8 },
      dropoffLocal: { y: 2023, m: 2, d: 1, h: 9 },
      pickupZoneId: 74,
      dropoffZoneId: 236,
      durationMs: 930_000,
      passengerCount: 2,
      paymentType: 2,
    });
    expect(second.row).toBe(2);
    expect(second.durationMs).toBe(0);
    expect(second.passengerCount).toBeUndefined();
    expect(second.paymentType).toBeUndefined();
  });

  it('keeps unusual payment codes as they are and drops a fractional passenger count', async () => {
    const trips = await tlcCsvTrips([
      { pickup: '2023-02-01 08:00:00', dropoff: '2023-02-01 08:10:00', payment: '5' },
      { pickup: '2023-02-01 08:00:00', dropoff: '2023-02-01 08:10:00', payment: '7', passengers: '1.5' },
    ]);
    expect(trips.map((trip) => [trip.paymentType, trip.passengerCount])).toEqual([
      [5, 1],
      [7, undefined],
    ]);
  });

  it('measures a duration across the fall-back hour in elapsed time', async () => {
    // 00:50 EDT to 01:10 on 2020-11-01: the earlier 01:10 (EDT), 20 minutes later.
    const [trip] = await tlcCsvTrips([{ pickup: '2020-11-01 00:50:00', dropoff: '2020-11-01 01:10:00' }]);
    expect(trip.durationMs).toBe(20 * 60_000);
    expect(trip.dropoffLocal.h).toBe(1);
  });
});

describe('paymentTypeName', () => {
  it('names codes 0..6 in the contract order and everything else UNKNOWN', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, -1, undefined].map(paymentTypeName)).toEqual([
      'FLEX_FARE',
      'CARD',
      'CASH',
      'NO_CHARGE',
      'DISPUTE',
      'UNKNOWN',
      'VOIDED',
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });
});

describe('oracleOperations', () => {
  it('computes every figure of a bucket by plain arithmetic over its trips', async () => {
    // Prepare: durations 10, 20, 30 and 40 minutes; 1 + 3 passengers over two trips that have a count
    const trips = await tlcCsvTrips([
      {
        pickup: '2023-02-01 08:00:00',
        dropoff: '2023-02-01 08:10:00',
        distance: '2.00',
        payment: '1',
        fare: '10.00',
        tip: '2.00',
        total: '13.00',
      },
      {
        pickup: '2023-02-01 08:05:00',
        dropoff: '2023-02-01 08:25:00',
        distance: '4.00',
        payment: '1',
        fare: '20.00',
        tip: '3.00',
        total: '24.50',
      },
      {
        pickup: '2023-02-01 08:10:00',
        dropoff: '2023-02-01 08:40:00',
        distance: '6.00',
        payment: '2',
        fare: '30.00',
        tip: '0',
        total: '31.00',
        passengers: '3',
      },
      {
        pickup: '2023-02-01 08:20:00',
        dropoff: '2023-02-01 09:00:00',
        distance: '8.00',
        payment: '',
        fare: '40.00',
        tip: '0',
        total: '41.00',
        passengers: '',
      },
    ]);

    // Act
    const [bucket] = oracleOperations(trips, 'HOUR', ny('2023-02-01 00:00:00'), ny('2023-02-02 00:00:00'));

    // Assess
    expect(bucket).toEqual({
      start: '2023-02-01T08:00:00-05:00',
      trips: 4,
      revenue: 109.5,
      averageDurationMinutes: 25,
      medianDurationMinutes: 20,
      p90DurationMinutes: 40,
      averageSpeedMph: 20 / (100 / 60),
      averagePassengers: 5 / 3,
      paymentMix: [
        { paymentType: 'FLEX_FARE', trips: 0 },
        { paymentType: 'CARD', trips: 2 },
        { paymentType: 'CASH', trips: 1 },
        { paymentType: 'NO_CHARGE', trips: 0 },
        { paymentType: 'DISPUTE', trips: 0 },
        { paymentType: 'UNKNOWN', trips: 1 },
        { paymentType: 'VOIDED', trips: 0 },
      ],
      cardTipRate: 5 / 30,
    });
  });

  it('answers null where the denominators are 0', async () => {
    const trips = await tlcCsvTrips([{ pickup: '2023-02-01 08:00:00', dropoff: '2023-02-01 08:00:00', payment: '2', passengers: '' }]);
    expect(oracleOperations(trips, 'DAY', ny('2023-02-01 00:00:00'), ny('2023-02-02 00:00:00'))[0]).toMatchObject({
      medianDurationMinutes: 0,
      averageSpeedMph: null,
      averagePassengers: null,
      cardTipRate: null,
    });
  });

  it('buckets by pickup time only, in time order, within the range', async () => {
    const trips = await tlcCsvTrips([
      { pickup: '2023-02-02 23:50:00', dropoff: '2023-02-03 00:20:00' },
      { pickup: '2023-02-01 12:00:00', dropoff: '2023-02-01 12:10:00' },
      { pickup: '2023-01-31 23:50:00', dropoff: '2023-02-01 00:10:00' },
    ]);
    const buckets = oracleOperations(trips, 'DAY', ny('2023-02-01 00:00:00'), ny('2023-03-01 00:00:00'));
    expect(buckets.map((bucket) => [bucket.start, bucket.trips])).toEqual([
      ['2023-02-01T00:00:00-05:00', 1],
      ['2023-02-02T00:00:00-05:00', 1],
    ]);
  });
});

describe('oracleZoneFlows', () => {
  const zones = zonesOfLookup();

  it('counts pickups by pickup hour and drop-offs by drop-off hour, zones in id order, with names and boroughs', async () => {
    // Prepare: from the evening before into the range, inside it, and out of it at the end
    const trips = await tlcCsvTrips([
      { pickup: '2023-01-31 23:50:00', dropoff: '2023-02-01 00:10:00', pu: 74, do: 132 },
      { pickup: '2023-02-01 08:00:00', dropoff: '2023-02-01 08:20:00', pu: 132, do: 7 },
      { pickup: '2023-02-28 23:50:00', dropoff: '2023-03-01 00:05:00', pu: 41, do: 42 },
    ]);

    // Act
    const all = oracleZoneFlows(trips, ny('2023-02-01 00:00:00'), ny('2023-03-01 00:00:00'), zones);
    const queens = oracleZoneFlows(trips, ny('2023-02-01 00:00:00'), ny('2023-03-01 00:00:00'), zones, 'QUEENS');

    // Assess
    expect(all).toEqual({
      zones: [
        { zoneId: 7, zoneName: 'Astoria', borough: 'QUEENS', pickups: 0, dropoffs: 1, net: 1 },
        { zoneId: 41, zoneName: 'Central Harlem', borough: 'MANHATTAN', pickups: 1, dropoffs: 0, net: -1 },
        { zoneId: 132, zoneName: 'JFK Airport', borough: 'QUEENS', pickups: 1, dropoffs: 1, net: 0 },
      ],
      totalPickups: 2,
      totalDropoffs: 2,
    });
    expect(queens.zones.map((zone) => zone.zoneId)).toEqual([7, 132]);
    expect([queens.totalPickups, queens.totalDropoffs]).toEqual([1, 2]);
  });

  it('counts a drop-off only when the start of its local hour is in the range', async () => {
    const trips = await tlcCsvTrips([{ pickup: '2023-02-01 08:50:00', dropoff: '2023-02-01 09:10:00', pu: 74, do: 75 }]);
    const result = oracleZoneFlows(trips, ny('2023-02-01 08:00:00'), ny('2023-02-01 09:00:00'), zones);
    expect(result.zones.map((zone) => [zone.zoneId, zone.pickups, zone.dropoffs])).toEqual([[74, 1, 0]]);
  });
});

describe('oracleByHourOfWeek', () => {
  it('lists 168 entries from Monday 00 and counts each trip at its local weekday and hour', async () => {
    // Prepare: Wednesday 2023-02-01 08:xx twice, Sunday 2023-02-05 23:xx once, Monday 2023-01-30 (before the range)
    const trips = await tlcCsvTrips([
      { pickup: '2023-02-01 08:10:00', dropoff: '2023-02-01 08:20:00' },
      { pickup: '2023-02-01 08:40:00', dropoff: '2023-02-01 09:20:00' },
      { pickup: '2023-02-05 23:10:00', dropoff: '2023-02-05 23:20:00' },
      { pickup: '2023-01-30 08:10:00', dropoff: '2023-01-30 08:20:00' },
    ]);

    // Act
    const result = oracleByHourOfWeek(trips, ny('2023-02-01 00:00:00'), ny('2023-03-01 00:00:00'));

    // Assess
    expect(result).toHaveLength(168);
    expect(result[0]).toEqual({ dayOfWeek: 1, hourOfDay: 0, trips: 0 });
    expect(result[2 * 24 + 8]).toEqual({ dayOfWeek: 3, hourOfDay: 8, trips: 2 });
    expect(result[167]).toEqual({ dayOfWeek: 7, hourOfDay: 23, trips: 1 });
    expect(result.reduce((sum, entry) => sum + entry.trips, 0)).toBe(3);
  });
});
