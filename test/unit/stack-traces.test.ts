import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceMappedStack, withReadableStack } from '../../src/stack-traces';

/** A minified bundle with a source map (no sources inside), as the Lambda packages are built. */
function bundleThatThrows(dir: string): { fail: () => never; bundle: string } {
  const source = join(dir, 'failing-module.ts');
  writeFileSync(
    source,
    [
      'export function fail(): never {', // line 1
      '  const detail = { reason: "boom" };', // line 2
      '  throw new Error(`failed: ${detail.reason}`);', // line 3: the throw
      '}',
    ].join('\n'),
  );
  const bundle = join(dir, 'index.js');
  buildSync({
    entryPoints: [source],
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'silent',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { fail: require(bundle).fail, bundle };
}

describe('source-mapped stack traces', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'taxi-pulse-stacks-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('point frames of a minified bundle at the source line, read from the map next to it', () => {
    const { fail, bundle } = bundleThatThrows(dir);
    let thrown: Error | undefined;
    try {
      fail();
    } catch (error) {
      thrown = error as Error;
    }

    expect(thrown?.stack).toContain(`${bundle}:1:`); // minified: everything on line 1
    const mapped = sourceMappedStack(thrown!.stack!);
    expect(mapped).toMatch(/failing-module\.ts:3:\d+\)?$/m);
    expect(mapped).not.toContain(`${bundle}:1:`);
    expect(mapped.split('\n')[0]).toBe('Error: failed: boom');
  });

  it('leave frames without a source map, and other lines, as they are', () => {
    const stack = [
      'Error: x',
      '    at run (/no/such/file.js:10:5)',
      '    at /no/such/other.js:3:1',
      '    at node:internal/process/task_queues:95:5',
      'not a frame',
    ].join('\n');

    expect(sourceMappedStack(stack)).toBe(stack);
  });

  it('log an error as name, message and mapped stack, with its cause; anything else unchanged', () => {
    const cause = new TypeError('inner');
    const error = new Error('outer', { cause });

    expect(withReadableStack(error)).toEqual({
      name: 'Error',
      message: 'outer',
      stack: expect.stringContaining('Error: outer'),
      cause: { name: 'TypeError', message: 'inner', stack: expect.stringContaining('TypeError: inner') },
    });
    expect(withReadableStack('just a string')).toBe('just a string');
  });
});
