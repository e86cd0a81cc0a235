/**
 * Entry point of `npm run replay -- <file>... [--speedup <x>] [--endpoint <url>] [--concurrency <n>]`
 * (see replay-cli.ts, or run with --help). Ctrl-C stops the replay cleanly and prints what was sent;
 * a second Ctrl-C exits at once.
 */
import { runReplayCli } from './replay-cli';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

void runReplayCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal }).then((exitCode) => {
  process.exitCode = exitCode;
});
