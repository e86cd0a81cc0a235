/**
 * Stack traces that point into src/ although the Lambda bundles are minified, without paying for
 * `--enable-source-maps` on every cold start (it reads and parses the bundle's whole source map while
 * the bundle loads: +35 ms for the API; BENCHMARKS.md, figure 6). Here the map that ships next to the
 * bundle (`index.js.map`, without sources) is read only when an error is about to be logged, once per
 * process. Frames of files without a source map (the unbundled code of `npm start` and the tests) are
 * left as they are.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!sourceMaps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined; // no map (or an unreadable one): the frame stays as it is
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file);
}

/** `    at fn (/var/task/index.js:1:2345)` or `    at /var/task/index.js:1:2345`. */
const FRAME = /^(\s*at (?:.+? \()?)(\/.+?\.[cm]?js):(\d+):(\d+)(\)?)$/;

/** `stack` with each frame in a bundle that has a source map rewritten to its source position. */
export function sourceMappedStack(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [, head, file, lineNumber, columnNumber, tail] = frame;
      const entry = sourceMapOf(file)?.findEntry(Number(lineNumber) - 1, Number(columnNumber) - 1);
      if (!entry || !('originalSource' in entry) || typeof entry.originalSource !== 'string') return line;
      return `${head}${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}${tail}`;
    })
    .join('\n');
}

/**
 * What to log for an error: its name, message and source-mapped stack (and its cause's), as a plain
 * object; anything that is not an Error is returned as it is.
 */
export function withReadableStack(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack === undefined ? undefined : sourceMappedStack(error.stack),
    ...(error.cause === undefined ? {} : { cause: withReadableStack(error.cause) }),
  };
}
