import { DEFAULT_ENDPOINT, EXIT_CODES, parseReplayArgs, runReplayCli, UsageError, USAGE } from '../../../../src/cli/replay/replay-cli';
import { dataFile } from '../tlc/tlc-fixtures';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } } };
}

describe('parseReplayArgs', () => {
  it('reads files and options', () => {
    // Act
    const command = parseReplayArgs([
      'a.csv',
      'b.parquet',
      '--speedup',
      '3600',
      '--endpoint',
      'http://127.0.0.1:9/graphql',
      '--concurrency',
      '8',
      '--batch-size',
      '100',
      '--api-key',
      'tpi_key',
      '--data-dir',
      '/tmp/stack',
      '--keep-order',
      '--sort-memory',
      '1000',
    ]);

    // Assess
    expect(command).toEqual({
      files: ['a.csv', 'b.parquet'],
      endpoint: 'http://127.0.0.1:9/graphql',
      speedup: 3600,
      keepOrder: true,
      sortMemoryTrips: 1000,
      concurrency: 8,
      batchSize: 100,
      apiKey: 'tpi_key',
      dataDir: '/tmp/stack',
      help: false,
    });
  });

  it('defaults the endpoint to the local stack', () => {
    // Act
    const command = parseReplayArgs(['a.csv']);

    // Assess
    expect(command.endpoint).toBe(DEFAULT_ENDPOINT);
  });

  it.each([
    [[], /no file given/],
    [['a.csv', '--speedup', 'fast'], /--speedup must be a positive number, got 'fast'/],
    [['a.csv', '--speedup=-2'], /--speedup must be a positive number/],
    [['a.csv', '--concurrency', '1.5'], /--concurrency must be a positive integer/],
    [['a.csv', '--batch-size', '501'], /--batch-size must be an integer in 1\.\.500/],
    [['a.csv', '--endpoint', 'localhost:4000'], /--endpoint must be an http\(s\) URL/],
    [['a.csv', '--sped', '10'], /Unknown option '--sped'/],
  ])('refuses %j with a UsageError', (argv, message) => {
    // Act
    const parse = (): unknown => parseReplayArgs(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});

describe('runReplayCli', () => {
  it('prints the usage on --help and exits 0', async () => {
    // Prepare
    const { out, io } = fakeIo();

    // Act
    const code = await runReplayCli(['--help'], io);

    // Assess
    expect(code).toBe(EXIT_CODES.ok);
    expect(out.join('')).toBe(USAGE);
  });

  it.each([
    [['--speedup', '0', 'x.csv'], /--speedup must be a positive number[\s\S]*--help/],
    [['missing.csv'], /no such file: missing\.csv/],
    [[dataFile('SOURCES.md')], /unknown file type \(expected \.csv\.gz, \.parquet, \.csv\)/],
  ])('exits 2 with a helpful message for %j, before contacting the endpoint', async (argv, message) => {
    // Prepare
    const { err, io } = fakeIo();

    // Act
    const code = await runReplayCli([...argv, '--endpoint', 'http://127.0.0.1:1/graphql'], io);

    // Assess
    expect(code).toBe(EXIT_CODES.usage);
    expect(err.join('')).toMatch(message);
  });
});
