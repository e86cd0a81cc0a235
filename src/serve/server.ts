/**
 * The Apollo server: schema, resolvers and error formatting. Built once per process.
 */
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { apiKeyPlugin } from './auth-plugin';
import type { RequestContext } from './context';
import { formatError, type ErrorLogger } from './errors';
import { typeDefs } from './generated/type-defs';
import { resolvers } from './resolvers';

export interface ApolloServerOptions {
  /** Where unexpected errors are logged (the handler's Powertools Logger); clients never see them. */
  readonly logger: ErrorLogger;
}

/** The API's Apollo server: the schema, its resolvers, error formatting and the API-key plugin. */
export function createApolloServer({ logger }: ApolloServerOptions): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    typeDefs,
    resolvers,
    formatError: (formatted, error) => formatError(formatted, error, logger),
    includeStacktraceInErrorResponses: false,
    // Analysts and BI tools discover the schema by introspection.
    introspection: true,
    plugins: [
      // The default landing page loads from a CDN; GraphQL clients and curl need none.
      ApolloServerPluginLandingPageDisabled(),
      // Usage reporting and inline traces are for Apollo GraphOS and federated subgraphs, which this
      // API is not; disabled outright, the Lambda bundle can leave out their protobuf encoder
      // (HANDLER_BUNDLING in infra/constructs/pipeline-function.ts).
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints are computed per resolved field (a hook on each of the ~5,000 fields of a month of
      // hourly buckets), and nothing here uses them: answers depend on the API key and on data that
      // changes as trips arrive, so no HTTP cache may keep them.
      ApolloServerPluginCacheControlDisabled(),
      apiKeyPlugin(),
    ],
  });
}
