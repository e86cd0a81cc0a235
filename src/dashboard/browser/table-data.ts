/**
 * A panel's numbers as a table: what its table view shows and its CSV download holds. Cells keep the
 * API's values unrounded (the CSV has them so, for people who paste into a sheet); the table view
 * shows them formatted for reading and keeps the exact value in a `data-value` attribute.
 */
import { formatBucket, formatDateTime } from './calendar';

export type ColumnKind = 'count' | 'money' | 'decimal' | 'percent' | 'milliseconds' | 'bucket' | 'datetime' | 'text';

export interface Column {
  /** Also the CSV header. */
  readonly key: string;
  /** Shown in the table view. */
  readonly label: string;
  readonly kind: ColumnKind;
}

export type Cell = string | number | null;

export interface TableData {
  /** Stable within the page, e.g. `fare-buckets` (the table's `data-table` attribute). */
  readonly key: string;
  readonly title: string;
  /** The CSV file's name without extension, e.g. `fare-trend-2023-02-01-2023-02-28-day`. */
  readonly fileName: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  /** The bucket granularity, for `bucket` columns. */
  readonly granularity?: string;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A cell as the table view shows it. */
export function formatCell(value: Cell, kind: ColumnKind, granularity = 'DAY'): string {
  if (value === null) return '–';
  if (typeof value === 'string') {
    if (kind === 'bucket') return formatBucket(value, granularity);
    if (kind === 'datetime') return formatDateTime(value);
    return value;
  }
  switch (kind) {
    case 'count':
      return integer.format(value);
    case 'money':
      return money.format(value);
    case 'percent':
      return percent.format(value);
    case 'milliseconds':
      return value < 10_000 ? `${integer.format(value)} ms` : `${decimal.format(value / 1000)} s`;
    default:
      return decimal.format(value);
  }
}

/** The table as CSV (RFC 4180: comma-separated, CRLF, quoted where needed), header first. */
export function toCsv(table: Pick<TableData, 'columns' | 'rows'>): string {
  const lines = [table.columns.map((column) => csvField(column.key)), ...table.rows.map((row) => row.map(csvField))];
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ would make a spreadsheet run the cell as a formula: quote it with a tick.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A file name part from free text: `Manhattan` → `manhattan`, `JFK Airport` → `jfk-airport`. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'all'
  );
}
