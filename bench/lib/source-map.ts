/**
 * Just enough of source maps to tell which package a position of a minified bundle came from:
 * decodes the `mappings` (base64 VLQ) of a v3 map into per-line segments.
 */
import { readFileSync } from 'node:fs';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...BASE64].map((char, index) => [char, index]));

export interface BundleMap {
  /** Source file of a generated position (0-based line and column), or undefined. */
  sourceAt(line: number, column: number): string | undefined;
}

export function loadBundleMap(path: string): BundleMap {
  const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; mappings: string };
  const lines: Array<Array<[number, number]>> = []; // [generated column, source index]
  let sourceIndex = 0;
  for (const lineText of map.mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let shift = 0;
      let value = 0;
      for (const char of segment) {
        const digit = VALUE.get(char) ?? 0;
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) sourceIndex += values[1];
      segments.push([column, sourceIndex]);
    }
    lines.push(segments);
  }
  return {
    sourceAt(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return undefined;
      let low = 0;
      let high = segments.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (segments[middle][0] <= column) low = middle;
        else high = middle - 1;
      }
      return map.sources[segments[low][1]];
    },
  };
}
