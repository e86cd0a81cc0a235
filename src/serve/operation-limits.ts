/**
 * What one request may ask for. The shape limits (aliases, root fields, depth) are checked on a parse
 * of the document before Apollo's own parse and validation (request-gate.ts: validation costs ten to
 * thirty times the parse on large documents); the token limit is the parser's own; the read budget
 * needs the variables and is checked on the cost model's estimate (cost-model.ts) before any resolver
 * runs (operation-policy-plugin.ts). docs/api-edge.md explains the numbers.
 */
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ERROR_CODES } from './errors';

export const OPERATION_LIMITS = {
  /**
   * DynamoDB items one request may read, by the cost model's estimate. The costliest single field (a
   * monthly fare trend over the 3,700 days MAX_RANGE_DAYS allows, about 3,730 DAY items) fits with
   * room for a dashboard's other fields; 300 aliased hourly February trends (201,600 items) do not.
   */
  maxEstimatedItems: 5000,
  /**
   * Operations estimated above this run one at a time in a process (operation-policy-plugin.ts): on
   * the local stack, where one process serves every client, an allowed but heavy operation then takes
   * its turn instead of crowding out light ones. A month of hourly city buckets is 672 items.
   */
  heavyOperationItems: 1000,
  /** Aliased fields, at every level, fragments expanded. */
  maxAliases: 30,
  /** Root fields of a query, fragments expanded. */
  maxQueryRootFields: 20,
  /** Root fields of a mutation: one `ingestTrips`, so that aliases cannot lift its 500-trip cap. */
  maxMutationRootFields: 1,
  /** Nesting of fields; the schema's own types need 4, the standard introspection query 13. */
  maxDepth: 15,
  /** Lexical tokens of a document: a 500-trip ingestTrips written inline with every field is about 22,000. */
  maxTokens: 25_000,
} as const;

/** A shape limit the document breaks, as a client error naming the limit. */
function tooComplex(limit: string, value: number, max: number, what: string): GraphQLError {
  return new GraphQLError(`the operation has ${value} ${what}; at most ${max} are allowed per request`, {
    extensions: { code: ERROR_CODES.queryTooComplex, limit, value, max, http: { status: 400 } },
  });
}

/** The estimate over the read budget, as the client error QUERY_TOO_COSTLY. */
export function tooCostly(estimatedItems: number): GraphQLError {
  const max = OPERATION_LIMITS.maxEstimatedItems;
  return new GraphQLError(
    `the operation would read about ${estimatedItems} items, over the limit of ${max} per request: ask for fewer fields, shorter ranges or a coarser granularity, or split it into several requests`,
    { extensions: { code: ERROR_CODES.queryTooCostly, estimatedItems, maxItems: max, http: { status: 400 } } },
  );
}

interface Shape {
  aliases: number;
  depth: number;
  rootFields: number;
}

/**
 * The first shape limit the document's operations break, or undefined. Runs before validation, so
 * it must hold for any parsed document: unknown fragments count as empty and a fragment that spreads
 * itself is cut (validation refuses both afterwards). Each fragment is measured once; a spread counts
 * its fragment's aliases once per use, so nested spreads cannot hide a multiplication.
 */
export function shapeLimitBroken(document: DocumentNode): GraphQLError | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Shape>();
  const measuring = new Set<string>();
  const measure = (selectionSet: SelectionSetNode): Shape => {
    const shape: Shape = { aliases: 0, depth: 0, rootFields: 0 };
    for (const selection of selectionSet.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet ? measure(selection.selectionSet) : { aliases: 0, depth: 0, rootFields: 0 };
        inner = { aliases: below.aliases + (selection.alias ? 1 : 0), depth: below.depth + 1, rootFields: 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet);
      } else {
        inner = measureFragment(selection.name.value);
      }
      shape.aliases += inner.aliases;
      shape.rootFields += inner.rootFields;
      shape.depth = Math.max(shape.depth, inner.depth);
    }
    return shape;
  };
  const measureFragment = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return { aliases: 0, depth: 0, rootFields: 0 };
    measuring.add(name);
    const shape = measure(fragment.selectionSet);
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measure(definition.selectionSet);
    const maxRootFields =
      definition.operation === 'mutation' ? OPERATION_LIMITS.maxMutationRootFields : OPERATION_LIMITS.maxQueryRootFields;
    if (shape.rootFields > maxRootFields)
      return tooComplex('rootFields', shape.rootFields, maxRootFields, `root fields in a ${definition.operation}`);
    if (shape.aliases > OPERATION_LIMITS.maxAliases) return tooComplex('aliases', shape.aliases, OPERATION_LIMITS.maxAliases, 'aliases');
    if (shape.depth > OPERATION_LIMITS.maxDepth) return tooComplex('depth', shape.depth, OPERATION_LIMITS.maxDepth, 'levels of nesting');
  }
  return undefined;
}
