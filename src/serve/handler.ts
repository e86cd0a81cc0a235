/**
 * The GraphQL Lambda behind API Gateway (HTTP API, payload v2). Deployed by the CDK stack (infra/),
 * invoked by the local HTTP front (src/local/) with the same event.
 */
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { config } from '../config';
import { kinesisClient } from '../ingest/kinesis-client';
import { KinesisTripPublisher } from '../ingest/publisher';
import { dynamoClient } from '../store/dynamo-client';
import { DynamoInsightsReader } from '../store/dynamo-insights-reader';
import type { RequestContext } from './context';
import { InsightsQueries } from './insights-queries';
import { createApolloServer } from './server';

let context: RequestContext | undefined;

function requestContext(): RequestContext {
  context ??= {
    queries: new InsightsQueries(new DynamoInsightsReader(dynamoClient(), config().tableName)),
    publisher: new KinesisTripPublisher(kinesisClient(), config().streamName),
  };
  return context;
}

export const handler = startServerAndCreateLambdaHandler(createApolloServer(), handlers.createAPIGatewayProxyEventV2RequestHandler(), {
  context: async () => requestContext(),
});
