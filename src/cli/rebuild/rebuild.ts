/**
 * Entry point of `npm run rebuild -- [--data-dir <dir>] [--lake <dir>] [--table <name>] [--aws | --endpoint <url>]`
 * (see rebuild-cli.ts, or run with --help). Ctrl-C stops it between two steps.
 */
import { runRebuildCli } from './rebuild-cli';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
void runRebuildCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: stop.signal }).then((exitCode) => {
  process.exitCode = exitCode;
});
