import { DuckDBDecimalValue, DuckDBTimestampTZValue } from '@duckdb/node-api';
import { formatCsv, formatJson, formatTable } from '../../../../src/cli/sql/result-format';
import type { QueryResult } from '../../../../src/cli/sql/lake-session';

const RESULT: QueryResult = {
  columns: ['borough', 'trips', 'fare', 'first_pickup'],
  types: ['VARCHAR', 'BIGINT', 'DECIMAL(18,2)', 'TIMESTAMP WITH TIME ZONE'],
  rows: [
    [
      'MANHATTAN',
      9633n,
      new DuckDBDecimalValue(1512n, 18, 2),
      new DuckDBTimestampTZValue(BigInt(Date.parse('2023-02-01T13:00:00Z')) * 1000n),
    ],
    ['say "hi", then', null, new DuckDBDecimalValue(-5n, 18, 2), null],
  ],
};

describe('formatTable', () => {
  it('aligns columns, numbers to the right, shows NULL and the row count', () => {
    expect(formatTable(RESULT)).toBe(
      [
        ' borough        | trips | fare  | first_pickup',
        '----------------+-------+-------+---------------------------',
        ' MANHATTAN      |  9633 | 15.12 | 2023-02-01T08:00:00-05:00',
        ' say "hi", then |  NULL | -0.05 | NULL',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });
});

describe('formatCsv', () => {
  it('quotes what needs quoting and leaves null empty', () => {
    expect(formatCsv(RESULT)).toBe(
      'borough,trips,fare,first_pickup\nMANHATTAN,9633,15.12,2023-02-01T08:00:00-05:00\n"say ""hi"", then",,-0.05,\n',
    );
  });
});

describe('formatJson', () => {
  it('gives numbers as numbers, instants in New York time, null as null', () => {
    expect(JSON.parse(formatJson(RESULT))).toEqual([
      { borough: 'MANHATTAN', trips: 9633, fare: 15.12, first_pickup: '2023-02-01T08:00:00-05:00' },
      { borough: 'say "hi", then', trips: null, fare: -0.05, first_pickup: null },
    ]);
  });

  it('keeps integers beyond double precision exact, as text', () => {
    const big: QueryResult = { columns: ['n'], types: ['HUGEINT'], rows: [[2n ** 64n]] };
    expect(JSON.parse(formatJson(big))).toEqual([{ n: '18446744073709551616' }]);
  });
});
