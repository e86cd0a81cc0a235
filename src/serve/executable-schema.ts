/**
 * The API's schema with its resolvers, built with graphql-js alone. Apollo would build it with
 * graphql-tools' makeExecutableSchema, which merges the type definitions and maps the whole schema
 * into a copy: 30 to 75 ms of every cold start, for a schema that codegen has already validated and
 * resolvers that only set field resolvers and one scalar. Fails fast on a resolver that names a type
 * or field the schema does not have.
 */
import {
  buildASTSchema,
  GraphQLScalarType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

/** Resolvers as written for Apollo: per type, field resolvers, or a scalar's implementation. */
export type ResolverMap = Record<string, GraphQLScalarType | Record<string, GraphQLFieldResolver<unknown, unknown> | undefined>>;

export class SchemaResolversError extends Error {
  override name = 'SchemaResolversError';
}

/** The schema of `typeDefs` with `resolvers` attached to its fields and scalars. */
export function executableSchema(typeDefs: string, resolvers: ResolverMap): GraphQLSchema {
  // The SDL comes from schema/schema.graphql through codegen, which validates it.
  const schema = buildASTSchema(parse(typeDefs, { noLocation: true }), { assumeValidSDL: true });
  for (const [typeName, implementation] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (implementation instanceof GraphQLScalarType) {
      if (!isScalarType(type)) throw new SchemaResolversError(`resolvers name a scalar ${typeName} that the schema does not have`);
      // The schema's scalar object is the one execution uses: it takes the implementation's functions.
      type.serialize = implementation.serialize;
      type.parseValue = implementation.parseValue;
      type.parseLiteral = implementation.parseLiteral;
      continue;
    }
    if (!isObjectType(type)) throw new SchemaResolversError(`resolvers name a type ${typeName} that the schema does not have`);
    const fields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(implementation)) {
      if (!fields[fieldName])
        throw new SchemaResolversError(`resolvers name a field ${typeName}.${fieldName} that the schema does not have`);
      fields[fieldName].resolve = resolve;
    }
  }
  return schema;
}
