/**
 * `npm start`: the whole pipeline locally, on emulators, seeded on first run with a month of green-taxi
 * trips. Run with tsx. Everything it does is startLocalStack() plus seeding and signal handling.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalRuntimeError, PortInUseError } from './errors';
import { catchUp, seedOnce } from './first-run';
import { startLocalStack, type LocalStack } from './local-stack';
import { messageOf } from '../error-message';
import { buildDashboard } from '../dashboard/build/build-dashboard';
import { API_EDGE_SETTINGS, ApiEdgeConfigError, landingPageEnabled } from '../api-edge-config';

const USAGE = `Usage: npm start -- [options]

Runs taxi-pulse locally: dynalite and kinesalite, the processor fed by a local stream poller,
and the GraphQL API and the dashboard page behind a local HTTP front.

Environment:
  CORS_ALLOWED_ORIGINS  browser origins allowed to call the API, comma-separated (default: none)
  API_LANDING_PAGE=off  no Apollo Sandbox page at GET /graphql

Options:
  --port <n>        port of the GraphQL endpoint and the dashboard (default 4000)
  --data-dir <dir>  where emulator data and the seed marker live (default .taxi-pulse/)
  --no-seed         do not replay the sample month on first start
  --lake-buffer-seconds <s>  the local data lake (<data-dir>/lake) writes its files every s
                    seconds (default 10) or every --lake-buffer-mb megabytes (default 16),
                    whichever comes first, as Firehose does on AWS
  --help            show this help
`;

const DUPLICATE_SIGNAL_MS = 1500;

interface Flags {
  port: number;
  dataDir: string;
  seed: boolean;
  lakeBufferMs?: number;
  lakeBufferBytes?: number;
}

async function main(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  if (!flags) return;
  // The pinned AWS SDK warns on Node 20 about its releases from 2027; the lockfile keeps us on this one.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const shutdown = new AbortController();
  let stack: LocalStack | undefined;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.signal.aborted) {
      // npm and tsx relay the terminal's Ctrl-C to us as well: only a later one means "force".
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
      console.log(`\n${signal} again: exiting now`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping (press Ctrl-C again to force)`);
    shutdown.abort(new Error(signal));
    void stopAndExit(stack, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // The page is built before the stack starts, so that the printed link opens it at once (about a second).
  const dashboard = await buildDashboard();
  stack = await startLocalStack({
    dataDir: flags.dataDir,
    port: flags.port,
    lake: { bufferIntervalMs: flags.lakeBufferMs, bufferBytes: flags.lakeBufferBytes },
    dashboardAssetsDir: dashboard.outDir,
  });
  if (shutdown.signal.aborted) return stopAndExit(stack, 0);
  console.log(`\nGraphQL endpoint: ${stack.graphqlUrl}`);
  if (landingPageEnabled()) console.log(`Apollo Sandbox:   ${stack.graphqlUrl} in a browser (the read key is filled in)`);
  const origins = process.env[API_EDGE_SETTINGS.corsAllowedOriginsVariable];
  if (origins) console.log(`CORS origins:     ${origins}`);
  console.log(`Data directory:   ${flags.dataDir}`);
  console.log(`On-failure log:   ${stack.onFailurePath}`);
  console.log(`Data lake:        ${stack.lake.root}  (query it with \`npm run sql\`)`);
  console.log(`API keys${stack.apiKeys.created ? ' (new)' : ''}:    ${stack.apiKeys.path}  (send one in the x-api-key header)`);
  console.log(`  ingest key: ${stack.apiKeys.ingest}`);
  console.log(`  read key:   ${stack.apiKeys.read}`);
  // The key travels in the fragment, which browsers never send to a server; the page keeps it for the session.
  console.log(
    `\nDashboard (signed in with the read key): ${stack.dashboardUrl.replace('//127.0.0.1:', '//localhost:')}#key=${encodeURIComponent(stack.apiKeys.read)}\n`,
  );

  if (flags.seed) await seedOnce(stack, flags.dataDir, shutdown.signal);
  await catchUp(stack, shutdown.signal);
  if (!shutdown.signal.aborted) console.log('Ready. Press Ctrl-C to stop.');
}

function parseFlags(argv: string[]): Flags | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4000' },
      'data-dir': { type: 'string', default: '.taxi-pulse/' },
      'no-seed': { type: 'boolean', default: false },
      'lake-buffer-seconds': { type: 'string' },
      'lake-buffer-mb': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${values.port}`);
  return {
    port,
    dataDir: resolve(values['data-dir']),
    seed: !values['no-seed'],
    lakeBufferMs: positiveOption('lake-buffer-seconds', values['lake-buffer-seconds'], 1000),
    lakeBufferBytes: positiveOption('lake-buffer-mb', values['lake-buffer-mb'], 1024 * 1024),
  };
}

/** A positive number option in its unit, scaled (seconds -> ms, MB -> bytes); undefined when absent. */
function positiveOption(name: string, text: string | undefined, scale: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, not ${text}`);
  return Math.round(value * scale);
}

async function stopAndExit(stack: LocalStack | undefined, code: number): Promise<void> {
  try {
    await stack?.stop();
  } catch (error) {
    console.error('error while stopping', error);
    process.exit(1);
  }
  process.exit(code);
}

class UsageError extends LocalRuntimeError {
  override name = 'UsageError';
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof PortInUseError) {
    console.error(`Port ${error.port} is already in use (is another \`npm start\` running?). Try --port ${error.port + 1}.`);
  } else if (error instanceof LocalRuntimeError || error instanceof ApiEdgeConfigError || (error instanceof TypeError && 'code' in error)) {
    // Our own failures and parseArgs' usage errors: a message is more helpful than a stack.
    console.error(`Error: ${error.message}${error.cause ? ` (${messageOf(error.cause)})` : ''}`);
    if (error instanceof UsageError || error instanceof TypeError) console.error(`\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
