/**
 * The Apollo server: schema, resolvers, error formatting, the API-key and operation-policy plugins, and
 * the HTTP rules of the edge (GET for queries, CSRF prevention, no batches, the token limit). Built
 * once per process.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { API_KEY_HEADER } from './api-keys';
import { apiKeyPlugin } from './auth-plugin';
import type { RequestContext } from './context';
import { formatError, type ErrorLogger } from './errors';
import { executableSchema, type ResolverMap } from './executable-schema';
import { typeDefs } from './generated/type-defs';
import { OPERATION_LIMITS } from './operation-limits';
import { operationPolicyPlugin } from './operation-policy-plugin';
import { resolvers } from './resolvers';

export interface ApolloServerOptions {
  /** Where unexpected errors are logged (the handler's Powertools Logger); clients never see them. */
  readonly logger: ErrorLogger;
  /** Serve Apollo Sandbox at GET /graphql (Accept: text/html) with this read key filled in: locally only. */
  readonly landingPage?: { readonly readKey: string };
}

/**
 * The landing page: locally, Apollo Sandbox embedded in a page the server sends, with the read key as
 * a shared header (the Sandbox app itself loads from Apollo's CDN in the browser); otherwise none,
 * so a browser GET without a query gets a GraphQL error like any client.
 */
function landingPagePlugin(landingPage: ApolloServerOptions['landingPage']): ApolloServerPlugin<RequestContext> {
  if (!landingPage) return ApolloServerPluginLandingPageDisabled();
  return ApolloServerPluginLandingPageLocalDefault({
    embed: { initialState: { sharedHeaders: { [API_KEY_HEADER]: landingPage.readKey }, pollForSchemaUpdates: false }, runTelemetry: false },
    includeCookies: false,
    footer: false,
  });
}

/** The API's Apollo server. */
export function createApolloServer({ logger, landingPage }: ApolloServerOptions): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema: executableSchema(typeDefs, resolvers as unknown as ResolverMap),
    formatError: (formatted, error) => formatError(formatted, error, logger),
    includeStacktraceInErrorResponses: false,
    // Analysts and BI tools discover the schema by introspection.
    introspection: true,
    // Queries may come by GET (mutations never: Apollo answers those 405). A browser can send a GET or
    // a form POST to another origin without asking first, so Apollo refuses requests that carry
    // neither a JSON content type nor one of these headers: a request with x-api-key (which every
    // call needs) is never such a "simple" request, so a browser preflights it and CORS decides.
    csrfPrevention: { requestHeaders: [API_KEY_HEADER, 'x-apollo-operation-name', 'apollo-require-preflight'] },
    // One operation per request: a batch would multiply what one request may cost (docs/api-edge.md).
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    plugins: [
      landingPagePlugin(landingPage),
      // Usage reporting and inline traces are for Apollo GraphOS and federated subgraphs, which this
      // API is not; disabled outright, the Lambda bundle can leave out their protobuf encoder
      // (HANDLER_BUNDLING in infra/constructs/pipeline-function.ts).
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo's cache hints are computed per resolved field (a hook on each of the ~5,000 fields of a
      // month of hourly buckets); the operation-policy plugin sets Cache-Control from the root fields'
      // arguments instead (src/serve/http-caching.ts).
      ApolloServerPluginCacheControlDisabled(),
      // The key's role first: a caller who may not run an operation learns that, not what it costs.
      apiKeyPlugin(),
      operationPolicyPlugin(),
    ],
  });
}
