/**
 * Figure 9: the long fuzzing run (`npm run fuzz`): operations generated from the introspected schema
 * and malformed HTTP (verify/fuzz/) against the local stack, in a process of its own, on its own data
 * directory with a few trips loaded. Never a 5xx, every answer within 2 s, a normal query answers
 * afterwards. The quick run of the same fuzzer is in `npm test` (test/e2e/api-fuzz.test.ts).
 *
 *   npx tsx bench/fuzz.ts [--runs 10000] [--seed 20261129]
 */
import './lib/setup';
import { INGEST_TRIPS_MUTATION } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { runFuzz } from '../verify/fuzz/api-fuzz';
import { commandLine, flags } from './lib/args';
import { noteStartLoad, writeResult } from './lib/results';
import { startStackProcess } from './lib/stack-process';
import { readValidSubmissions } from './lib/trips';

const options = flags({ runs: 10000, seed: 20261129 });

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const stack = await startStackProcess('fuzz');
  try {
    // Some real trips, so that queries read and compute something.
    const trips = (await readValidSubmissions()).slice(0, 2000);
    for (let start = 0; start < trips.length; start += 500) {
      const answer = await postGraphQL(
        stack.graphqlUrl,
        { query: INGEST_TRIPS_MUTATION, variables: { trips: trips.slice(start, start + 500) } },
        { headers: apiKeyHeader(stack.apiKeys.ingest) },
      );
      if (answer.errors) throw new Error(`seeding failed: ${JSON.stringify(answer.errors)}`);
    }
    await stack.waitForIdle(120_000);
    let last = 0;
    const report = await runFuzz({
      url: stack.graphqlUrl,
      keys: stack.apiKeys,
      runs: options.runs,
      seed: options.seed,
      onProgress: (tried) => {
        if (tried - last >= 1000) {
          last = tried;
          process.stdout.write(`  ${tried} inputs tried\n`);
        }
      },
    });
    console.log(
      `${report.tried} inputs in ${report.seconds} s: ${report.failure ? `FAILED on ${report.failure.input}: ${report.failure.reason}` : 'no 5xx, none over 2 s'}; statuses ${JSON.stringify(report.statusCounts)}; p99 ${report.p99Ms} ms, max ${report.maxMs} ms; serves afterwards: ${report.servesAfterwards}`,
    );
    writeResult('fuzz', commandLine('bench/fuzz.ts'), startedAt, { options, ...report });
    if (report.failure || !report.servesAfterwards) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
