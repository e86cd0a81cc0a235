/**
 * The chaos run: start the stack, replay the files, SIGKILL the stack's whole process group at random
 * moments and restart it on the same data directory (the replay resumes through its retries, or is
 * run again when it gave up), wait until the processor has caught up, then compare every public number
 * with the oracle, and the data lake's files with the stream.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeysPath } from '../../src/local/local-api-keys';
import { API_KEY_HEADER, parseApiKeys } from '../../src/serve/api-keys';
import { ApiClient } from './api-client';
import { ChaosUsageError, ReplayFailedError } from './chaos-errors';
import type { ChaosOptions } from './chaos-options';
import { formatChaosReport, type ChaosRunFacts } from './chaos-report';
import { checkLakeAgainstStream } from './lake-check';
import { checkAgainstOracle, oracleExpectation, type CheckResult } from './oracle-checks';
import { startReplayProcess, type ReplayProcess } from './replay-process';
import { seededRandom } from './seeded-random';
import { startStackProcess, type NpmStartProcess } from './stack-process';
import { waitForSettled } from './wait-for-settled';

/** Reruns of the replay beyond one per kill before the replay is deemed broken. */
const EXTRA_REPLAY_RUNS = 3;

export interface ChaosIo {
  /** Progress lines. */
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface ChaosResult {
  readonly ok: boolean;
  readonly results: readonly CheckResult[];
  readonly facts: ChaosRunFacts;
  /** The comparison table, as printed. */
  readonly report: string;
}

export async function runChaos(options: ChaosOptions, io: ChaosIo): Promise<ChaosResult> {
  const startedAt = Date.now();
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'taxi-pulse-chaos-')));
  await requireEmpty(workDir);
  const dataDir = join(workDir, 'data');
  const logsDir = join(workDir, 'logs');
  await Promise.all([mkdir(dataDir, { recursive: true }), mkdir(logsDir, { recursive: true })]);
  const endpoint = `http://127.0.0.1:${options.port}/graphql`;
  const random = seededRandom(options.seed);
  io.log(
    `chaos: ${options.kills} SIGKILLs while replaying ${options.files.join(', ')} (seed ${options.seed}); data and logs in ${workDir}`,
  );
  // The oracle reads the raw files while the stack starts.
  const expectation = oracleExpectation(options.files);
  expectation.catch(() => undefined);

  let stack: NpmStartProcess | undefined;
  let replay: ReplayProcess | undefined;
  let starts = 0;
  let replayRuns = 0;
  const startStack = async (): Promise<NpmStartProcess> => {
    const since = Date.now();
    stack = await startStackProcess({
      dataDir,
      port: options.port,
      logPath: join(logsDir, `stack-${++starts}.log`),
      extraArgs: ['--lake-buffer-seconds', String(options.lakeBufferSeconds)],
    });
    io.log(`  stack start ${starts}: serving after ${((Date.now() - since) / 1000).toFixed(1)} s (pid ${stack.pid})`);
    return stack;
  };
  const startReplay = (): ReplayProcess => {
    if (++replayRuns > options.kills + 1 + EXTRA_REPLAY_RUNS) {
      throw new ReplayFailedError(`the replay failed ${replayRuns - 1} times; see ${logsDir}`);
    }
    io.log(`  replay run ${replayRuns} started`);
    replay = startReplayProcess({
      files: options.files,
      endpoint,
      dataDir,
      logPath: join(logsDir, `replay-${replayRuns}.log`),
      ...options.replay,
    });
    return replay;
  };

  try {
    let running = await startStack();
    let replaying = startReplay();
    for (let kill = 1; kill <= options.kills; kill++) {
      const delay = Math.round(options.killDelayMs.min + random() * (options.killDelayMs.max - options.killDelayMs.min));
      await sleep(delay, undefined, { signal: io.signal });
      const replayState = replaying.exit() ? 'had finished' : 'was running';
      await running.kill();
      io.log(
        `  kill ${kill}/${options.kills}: SIGKILL to the stack's process group ${delay} ms after it served (replay run ${replayRuns} ${replayState})`,
      );
      running = await startStack();
      // A replay that gave up while the stack was down is run again; one still retrying resumes.
      if (replaying.exit() && replaying.exit()!.code !== 0) replaying = startReplay();
    }
    for (let exit = await replaying.exited; exit.code !== 0; exit = await replaying.exited) {
      io.log(`  replay run ${replayRuns} failed (exit ${exit.code ?? exit.signal}): running it again`);
      replaying = startReplay();
    }
    io.log(`  replay done after ${replayRuns} run(s); waiting for the processor to catch up`);

    const api = new ApiClient(endpoint, await readKeyHeaders(dataDir));
    const expected = await expectation;
    const counts = await waitForSettled(api, {
      expectedAccepted: expected.acceptedTrips,
      timeoutMs: options.settleTimeoutMs,
      signal: io.signal,
    });
    const results = await checkAgainstOracle(api, expected, counts);
    await running.stop();
    stack = undefined;
    io.log('  checking the data lake against the stream');
    results.push(await checkLakeAgainstStream(dataDir));

    const ok = results.every((result) => result.differences.length === 0);
    const facts: ChaosRunFacts = {
      files: options.files,
      seed: options.seed,
      kills: options.kills,
      replayRuns,
      elapsedMs: Date.now() - startedAt,
      workDir,
    };
    if (ok && !options.keep) await rm(workDir, { recursive: true, force: true });
    return { ok, results, facts, report: formatChaosReport(results, facts) };
  } finally {
    replay?.kill();
    await stack?.kill();
  }
}

async function requireEmpty(workDir: string): Promise<void> {
  const entries = await readdir(workDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new ChaosUsageError(`${workDir} is not empty: the comparison needs a pipeline that starts empty`);
}

/** The read key of the stack's data directory (created on its first start), as request headers. */
async function readKeyHeaders(dataDir: string): Promise<Record<string, string>> {
  const path = apiKeysPath(dataDir);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const [key] = parseApiKeys(text, path).readKeys;
  return key ? { [API_KEY_HEADER]: key } : {};
}
