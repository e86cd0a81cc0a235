/**
 * GraphQL operations generated from the API's own schema (introspected from the running endpoint):
 * random root fields, aliases, sub-selections (sometimes missing, sometimes on a leaf, sometimes of
 * a field that does not exist), arguments with extreme and wrong values, and variables declared with
 * one type and sent with a value of another. Most are invalid in some way; the API must answer each
 * with a client error or data, never a server error.
 */
import fc from 'fast-check';
import {
  buildClientSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

export interface GraphQLInput {
  readonly query: string;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** The schema as a client sees it, from an introspection answer. */
export function schemaFromIntrospection(introspection: IntrospectionQuery): GraphQLSchema {
  return buildClientSchema(introspection);
}

const quote = (text: string) => JSON.stringify(text);

const extremeIntegers = fc.constantFrom(
  '0',
  '-1',
  '1',
  '265',
  '266',
  '2147483647',
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '1000',
);
const extremeFloats = fc.constantFrom('0.0', '-0.0', '1e308', '1e309', '-1e-320', '500.01', '10000.001', '3.14');
const dateTimes = fc.constantFrom(
  '2023-02-01',
  '2023-02-01T08:00:00',
  '2023-02-01T08:00:00-05:00',
  '2023-03-12T02:30:00',
  '2023-11-05T01:30:00',
  '2008-12-31T23:59:59',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2023-02-30',
  '2023-02-01T24:00:00',
  '2023-02-01T08:00:00+99:99',
  'yesterday',
  '',
);
const oddStrings = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\uFFFF', '😀'.repeat(50), 'a'.repeat(10_000), '"\\', '${}', '<script>'),
);

/** A literal of any kind: for wrong-type arguments. */
const anyLiteral: fc.Arbitrary<string> = fc.oneof(
  extremeIntegers,
  extremeFloats,
  oddStrings.map(quote),
  dateTimes.map(quote),
  fc.constantFrom('null', 'true', 'false', 'HOUR', 'NOT_AN_ENUM', '[]', '{}', '[1, "a", null]', '{ from: 1 }'),
);

/** Required input fields are left out now and then, optional ones often. */
const present = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });
const absent = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 1, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });

/** A literal for an input type: mostly plausible (extremes included), sometimes of another type. */
function literalFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<string> {
  if (isNonNullType(type)) return literalFor(type.ofType, depth);
  const wrong = anyLiteral;
  if (isListType(type)) {
    const item = literalFor(type.ofType, depth + 1);
    return fc.oneof(
      { weight: 4, arbitrary: fc.array(item, { maxLength: depth > 1 ? 1 : 3 }).map((items) => `[${items.join(', ')}]`) },
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: wrong },
    );
  }
  const named = getNamedType(type);
  let plausible: fc.Arbitrary<string>;
  if (isEnumType(named)) plausible = fc.constantFrom(...named.getValues().map((value) => value.name));
  else if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields());
    plausible =
      depth > 3
        ? fc.constant('{}')
        : fc
            .tuple(...fields.map((field) => (isNonNullType(field.type) ? present : absent)(literalFor(field.type, depth + 1))))
            .map(
              (values) =>
                `{ ${fields.flatMap((field, index) => (values[index] === undefined ? [] : [`${field.name}: ${values[index]}`])).join(', ')} }`,
            );
  } else if (isScalarType(named)) {
    plausible =
      named.name === 'Int'
        ? fc.oneof(extremeIntegers, fc.integer().map(String))
        : named.name === 'Float'
          ? fc.oneof(
              extremeFloats,
              fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => String(value)),
            )
          : named.name === 'Boolean'
            ? fc.constantFrom('true', 'false')
            : fc.oneof(dateTimes.map(quote), oddStrings.map(quote));
  } else plausible = wrong;
  return fc.oneof({ weight: 12, arbitrary: plausible }, { weight: 1, arbitrary: wrong });
}

/** `arbitrary` once in `every` draws, undefined otherwise (fc.option counts the other way round). */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** A JSON value for a variable of a type: plausible, or any JSON at all. */
function jsonFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  const named = getNamedType(type);
  const any = fc.jsonValue({ maxDepth: 3 });
  let plausible: fc.Arbitrary<unknown> = any;
  if (isEnumType(named)) plausible = fc.constantFrom(...named.getValues().map((value) => value.name));
  else if (named.name === 'TimeRangeInput') plausible = fc.record({ from: dateTimes, to: dateTimes });
  else if (named.name === 'Int') plausible = fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 53), 1.5));
  else if (isScalarType(named)) plausible = fc.oneof(dateTimes, oddStrings, fc.double());
  const value = isListType(isNonNullType(type) ? type.ofType : type) ? fc.array(plausible, { maxLength: 3 }) : plausible;
  return fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: any }, { weight: 1, arbitrary: fc.constant(null) });
}

interface Built {
  text: string;
  /** Variable declarations and values this selection introduced. */
  variables: Array<{ name: string; declaredType: string; value: unknown }>;
}

