/**
 * The comparison table `npm run chaos` prints: one row per check, expected (oracle) next to actual
 * (API), and the differences of the rows that do not match.
 */
import type { CheckResult } from './oracle-checks';

export interface ChaosRunFacts {
  readonly files: readonly string[];
  readonly seed: number;
  readonly kills: number;
  readonly replayRuns: number;
  readonly elapsedMs: number;
  readonly workDir: string;
}

/** The table and a verdict, as lines of text. */
export function formatChaosReport(results: readonly CheckResult[], facts: ChaosRunFacts): string {
  const headers = ['check', 'oracle', 'API', ''];
  const rows = results.map((result) => [result.name, result.expected, result.actual, result.differences.length === 0 ? 'ok' : 'DIFFERENT']);
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const failed = results.filter((result) => result.differences.length > 0);
  const lines = [
    line(headers),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...failed.flatMap((result) => [`${result.name}:`, ...result.differences.map((difference) => `  ${difference}`)]),
    `${facts.kills} SIGKILLs, ${facts.replayRuns} replay run(s) of ${facts.files.join(', ')} in ${(facts.elapsedMs / 1000).toFixed(1)} s (seed ${facts.seed}).`,
    failed.length === 0
      ? `All ${results.length} checks match the oracle.`
      : `${failed.length} of ${results.length} checks differ from the oracle. Data and logs kept in ${facts.workDir}.`,
  ];
  return `${lines.join('\n')}\n`;
}
