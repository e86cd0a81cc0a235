import { parseSqlArgs, splitStatements } from '../../../../src/cli/sql/sql-cli';

describe('parseSqlArgs', () => {
  it('reads the SQL, the data directory, the format and the files (tlc, tlc2...)', () => {
    expect(parseSqlArgs(['SELECT 1', '--data-dir', 'x/', '--format', 'csv', '--file', 'a.csv', '--file', 'b.parquet'])).toEqual({
      sql: 'SELECT 1',
      dataDir: 'x/',
      format: 'csv',
      files: { tlc: 'a.csv', tlc2: 'b.parquet' },
      help: false,
    });
  });

  it('defaults to the table format, .taxi-pulse/ and the prompt', () => {
    expect(parseSqlArgs([])).toEqual({ sql: undefined, dataDir: '.taxi-pulse/', format: 'table', files: {}, help: false });
  });

  it.each([
    [['--format', 'xml'], /--format must be one of table, csv, json/],
    [['--nope'], /nope/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSqlArgs(argv)).toThrow(message);
  });
});

describe('splitStatements', () => {
  it('splits at semicolons outside quotes and comments', () => {
    expect(splitStatements('SELECT \';\' AS a; -- a comment; still comment\nSELECT 2;\n\n SELECT "x;y" FROM t')).toEqual([
      "SELECT ';' AS a",
      'SELECT 2',
      'SELECT "x;y" FROM t',
    ]);
  });
});
