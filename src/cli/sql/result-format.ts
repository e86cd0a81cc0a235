/**
 * A query result as text: an aligned table for people, CSV or JSON for other programs. Pure.
 *
 * Values keep DuckDB's exactness where text allows: decimals (money) print with their scale, bigints in
 * full; timestamps with a time zone print in New York time with its offset, as the API prints instants.
 */
import { DuckDBDecimalValue, DuckDBTimestampTZValue, type DuckDBValue } from '@duckdb/node-api';
import { formatNewYork } from '../../domain/time';
import type { QueryResult } from './lake-session';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How one value reads as text (null apart: each format says it its own way). */
export function valueText(value: Exclude<DuckDBValue, null>): string {
  if (value instanceof DuckDBTimestampTZValue) {
    const ms = Number(value.micros / 1000n);
    // A millisecond fraction is kept; formatNewYork prints whole seconds.
    const fraction = ms % 1000 === 0 ? '' : `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
    const text = formatNewYork(ms);
    return fraction ? `${text.slice(0, 19)}${fraction}${text.slice(19)}` : text;
  }
  return String(value);
}

/** A value as JSON: numbers as numbers (bigints beyond 2^53 and decimals beyond double precision as text). */
export function valueJson(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBDecimalValue) {
    // Below 10^13 a double prints back as the same decimal (money to the cent, miles to the hundredth).
    const number = value.toDouble();
    return Math.abs(number) < 1e13 ? number : value.toString();
  }
  return valueText(value);
}

const isNumeric = (type: string) =>
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type);

/** A psql-like table: header, rule, one line per row (numbers right-aligned), and the row count. */
export function formatTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map((value) => (value === null ? 'NULL' : valueText(value).replaceAll('\n', '\\n'))));
  const widths = result.columns.map((column, index) => Math.max(column.length, ...cells.map((row) => row[index].length)));
  const numeric = result.types.map(isNumeric);
  const line = (values: readonly string[], alignNumbers: boolean) =>
    ` ${values.map((text, index) => (alignNumbers && numeric[index] ? text.padStart(widths[index]) : text.padEnd(widths[index]))).join(' | ')}`.trimEnd();
  const rule = widths.map((width) => '-'.repeat(width + 2)).join('+');
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  if (result.columns.length === 0) return `${count}\n`;
  return [line(result.columns, false), rule, ...cells.map((row) => line(row, true)), count, ''].join('\n');
}

/** RFC 4180 CSV with a header row; null is an empty field. */
export function formatCsv(result: QueryResult): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const rows = result.rows.map((row) => row.map((value) => (value === null ? '' : field(valueText(value)))).join(','));
  return [result.columns.map(field).join(','), ...rows].join('\n') + '\n';
}

/** A JSON array with one object per row. */
export function formatJson(result: QueryResult): string {
  const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, valueJson(row[index])])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (format === 'csv') return formatCsv(result);
  if (format === 'json') return formatJson(result);
  return formatTable(result);
}
