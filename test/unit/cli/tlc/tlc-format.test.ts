import { UnsupportedTlcFormatError } from '../../../../src/cli/tlc/tlc-errors';
import { detectTlcFormat } from '../../../../src/cli/tlc/tlc-format';

describe('detectTlcFormat', () => {
  it.each([
    ['data/nyc-tlc/rides.csv', 'csv'],
    ['green_tripdata_2020-10.csv.gz', 'csv.gz'],
    ['green_tripdata_2023-02.parquet', 'parquet'],
    ['UPPER.CSV.GZ', 'csv.gz'],
  ])('tells the format of %s from its extension', (path, format) => {
    // Act
    const detected = detectTlcFormat(path);

    // Assess
    expect(detected).toBe(format);
  });

  it.each(['trips.json', 'trips.gz', 'trips.csv.zip', 'parquet'])('refuses %s with the accepted extensions in the message', (path) => {
    // Act
    const detect = (): unknown => detectTlcFormat(path);

    // Assess
    expect(detect).toThrow(UnsupportedTlcFormatError);
    expect(detect).toThrow(/\.csv\.gz, \.parquet, \.csv/);
  });
});
