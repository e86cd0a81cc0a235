import { join, resolve } from 'node:path';
import { ChaosUsageError } from '../../../../verify/chaos/chaos-errors';
import { DEFAULT_CHAOS_FILES, parseChaosArgs } from '../../../../verify/chaos/chaos-options';

describe('parseChaosArgs', () => {
  it('reads files and options', () => {
    // Act
    const options = parseChaosArgs([
      'a.csv',
      '--kills',
      '2',
      '--port',
      '4555',
      '--work-dir',
      'tmp/chaos',
      '--keep',
      '--seed',
      '7',
      '--min-kill-delay',
      '100',
      '--max-kill-delay',
      '900',
      '--replay-batch-size',
      '5',
      '--replay-concurrency',
      '1',
      '--lake-buffer-seconds',
      '0.5',
    ]);

    // Assess
    expect(options).toEqual({
      files: [resolve('a.csv')],
      kills: 2,
      port: 4555,
      workDir: resolve('tmp/chaos'),
      keep: true,
      seed: 7,
      killDelayMs: { min: 100, max: 900 },
      settleTimeoutMs: 300_000,
      lakeBufferSeconds: 0.5,
      replay: { batchSize: 5, concurrency: 1 },
    });
  });

  it('replays the shipped month with five kills by default, with a seed of its own', () => {
    // Act
    const options = parseChaosArgs([]);

    // Assess
    expect(options?.files).toEqual(DEFAULT_CHAOS_FILES.map((file) => join(__dirname, '..', '..', '..', '..', file)));
    expect(options?.kills).toBe(5);
    expect(Number.isInteger(options?.seed)).toBe(true);
    expect(options?.workDir).toBeUndefined();
  });

  it('asks for the help with --help', () => {
    // Act
    const options = parseChaosArgs(['--help']);

    // Assess
    expect(options).toBeUndefined();
  });

  it.each([
    [['--kills', 'many'], /--kills must be an integer of at least 0, got 'many'/],
    [['--port', '70000'], /--port must be an integer in 1..65535/],
    [['--min-kill-delay', '500', '--max-kill-delay', '100'], /--max-kill-delay must not be below --min-kill-delay/],
    [['--replay-batch-size', '501'], /--replay-batch-size must be an integer in 1..500/],
    [['--unknown'], /Unknown option/],
  ])('rejects %j', (argv, message) => {
    // Act
    const parsing = () => parseChaosArgs(argv);

    // Assess
    expect(parsing).toThrow(ChaosUsageError);
    expect(parsing).toThrow(message);
  });
});
