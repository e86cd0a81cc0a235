/**
 * The whole pipeline on one machine: emulators, table and stream, the stream poller feeding the
 * processor handler, and the HTTP front serving the API handler, the same handlers CDK deploys.
 * `npm start` is a thin shell around startLocalStack(); tests start it in-process.
 */
import { join, resolve } from 'node:path';
import { API_EDGE_SETTINGS, parseAllowedOrigins } from '../api-edge-config';
import { STREAM_DEFINITION } from '../ingest/stream-definition';
import { LOCAL_TABLE_NAME } from '../store/table-definition';
import { bootstrap } from './bootstrap';
import { emulatorClients, type EmulatorClients } from './emulators/emulator-clients';
import { startEmulators, type EmulatorEndpoints, type Emulators } from './emulators/emulators';
import { startHttpFront, type ApiHandler, type HttpFront } from './api-gateway/http-front';
import { consoleLogger, type Logger } from './logger';
import { ensureLocalApiKeys } from './local-api-keys';
import { jsonLinesDestination } from './event-source-mapping/on-failure';
import { loadApiHandler, loadDashboardHandler, loadProcessorHandler } from './lambda-runtime/project-modules';
import { DASHBOARD_ROUTE_KEYS } from '../dashboard/serve/routes';
import { DASHBOARD_ASSETS_DIR_VARIABLE } from '../dashboard/serve/handler';
import { DEFAULT_DASHBOARD_DIR } from '../dashboard/build/build-dashboard';
import type { ShardReaderSettings } from './event-source-mapping/shard-reader';
import { startStreamPoller, type KinesisHandler, type StreamPoller } from './event-source-mapping/stream-poller';
import { lakeRoot, startLocalLake, type LakeWriterSettings, type LocalLake } from './lake/local-lake';

const STARTING_RESPONSE = {
  statusCode: 503,
  headers: { 'content-type': 'application/json', 'retry-after': '1' },
  body: JSON.stringify({ message: 'The local stack is starting' }),
};

export interface LocalStackOptions {
  /** Emulator data, the on-failure log and the seed marker live here. */
  readonly dataDir: string;
  /** Port of the GraphQL endpoint; 0 picks a free one. Default 4000. */
  readonly port?: number;
  readonly host?: string;
  readonly region?: string;
  readonly tableName?: string;
  readonly streamName?: string;
  /** Shards of a newly created stream. */
  readonly shardCount?: number;
  /** The processor handler; by default src/process/handler.ts, imported once the environment is set. */
  readonly processorHandler?: KinesisHandler;
  /** The API handler; by default src/serve/handler.ts, imported once the environment is set. */
  readonly apiHandler?: ApiHandler;
  /** The built dashboard page (src/dashboard/build), served at `/`; dist/dashboard by default. */
  readonly dashboardAssetsDir?: string;
  /** Poller settings (PROCESSOR_BATCHING by default). */
  readonly poller?: Partial<ShardReaderSettings> & { readonly shardDiscoveryIntervalMs?: number };
  /** How the local data lake buffers (DEFAULT_LAKE_SETTINGS by default: 10 s or 16 MB). */
  readonly lake?: Partial<LakeWriterSettings>;
  readonly logger?: Logger;
  /** Browser origins allowed to call the API (CORS); by default from CORS_ALLOWED_ORIGINS, else none. */
  readonly corsAllowedOrigins?: readonly string[];
}

export interface LocalStack {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly graphqlUrl: string;
  /** The dashboard page, e.g. http://127.0.0.1:4000/ */
  readonly dashboardUrl: string;
  readonly endpoints: EmulatorEndpoints;
  readonly tableName: string;
  readonly streamName: string;
  /** `<dataDir>/on-failure.jsonl`: batches the poller gave up on. */
  readonly onFailurePath: string;
  /** The API keys of this data directory (`<dataDir>/api-keys.json`): one ingest and one read key. */
  readonly apiKeys: { readonly path: string; readonly created: boolean; readonly ingest: string; readonly read: string };
  readonly poller: StreamPoller;
  /** The local data lake (`<dataDir>/lake`): every stream record, as Firehose writes them to S3. */
  readonly lake: LocalLake;
  /** Resolves once everything submitted so far has been processed (see StreamPoller.waitForIdle). */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** Closes the HTTP front, stops the poller after its in-flight batches, then the emulators. */
  stop(): Promise<void>;
}

