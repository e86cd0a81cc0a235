/**
 * Entry point of `npm run backtest [-- --endpoint <url> | --file <TLC file>...] [--scope ...] [--weeks n]` (see
 * backtest-cli.ts, or run with --help).
 */
import { runBacktestCli } from './backtest-cli';

void runBacktestCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((exitCode) => {
  process.exitCode = exitCode;
});
