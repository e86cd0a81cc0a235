import { replayTripId, scanFile } from '../../../../src/cli/tlc/file-scan';
import { dataFile, temporaryDirectory } from './tlc-fixtures';

describe('scanFile', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.cleanup());

  it('hashes the stored bytes and counts the lines of a CSV, a last line without newline included', async () => {
    // Act: rides.csv has no final newline; yellow 2020-01 ends its lines in CRLF.
    const rides = await scanFile(dataFile('rides.csv'), 'csv');
    const yellow = await scanFile(dataFile('yellow_tripdata_2020-01.csv'), 'csv');

    // Assess (digests and sizes from data/nyc-tlc/SOURCES.md)
    expect(rides).toEqual({
      sha256: '9c88d1bdf5b04b6324d1087d8e4e6342dd2b881cf76359d027117ab6851cf84b',
      byteLength: 24_522,
      lineCount: 267,
    });
    expect(yellow).toEqual({
      sha256: '8eab25b84147235fc639042fd7f64537c5bed6378308510c5cabdd5039ffae16',
      byteLength: 91_189,
      lineCount: 1_000,
    });
  });

  it('hashes the compressed bytes of a .csv.gz and counts the lines of its text', async () => {
    // Prepare
    const path = directory.writeGzip('three.csv.gz', 'a,b\n1,2\n3,4\n');

    // Act
    const scan = await scanFile(path, 'csv.gz');

    // Assess
    expect(scan.lineCount).toBe(3);
    expect(scan.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts no lines in a Parquet file', async () => {
    // Act
    const scan = await scanFile(dataFile('green_tripdata_2023-02.parquet'), 'parquet');

    // Assess
    expect(scan).toEqual({
      sha256: '56b965fd855aaa16b257f7a6d3b4005865416a6b02a3350825d4f1f56e56b03c',
      byteLength: 1_743_894,
      lineCount: undefined,
    });
  });
});

describe('replayTripId', () => {
  it('joins the first 16 hex digits of the digest and the row number', () => {
    // Act
    const id = replayTripId('9c88d1bdf5b04b6324d1087d8e4e6342dd2b881cf76359d027117ab6851cf84b', 266);

    // Assess
    expect(id).toBe('9c88d1bdf5b04b63-266');
  });
});
