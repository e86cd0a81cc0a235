/**
 * The GraphQL Lambda behind API Gateway (HTTP API, payload v2). Deployed by the CDK stack (infra/),
 * invoked by the local HTTP front (src/local/) with the same event.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { readFileSync } from 'node:fs';
import type { IngestAnswer } from '../ingest/ingest-trips';
import { landingPageEnabled } from '../api-edge-config';
import { config, ConfigError } from '../config';
import { handlerMetrics, publishMetrics } from '../emf-metrics';
import { METRIC_SERVICES } from '../metrics-catalog';
import { sdkHttpHandler } from '../sdk-http-handler';
import { kinesisClient } from '../ingest/kinesis-client';
import { KinesisTripPublisher } from '../ingest/publisher';
import { dynamoClient } from '../store/dynamo-client';
import { DynamoInsightsReader } from '../store/dynamo-insights-reader';
import { API_KEY_HEADER, CachedApiKeys, FileKeySource, parseApiKeys, SecretsManagerKeySource, type ApiKeySource } from './api-keys';
import type { RequestContext } from './context';
import { ingestMetrics } from './ingest-metrics';
import { InsightsQueries } from './insights-queries';
import { gateRequest } from './request-gate';
import { requestErrorLogger, withRequestLog } from './request-log';
import { createApolloServer } from './server';

const logger = new Logger({ serviceName: METRIC_SERVICES.api });
const metrics = handlerMetrics(METRIC_SERVICES.api);
let services: (Omit<RequestContext, 'roles'> & { apiKeys: CachedApiKeys }) | undefined;

/** An ingest call's metrics, published at once (one EMF line per call). */
function observeIngest(answer: IngestAnswer): void {
  publishMetrics(metrics, ingestMetrics(answer));
}

function apiKeySource(): ApiKeySource {
  const { apiKeysSecretArn, apiKeysFile, region } = config();
  if (apiKeysSecretArn)
    return new SecretsManagerKeySource(
      new SecretsManagerClient({ region, requestHandler: sdkHttpHandler({ maxSockets: 4 }) }),
      apiKeysSecretArn,
    );
  if (apiKeysFile) return new FileKeySource(apiKeysFile);
  throw new ConfigError('API_KEYS_SECRET_ARN (on AWS) or API_KEYS_FILE (locally) is required');
}

function requestServices() {
  services ??= {
    queries: new InsightsQueries(new DynamoInsightsReader(dynamoClient(), config().tableName)),
    publisher: new KinesisTripPublisher(kinesisClient(), config().streamName),
    apiKeys: new CachedApiKeys(apiKeySource()),
    observeIngest,
  };
  return services;
}

/** Locally, the landing page with the data directory's read key filled in; never on AWS (src/api-edge-config.ts). */
function landingPage(): { readKey: string } | undefined {
  const { apiKeysFile } = config();
  if (!landingPageEnabled() || !apiKeysFile) return undefined;
  return { readKey: parseApiKeys(readFileSync(apiKeysFile, 'utf8'), apiKeysFile).readKeys[0] };
}

export const handler = withRequestLog(
  startServerAndCreateLambdaHandler(
    createApolloServer({ logger: requestErrorLogger(logger), landingPage: landingPage() }),
    handlers.createAPIGatewayProxyEventV2RequestHandler(),
    {
      context: async ({ event }): Promise<RequestContext> => {
        const { queries, publisher, apiKeys } = requestServices();
        const roles = await apiKeys.rolesOf(event.headers?.[API_KEY_HEADER]);
        gateRequest(event, roles);
        return { queries, publisher, observeIngest, roles };
      },
    },
  ),
  logger,
);
