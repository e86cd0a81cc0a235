import { graphql, GraphQLScalarType, Kind } from 'graphql';
import { executableSchema, SchemaResolversError } from '../../../src/serve/executable-schema';

const TYPE_DEFS = 'scalar Stamp\ntype Query { echo(at: Stamp!): Stamp! twice(n: Int!): Int! }';
const Stamp = new GraphQLScalarType({
  name: 'Stamp',
  serialize: (value) => `stamp:${String(value)}`,
  parseValue: (value) => {
    if (typeof value !== 'string') throw new TypeError('Stamp must be a string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('Stamp must be a string');
    return ast.value;
  },
});

describe('executableSchema', () => {
  const schema = executableSchema(TYPE_DEFS, {
    Stamp,
    Query: { echo: (_, args) => (args as { at: string }).at, twice: (_, args) => 2 * (args as { n: number }).n },
  });

  it('runs the field resolvers and the scalar implementation it was given', async () => {
    // Act
    const result = await graphql({ schema, source: '{ echo(at: "x") twice(n: 21) }' });
    const refused = await graphql({ schema, source: 'query ($at: Stamp!) { echo(at: $at) }', variableValues: { at: 5 } });
    const refusedLiteral = await graphql({ schema, source: '{ echo(at: 5) }' });

    // Assess
    expect(result).toEqual({ data: { echo: 'stamp:x', twice: 42 } });
    expect(refused.errors?.[0].message).toContain('Stamp must be a string');
    expect(refusedLiteral.errors?.[0].message).toContain('Stamp must be a string');
  });

  it('refuses resolvers for a type, field or scalar the schema does not have', () => {
    expect(() => executableSchema(TYPE_DEFS, { Nope: {} })).toThrow(SchemaResolversError);
    expect(() => executableSchema(TYPE_DEFS, { Query: { nope: () => 1 } })).toThrow(SchemaResolversError);
    expect(() => executableSchema(TYPE_DEFS, { Other: new GraphQLScalarType({ name: 'Other' }) })).toThrow(SchemaResolversError);
  });
});
