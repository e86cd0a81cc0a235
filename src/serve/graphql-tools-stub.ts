/**
 * Stands in for @graphql-tools/schema in the Lambda bundles (HANDLER_BUNDLING in
 * infra/constructs/pipeline-function.ts aliases the package here). Apollo imports it only to build a
 * schema from type definitions and resolvers, which src/serve/executable-schema.ts does instead, so
 * the bundle leaves out graphql-tools (about 170 KB that every cold start would compile). Reaching
 * this function means the server was given typeDefs instead of a schema.
 */
export function makeExecutableSchema(): never {
  throw new Error('makeExecutableSchema is not bundled: give ApolloServer the schema of src/serve/executable-schema.ts');
}
