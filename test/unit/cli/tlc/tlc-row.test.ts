import fc from 'fast-check';
import { detectTlcHeader, type TlcField } from '../../../../src/cli/tlc/tlc-header';
import { toLocalDateTimeText, toTlcRow, type TlcCell } from '../../../../src/cli/tlc/tlc-row';

const HEADER = detectTlcHeader('rows.csv', [
  'VendorID',
  'tpep_pickup_datetime',
  'tpep_dropoff_datetime',
  'passenger_count',
  'trip_distance',
  'RatecodeID',
  'PULocationID',
  'DOLocationID',
  'payment_type',
  'fare_amount',
  'tip_amount',
  'tolls_amount',
  'total_amount',
]);

const GOOD_CELLS: Record<TlcField, TlcCell> = {
  vendorId: '2',
  pickupAt: '2023-02-01 08:00:00',
  dropoffAt: '2023-02-01 08:20:00',
  passengerCount: '1',
  tripDistanceMiles: '2.5',
  rateCodeId: '1',
  pickupZoneId: '132',
  dropoffZoneId: '1',
  paymentType: '1',
  fareAmount: '12.5',
  tipAmount: '2',
  tollsAmount: '0',
  totalAmount: '17.3',
};

function rowOf(overrides: Partial<Record<TlcField, TlcCell>>) {
  const cells = { ...GOOD_CELLS, ...overrides };
  return toTlcRow((field) => cells[field], HEADER, 7, 'abc-7');
}

describe('toTlcRow', () => {
  it('builds the TripInput of a row, local times without an offset', () => {
    // Act
    const row = rowOf({});

    // Assess
    expect(row).toEqual({
      kind: 'trip',
      row: 7,
      trip: {
        tripId: 'abc-7',
        vendorId: 2,
        pickupAt: '2023-02-01T08:00:00',
        dropoffAt: '2023-02-01T08:20:00',
        pickupZoneId: 132,
        dropoffZoneId: 1,
        passengerCount: 1,
        rateCodeId: 1,
        paymentType: 1,
        tripDistanceMiles: 2.5,
        fareAmount: 12.5,
        tipAmount: 2,
        tollsAmount: 0,
        totalAmount: 17.3,
      },
    });
  });

  it('turns blank optional fields into null', () => {
    // Act
    const row = rowOf({ vendorId: '', passengerCount: ' ', rateCodeId: null, paymentType: undefined, tipAmount: '', tollsAmount: null });

    // Assess
    expect(row).toMatchObject({
      kind: 'trip',
      trip: { vendorId: null, passengerCount: null, rateCodeId: null, paymentType: null, tipAmount: null, tollsAmount: null },
    });
  });

  it('turns a fraction in an optional integer field into null, as the API would drop it', () => {
    // Act
    const row = rowOf({ passengerCount: '1.5', rateCodeId: '99999999999' });

    // Assess
    expect(row).toMatchObject({ kind: 'trip', trip: { passengerCount: null, rateCodeId: null } });
  });

  it('passes invalid but expressible trips on for the API to reject (negative fare, zone 999, pickup in 2008)', () => {
    // Act
    const row = rowOf({ fareAmount: '-3.5', pickupZoneId: '999', pickupAt: '2008-12-31 23:12:22', tipAmount: '-1' });

    // Assess
    expect(row).toMatchObject({
      kind: 'trip',
      trip: { fareAmount: -3.5, pickupZoneId: 999, pickupAt: '2008-12-31T23:12:22', tipAmount: -1 },
    });
  });

  it.each([
    [{ pickupAt: '' }, 'pickupAt', 'tpep_pickup_datetime is blank'],
    [{ dropoffAt: '01/02/2023 08:00' }, 'dropoffAt', 'tpep_dropoff_datetime is not a date-time: "01/02/2023 08:00"'],
    [{ pickupZoneId: '1.5' }, 'pickupZoneId', 'PULocationID is not an integer: 1.5'],
    [{ dropoffZoneId: null }, 'dropoffZoneId', 'DOLocationID is blank'],
    [{ tripDistanceMiles: '1,2' }, 'tripDistanceMiles', 'trip_distance is not a number: "1,2"'],
    [{ fareAmount: 'Infinity' }, 'fareAmount', 'fare_amount is not a number: "Infinity"'],
    [{ totalAmount: Number.NaN }, 'totalAmount', 'total_amount is not a number: NaN'],
    [{ vendorId: 'VTS' }, 'vendorId', 'VendorID is not a number: "VTS"'],
    [{ tipAmount: '0x10' }, 'tipAmount', 'tip_amount is not a number: "0x10"'],
  ] as const)('makes a row with %j unreadable, naming field %s', (overrides, field, reason) => {
    // Act
    const row = rowOf(overrides);

    // Assess
    expect(row).toEqual({ kind: 'unreadable', row: 7, field, column: reason.split(' ')[0], reason });
  });

  it('reads any decimal text as the number it names, and Parquet numbers and bigints as they are', () => {
    // Prepare
    const decimals = fc
      .tuple(fc.nat({ max: 99999 }), fc.nat({ max: 99 }))
      .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);

    fc.assert(
      fc.property(decimals, fc.integer({ min: 1, max: 265 }), (text, zone) => {
        // Act
        const fromText = rowOf({ fareAmount: text, pickupZoneId: String(zone) });
        const fromParquet = rowOf({ fareAmount: Number(text), pickupZoneId: BigInt(zone) });

        // Assess
        expect(fromText).toMatchObject({ kind: 'trip', trip: { fareAmount: Number(text), pickupZoneId: zone } });
        expect(fromParquet).toEqual(fromText);
      }),
    );
  });
});

describe('toLocalDateTimeText', () => {
  it.each([
    ['2020-10-01 00:31:19', '2020-10-01T00:31:19'],
    ['2020-10-01T00:31:19', '2020-10-01T00:31:19'],
    ['2020-10-01 00:31', '2020-10-01T00:31:00'],
    ['2020-10-01 00:31:19.250', '2020-10-01T00:31:19.250'],
    ['2019-03-10 02:30:00', '2019-03-10T02:30:00'],
  ])('writes %s as %s, unshifted', (cell, text) => {
    // Act
    const result = toLocalDateTimeText(cell);

    // Assess
    expect(result).toEqual({ text });
  });

  it.each(['2023-02-30 00:00:00', '2023-02-01 24:00:00', '2023-02-01', '2023-02-01T08:00:00Z', 'yesterday'])('refuses %s', (cell) => {
    // Act
    const result = toLocalDateTimeText(cell);

    // Assess
    expect(result).toEqual({ reason: expect.stringMatching(/^not a date-time/) });
  });
});
