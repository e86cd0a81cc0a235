import { validateTrip, type TripSubmission } from '../../../src/domain/trip';

function submission(overrides: Partial<TripSubmission> = {}): TripSubmission {
  return {
    tripId: 'trip-1',
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:40:00',
    pickupZoneId: 132,
    dropoffZoneId: 236,
    tripDistanceMiles: 17.45,
    fareAmount: 52.3,
    tipAmount: 11.06,
    tollsAmount: 6.55,
    totalAmount: 75.41,
    ...overrides,
  };
}

function rejectionOf(overrides: Partial<TripSubmission>) {
  const result = validateTrip(submission(overrides));
  return result.ok ? undefined : result.rejection;
}

describe('validateTrip', () => {
  it('normalises a valid trip to integer cents, hundredths of a mile and instants', () => {
    // Act
    const result = validateTrip(submission());

    // Assess
    expect(result).toEqual({
      ok: true,
      trip: expect.objectContaining({
        tripId: 'trip-1',
        pickupAtMs: Date.parse('2023-02-01T13:15:00Z'),
        dropoffAtMs: Date.parse('2023-02-01T13:40:00Z'),
        distanceHundredths: 1745,
        fareCents: 5230,
        tipCents: 1106,
        tollsCents: 655,
        totalCents: 7541,
      }),
    });
  });

  it('reads a time with an offset as that instant', () => {
    const result = validateTrip(submission({ pickupAt: '2023-02-01T13:15:00Z', dropoffAt: '2023-02-01T08:40:00-05:00' }));
    expect(result.ok && result.trip.pickupAtMs).toBe(Date.parse('2023-02-01T13:15:00Z'));
  });

  it('counts a missing tip and tolls as zero and drops non-integer descriptive fields', () => {
    const result = validateTrip(submission({ tipAmount: null, tollsAmount: undefined, vendorId: 1.5, passengerCount: null }));
    expect(result.ok && [result.trip.tipCents, result.trip.tollsCents, result.trip.vendorId, result.trip.passengerCount]).toEqual([
      0,
      0,
      undefined,
      undefined,
    ]);
  });

  it.each([
    [{ tripId: '' }, 'INVALID_TRIP_ID', 'tripId'],
    [{ tripId: 'x'.repeat(129) }, 'INVALID_TRIP_ID', 'tripId'],
    [{ pickupAt: 'yesterday' }, 'INVALID_TIME', 'pickupAt'],
    [{ dropoffAt: '2023-02-30T10:00:00' }, 'INVALID_TIME', 'dropoffAt'],
    [{ pickupAt: '2008-12-31T23:59:59', dropoffAt: '2009-01-01T00:10:00' }, 'PICKUP_BEFORE_2009', 'pickupAt'],
    [{ dropoffAt: '2023-02-01T08:14:59' }, 'DROPOFF_BEFORE_PICKUP', 'dropoffAt'],
    [{ dropoffAt: '2023-02-02T08:15:01' }, 'TRIP_LONGER_THAN_24_HOURS', 'dropoffAt'],
    [{ pickupZoneId: 0 }, 'UNKNOWN_ZONE', 'pickupZoneId'],
    [{ dropoffZoneId: 266 }, 'UNKNOWN_ZONE', 'dropoffZoneId'],
    [{ tripDistanceMiles: -0.01 }, 'DISTANCE_OUT_OF_RANGE', 'tripDistanceMiles'],
    [{ tripDistanceMiles: 500.01 }, 'DISTANCE_OUT_OF_RANGE', 'tripDistanceMiles'],
    [{ fareAmount: -2.5 }, 'AMOUNT_OUT_OF_RANGE', 'fareAmount'],
    [{ totalAmount: 10000.01 }, 'AMOUNT_OUT_OF_RANGE', 'totalAmount'],
    [{ fareAmount: Number.NaN }, 'AMOUNT_OUT_OF_RANGE', 'fareAmount'],
    [{ tipAmount: -1 }, 'NEGATIVE_AMOUNT', 'tipAmount'],
    [{ tollsAmount: -0.01 }, 'NEGATIVE_AMOUNT', 'tollsAmount'],
  ] as Array<[Partial<TripSubmission>, string, string]>)('rejects %j with %s on %s', (overrides, reason, field) => {
    expect(rejectionOf(overrides)).toMatchObject({ reason, field });
  });

  it('accepts the boundaries of every rule', () => {
    const result = validateTrip(
      submission({
        pickupAt: '2009-01-01T00:00:00',
        dropoffAt: '2009-01-02T00:00:00',
        tripDistanceMiles: 500,
        fareAmount: 10000,
        totalAmount: 0,
        tipAmount: 0,
      }),
    );
    expect(result.ok).toBe(true);
  });

  it('measures the 24-hour limit in real elapsed time across a DST change', () => {
    // 2023-03-12 has 23 hours: local 00:30 -> next day 01:00 is 23.5 hours of real time
    expect(validateTrip(submission({ pickupAt: '2023-03-12T00:30:00', dropoffAt: '2023-03-13T01:00:00' })).ok).toBe(true);
    expect(rejectionOf({ pickupAt: '2023-11-05T00:30:00', dropoffAt: '2023-11-06T00:00:00' })?.reason).toBe('TRIP_LONGER_THAN_24_HOURS');
  });
});
