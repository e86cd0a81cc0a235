/**
 * Entry point of `npm run sql -- ["<SQL>"] [--data-dir <dir>] [--format table|csv|json] [--file <path>]`
 * (see sql-cli.ts, or run with --help).
 */
import { runSqlCli } from './sql-cli';

void runSqlCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then((exitCode) => {
  process.exitCode = exitCode;
});