/**
 * Starts the local stack on `dataDir` and resolves once the GraphQL endpoint answers. Sets
 * TABLE_NAME, STREAM_NAME, DYNAMODB_ENDPOINT, KINESIS_ENDPOINT and AWS_REGION in process.env before
 * the handlers are imported, since the configuration is read once per process (so a second stack in
 * the same process should inject its handlers). On a failure part-way, whatever was started is
 * stopped again before the error is rethrown.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const logger = options.logger ?? consoleLogger;
  const dataDir = resolve(options.dataDir);
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  const streamName = options.streamName ?? STREAM_DEFINITION.localStreamName;
  const onFailurePath = join(dataDir, 'on-failure.jsonl');
  const corsAllowedOrigins = options.corsAllowedOrigins ?? parseAllowedOrigins(process.env[API_EDGE_SETTINGS.corsAllowedOriginsVariable]);

  let emulators: Emulators | undefined;
  let clients: EmulatorClients | undefined;
  let poller: StreamPoller | undefined;
  let lake: LocalLake | undefined;
  let front: HttpFront | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await front?.close();
      await poller?.stop();
      // After the poller, before the emulators: the lake writes what it buffered on the way out.
      await lake?.stop();
      clients?.destroy();
      await emulators?.stop();
    })());

  try {
    // The front listens first, so that a taken port fails the start at once; it answers 503 until
    // the API handler is loaded.
    let apiHandler: ApiHandler | undefined;
    let dashboardHandler: ApiHandler | undefined;
    const startingUntilLoaded = (loaded: () => ApiHandler | undefined): ApiHandler => {
      return (event, context, callback) => loaded()?.(event, context, callback) ?? Promise.resolve(STARTING_RESPONSE);
    };
    front = await startHttpFront({
      handler: startingUntilLoaded(() => apiHandler),
      // The page's routes go to the dashboard function, as on AWS; everything else to the API.
      routes: DASHBOARD_ROUTE_KEYS.map((routeKey) => ({
        routeKey,
        handler: startingUntilLoaded(() => dashboardHandler),
        functionName: 'taxi-pulse-dashboard',
      })),
      port: options.port ?? 4000,
      host: options.host,
      region,
      logger,
      corsAllowedOrigins,
    });
    emulators = await startEmulators({
      dataDir,
      region,
      onUnexpectedExit: (kind, code, signal) =>
        logger.error(`the ${kind} emulator exited unexpectedly (code ${code}, signal ${signal}): restart the stack`),
    });
    const { endpoints } = emulators;
    clients = emulatorClients(endpoints, region);
    await bootstrap({
      dynamodb: clients.dynamodb,
      kinesis: clients.kinesis,
      tableName,
      streamName,
      shardCount: options.shardCount ?? STREAM_DEFINITION.shardCount,
    });
    lake = await startLocalLake({
      kinesis: clients.kinesis,
      streamName,
      root: lakeRoot(dataDir),
      settings: options.lake,
      logger,
    });
    const apiKeys = await ensureLocalApiKeys(dataDir);
    // Locally the handlers' EMF metrics and per-batch logs would only flood the terminal (pipelineStatus
    // shows the same figures); set these variables yourself to see them.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    Object.assign(process.env, {
      API_KEYS_FILE: apiKeys.path,
      TABLE_NAME: tableName,
      STREAM_NAME: streamName,
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      KINESIS_ENDPOINT: endpoints.kinesis,
      AWS_REGION: region,
      [DASHBOARD_ASSETS_DIR_VARIABLE]: resolve(options.dashboardAssetsDir ?? DEFAULT_DASHBOARD_DIR),
    });
    const processorHandler = options.processorHandler ?? (await loadProcessorHandler());
    apiHandler = options.apiHandler ?? (await loadApiHandler());
    dashboardHandler = await loadDashboardHandler();
    poller = await startStreamPoller({
      ...options.poller,
      kinesis: clients.kinesis,
      documents: clients.documents,
      tableName,
      streamName,
      region,
      handler: processorHandler,
      onFailure: jsonLinesDestination(onFailurePath),
      logger,
    });
    const started = poller;
    const startedLake = lake;
    return {
      graphqlUrl: `${front.url}/graphql`,
      dashboardUrl: `${front.url}/`,
      endpoints,
      tableName,
      streamName,
      onFailurePath,
      apiKeys: { path: apiKeys.path, created: apiKeys.created, ingest: apiKeys.keys.ingestKeys[0], read: apiKeys.keys.readKeys[0] },
      poller: started,
      lake: startedLake,
      waitForIdle: (waitOptions) => started.waitForIdle(waitOptions),
      stop,
    };
  } catch (error) {
    await stop().catch((stopError) => logger.warn('could not stop the partly started stack', stopError));
    throw error;
  }
}
