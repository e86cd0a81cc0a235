import { API_KEY_HEADER as PAGE_KEY_HEADER } from '../../../src/dashboard/browser/api/graphql';
import { formatBucket, formatDateRange, formatElapsed, monthOf } from '../../../src/dashboard/browser/calendar';
import { formatCell, slug, toCsv } from '../../../src/dashboard/browser/table-data';
import { API_KEY_HEADER } from '../../../src/serve/api-keys';

describe('toCsv', () => {
  it('writes a header and unrounded values, quoting what needs it and defusing formulas', () => {
    const csv = toCsv({
      columns: [
        { key: 'zone', label: 'Zone', kind: 'text' },
        { key: 'fare', label: 'Fare', kind: 'money' },
        { key: 'perMile', label: 'Per mile', kind: 'money' },
      ],
      rows: [
        ["Governor's Island/Ellis Island/Liberty Island", 15.118741824976642, null],
        ['Say "hi", then', -2, 0.5],
        ['=HYPERLINK("x")', 1, 2],
      ],
    });
    expect(csv).toBe(
      'zone,fare,perMile\r\n' +
        "Governor's Island/Ellis Island/Liberty Island,15.118741824976642,\r\n" +
        '"Say ""hi"", then",-2,0.5\r\n' +
        '"\'=HYPERLINK(""x"")",1,2\r\n',
    );
  });
});

describe('formatCell', () => {
  it('formats for reading', () => {
    expect(formatCell(15.118741824976642, 'money')).toBe('$15.12');
    expect(formatCell(64555, 'count')).toBe('64,555');
    expect(formatCell(0.1834, 'percent')).toBe('18.3%');
    expect(formatCell(null, 'money')).toBe('–');
    expect(formatCell(27165, 'milliseconds')).toBe('27.17 s');
    expect(formatCell('2023-02-06T00:00:00-05:00', 'bucket', 'WEEK')).toBe('w/c 6 Feb 2023');
  });
});

describe('calendar', () => {
  it('labels buckets in New York local time, whatever the viewer’s zone', () => {
    expect(formatBucket('2023-02-03T18:00:00-05:00', 'HOUR')).toBe('Fri 3 Feb 18:00');
    expect(formatBucket('2019-03-10T03:00:00-04:00', 'HOUR')).toBe('Sun 10 Mar 03:00');
    expect(formatBucket('2023-02-01T00:00:00-05:00', 'MONTH')).toBe('Feb 2023');
    expect(formatDateRange('2023-02-01', '2023-02-28')).toBe('1–28 Feb 2023');
    expect(formatDateRange('2023-01-30', '2023-02-05')).toBe('30 Jan – 5 Feb 2023');
    expect(monthOf('2024-02-10')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
  });

  it('names files plainly', () => {
    expect(slug('JFK Airport (Queens)')).toBe('jfk-airport-queens');
  });
});

describe('the page’s GraphQL client', () => {
  it('sends the key in the header the API reads', () => {
    expect(PAGE_KEY_HEADER).toBe(API_KEY_HEADER);
  });
});

describe('formatElapsed', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    [now + 2_000, 'just now'],
    [now - 4_999, 'just now'],
    [now - 5_000, '5 s ago'],
    [now - 59_999, '59 s ago'],
    [now - 60_000, '1 min ago'],
    [now - 3_599_000, '59 min ago'],
    [now - 3_600_000, '1 h ago'],
    [now - 86_400_000, '1 day ago'],
    [now - 3 * 86_400_000 - 1, '3 days ago'],
  ])('says %p ms is %p', (then, expected) => {
    expect(formatElapsed(then, now)).toBe(expected);
  });
});
