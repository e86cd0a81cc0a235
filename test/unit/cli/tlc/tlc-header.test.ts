import { UnknownTlcHeaderError } from '../../../../src/cli/tlc/tlc-errors';
import { detectTlcHeader, TLC_HEADER_STYLES } from '../../../../src/cli/tlc/tlc-header';

const YELLOW =
  'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge'.split(
    ',',
  );
const GREEN =
  'VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,store_and_fwd_flag,RatecodeID,PULocationID,DOLocationID,passenger_count,trip_distance,fare_amount,extra,mta_tax,tip_amount,tolls_amount,ehail_fee,improvement_surcharge,total_amount,payment_type,trip_type,congestion_surcharge'.split(
    ',',
  );
const RENAMED =
  'vendor_id,pickup_datetime,dropoff_datetime,passenger_count,trip_distance,rate_code_id,store_and_fwd_flag,pickup_location_id,dropoff_location_id,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge'.split(
    ',',
  );

describe('detectTlcHeader', () => {
  it.each([
    { style: 'yellow', columns: YELLOW },
    { style: 'green', columns: GREEN },
    { style: 'renamed', columns: RENAMED },
  ])('recognises the $style header of the committed files', ({ style, columns }) => {
    // Act
    const header = detectTlcHeader('trips.csv', columns);

    // Assess
    expect(header.style).toBe(style);
    for (const [field, column] of Object.entries(TLC_HEADER_STYLES[header.style])) {
      expect(columns[header.indexOf[field as keyof typeof header.indexOf]]).toBe(column);
    }
  });

  it('locates the green columns by name, not by their yellow positions', () => {
    // Act
    const header = detectTlcHeader('green.csv', GREEN);

    // Assess
    expect(header.indexOf).toMatchObject({
      pickupAt: 1,
      rateCodeId: 4,
      pickupZoneId: 5,
      tripDistanceMiles: 8,
      totalAmount: 16,
      paymentType: 17,
    });
  });

  it("matches names case-insensitively and trimmed, keeping the file's spelling for messages", () => {
    // Prepare: TLC's 2015 files spell RateCodeID; some exports pad names.
    const columns = YELLOW.map((column) =>
      column === 'RatecodeID' ? 'RateCodeID' : column === 'PULocationID' ? ' pulocationid ' : column,
    );

    // Act
    const header = detectTlcHeader('yellow-2015.csv', columns);

    // Assess
    expect(header.style).toBe('yellow');
    expect(header.columnOf.rateCodeId).toBe('RateCodeID');
    expect(header.columnOf.pickupZoneId).toBe('pulocationid');
  });

  it('throws UnknownTlcHeaderError naming the columns the closest style misses', () => {
    // Prepare
    const columns = GREEN.filter((column) => column !== 'tip_amount' && column !== 'DOLocationID');

    // Act
    const detect = (): unknown => detectTlcHeader('green-cut.csv', columns);

    // Assess
    expect(detect).toThrow(UnknownTlcHeaderError);
    expect(detect).toThrow(/closest style 'green' is missing column\(s\) DOLocationID, tip_amount/);
    try {
      detect();
    } catch (error) {
      expect(error).toMatchObject({ path: 'green-cut.csv', closestStyle: 'green', missingColumns: ['DOLocationID', 'tip_amount'] });
    }
  });

  it('throws UnknownTlcHeaderError for a header of another kind of file', () => {
    // Act
    const detect = (): unknown => detectTlcHeader('zones.csv', ['LocationID', 'Borough', 'Zone', 'service_zone']);

    // Assess
    expect(detect).toThrow(UnknownTlcHeaderError);
    expect(detect).toThrow(/zones\.csv: not a TLC trip header/);
  });
});
