import { timestampToLocalText } from '../../../../src/cli/tlc/parquet-table';

describe('timestampToLocalText', () => {
  it('prints a zone-less TLC timestamp as the wall clock a UTC reader shows, unshifted', () => {
    // Act
    const text = timestampToLocalText(Date.parse('2023-02-01T00:46:22Z'), false);

    // Assess
    expect(text).toBe('2023-02-01T00:46:22');
  });

  it('converts a UTC-adjusted timestamp to New York time, in winter and in summer', () => {
    // Act
    const winter = timestampToLocalText(Date.parse('2023-02-01T13:00:00Z'), true);
    const summer = timestampToLocalText(Date.parse('2023-07-01T13:00:00Z'), true);

    // Assess
    expect([winter, summer]).toEqual(['2023-02-01T08:00:00', '2023-07-01T09:00:00']);
  });

  it('keeps milliseconds when there are some', () => {
    // Act
    const text = timestampToLocalText(Date.parse('2023-02-01T00:46:22.125Z'), false);

    // Assess
    expect(text).toBe('2023-02-01T00:46:22.125');
  });

  it('gives digits, which the row reader reports as unreadable, for a timestamp outside years 0..9999', () => {
    // Act
    const text = timestampToLocalText(8.64e15, false);

    // Assess
    expect(text).toBe('8640000000000000');
  });
});