/** A selection set of an object type, `depth` levels at most. */
function selectionOf(type: GraphQLObjectType, depth: number, counter: { next: number }, maxFields = 4): fc.Arbitrary<Built> {
  // Out of depth, leaf fields only (where the type has any), so that most selections are complete.
  const all = Object.values(type.getFields());
  const leaves = all.filter((field) => !isObjectType(getNamedType(field.type)));
  const fields = depth <= 0 && leaves.length > 0 ? leaves : all;
  const field = fc.constantFrom(...fields).chain((definition) => fieldSelection(definition, depth, counter));
  const oddField = fc.constantFrom(
    '__typename',
    '__typename',
    'doesNotExist',
    '__schema { queryType { name } }',
    '__type(name: "Zone") { name fields { name } }',
  );
  return fc
    .array(fc.oneof({ weight: 10, arbitrary: field }, { weight: 1, arbitrary: oddField.map((text) => ({ text, variables: [] })) }), {
      minLength: 1,
      maxLength: maxFields,
    })
    .map((parts) => ({ text: `{ ${parts.map((part) => part.text).join(' ')} }`, variables: parts.flatMap((part) => part.variables) }));
}

/** One field with an optional alias, its arguments (literals or variables) and its sub-selection. */
function fieldSelection(
  definition: GraphQLField<unknown, unknown>,
  depth: number,
  counter: { next: number },
  aliased = true,
): fc.Arbitrary<Built> {
  const alias = aliased ? sometimes(fc.constantFrom('a', 'b', 'x1', 'dup', 'zones', 'peakHours'), 3) : fc.constant(undefined);
  const args = fc.tuple(
    ...definition.args.map((arg) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 6, arbitrary: literalFor(arg.type).map((literal) => ({ literal })) },
        {
          weight: 3,
          arbitrary: fc
            .tuple(jsonFor(arg.type), fc.boolean())
            .map(([value, wrongDeclaration]) => ({ value, declaredType: wrongDeclaration ? 'Int' : String(arg.type) })),
        },
      ),
    ),
  );
  const bogusArgument = sometimes(
    anyLiteral.map((literal) => `bogus: ${literal}`),
    12,
  );
  const named = getNamedType(definition.type) as GraphQLNamedType;
  const below: fc.Arbitrary<Built | undefined> = isObjectType(named)
    ? depth < -1
      ? fc.constant(undefined)
      : fc.oneof({ weight: 12, arbitrary: selectionOf(named, depth - 1, counter) }, { weight: 1, arbitrary: fc.constant(undefined) })
    : sometimes(fc.constant({ text: '{ id }', variables: [] }), 12);
  return fc.tuple(alias, args, bogusArgument, below).map(([aliasName, values, bogus, selection]) => {
    const variables: Built['variables'] = [];
    const parts = definition.args.flatMap((arg, index) => {
      const value = values[index];
      if (value === undefined) return [];
      if ('literal' in value) return [`${arg.name}: ${value.literal}`];
      const name = `v${counter.next++}`;
      variables.push({ name, declaredType: value.declaredType, value: value.value });
      return [`${arg.name}: $${name}`];
    });
    if (bogus) parts.push(bogus);
    const argumentText = parts.length > 0 ? `(${parts.join(', ')})` : '';
    const text = `${aliasName ? `${aliasName}: ` : ''}${definition.name}${argumentText}${selection ? ` ${selection.text}` : ''}`;
    return { text, variables: [...variables, ...(selection?.variables ?? [])] };
  });
}

/** Operations of the schema: a query of 1..4 root selections or a mutation of one, or one root field many times over, aliased. */
export function operationArbitrary(schema: GraphQLSchema): fc.Arbitrary<GraphQLInput> {
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType();
  const root = mutation
    ? fc.oneof({ weight: 4, arbitrary: fc.constant(query) }, { weight: 1, arbitrary: fc.constant(mutation) })
    : fc.constant(query);
  const repeat = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 2, max: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 9, max: 40 }) },
  );
  const repeatOne = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc
    .tuple(root, fc.integer({ min: 1, max: 3 }), repeat, repeatOne, sometimes(fc.string({ maxLength: 8 }), 10))
    .chain(([type, depth, times, repeated, operationName]) => {
      const counter = { next: 0 };
      const isMutation = type === mutation;
      // One field many times over, aliased: the shape and cost limits' ground.
      const many = fc
        .constantFrom(...Object.values(type.getFields()))
        .chain((definition) => fieldSelection(definition, depth, counter, false))
        .map((field) => ({
          text: `{ ${Array.from({ length: times }, (_, index) => `r${index}: ${field.text}`).join(' ')} }`,
          variables: field.variables,
        }));
      // A mutation of several fields is refused at once: mostly one.
      const selection = repeated ? many : selectionOf(type, depth, counter, isMutation ? 1 : 4);
      return selection.map((built) => {
        const declarations = built.variables.map((variable) => `$${variable.name}: ${variable.declaredType}`);
        const text = `${isMutation ? 'mutation' : 'query'}${declarations.length ? `(${declarations.join(', ')})` : ''} ${built.text}`;
        const variables = Object.fromEntries(built.variables.map((variable) => [variable.name, variable.value]));
        return { query: text, variables, ...(operationName === undefined ? {} : { operationName }) };
      });
    });
}
