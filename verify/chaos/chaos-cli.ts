/**
 * The `npm run chaos` command: arguments in, chaos run, comparison table out, and an exit code
 * (0 every number matches the oracle, 1 a difference or a failure, 2 bad usage, 130 interrupted).
 */
import { ChaosError, ChaosUsageError } from './chaos-errors';
import { CHAOS_USAGE, parseChaosArgs } from './chaos-options';
import { runChaos } from './run-chaos';

export const CHAOS_EXIT_CODES = { ok: 0, different: 1, usage: 2, interrupted: 130 } as const;

export interface ChaosCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly signal?: AbortSignal;
}

/** Runs the command; never throws. */
export async function runChaosCli(argv: readonly string[], io: ChaosCliIo): Promise<number> {
  try {
    const options = parseChaosArgs(argv);
    if (!options) {
      io.stdout.write(CHAOS_USAGE);
      return CHAOS_EXIT_CODES.ok;
    }
    const result = await runChaos(options, { log: (line) => io.stderr.write(`${line}\n`), signal: io.signal });
    io.stdout.write(result.report);
    return result.ok ? CHAOS_EXIT_CODES.ok : CHAOS_EXIT_CODES.different;
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr.write('chaos: interrupted\n');
      return CHAOS_EXIT_CODES.interrupted;
    }
    if (error instanceof ChaosUsageError) {
      io.stderr.write(`chaos: ${error.message}\n\n${CHAOS_USAGE}`);
      return CHAOS_EXIT_CODES.usage;
    }
    const message = error instanceof ChaosError ? error.message : ((error as Error | undefined)?.stack ?? String(error));
    io.stderr.write(`chaos: ${message}\n`);
    return CHAOS_EXIT_CODES.different;
  }
}
