/**
 * The API's cost model: for every root field of the schema, how many DynamoDB items it reads for its
 * arguments, and how long a successful answer may be kept by an HTTP cache. One table, keyed by root
 * field name; the type below fails to compile when a field of `Query` or `Mutation` has no entry, and
 * test/unit/serve/cost-model.test.ts checks every root field of the running schema and compares each
 * estimate with what the readers actually read.
 *
 * A new root field's author adds one entry here: `readItems` from its arguments (through the same span
 * functions the use case reads with, so that the two cannot drift), and its `freshness`. See
 * docs/api-edge.md, "Cost model".
 */
import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getVariableValues,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fareTrendReadSpan, peakHoursDaySpan } from '../domain/insights';
import { operationsReadSpan } from '../domain/operations-insight';
import { keysInSpanAtMost } from '../domain/time';
import { zoneFlowsReadPlan } from '../domain/zone-flows-insight';
import { demandForecastReads, demandPressureReads } from './forecast-queries';
import type {
  Mutation,
  Query,
  QueryDemandForecastArgs,
  QueryDemandPressureArgs,
  QueryFareTrendArgs,
  QueryOperationsArgs,
  QueryPeakHoursArgs,
  QueryResolvers,
  QueryZoneFlowsArgs,
} from './generated/resolvers-types';
import { MAX_RANGE_DAYS, MAX_ZONE_FLOWS_RANGE_DAYS, parseBorough, parseRange, parseScope, type RangeArgument } from './insights-queries';

/**
 * How long an answer stays true: `static` (the zone table, the schema), `live` (the pipeline's own
 * counters, which move with every batch), or `range` (insights over a pickup-time range ending at
 * `toMs`: settled once late trips can no longer land in it).
 */
export type Freshness = { readonly kind: 'static' } | { readonly kind: 'live' } | { readonly kind: 'range'; readonly toMs: number };

export const STATIC: Freshness = { kind: 'static' };
export const LIVE: Freshness = { kind: 'live' };

/** What the cost model knows of one root field. */
export interface RootFieldPolicy<Args> {
  /**
   * An upper bound of the DynamoDB items the field reads for these (coerced) arguments: exact when
   * every bucket in the span holds data, 0 when the use case refuses the arguments before reading.
   */
  readonly readItems: (args: Args) => number;
  /** How long the answer stays true, for the Cache-Control header of a successful query. */
  readonly freshness: (args: Args) => Freshness;
}

/**
 * Status items the pipelineStatus estimate allows for: one per shard the processor has read, closed
 * parents of a resharded stream included. The stream starts with 2 (STREAM_DEFINITION.shardCount).
 */
export const ASSUMED_MAX_SHARD_STATUS_ITEMS = 16;

type QueryFieldName = Exclude<keyof Query, '__typename'>;
/** A query field's arguments as its resolver receives them (defaults applied), from the generated types. */
type QueryArgs<Field extends QueryFieldName> = Parameters<Extract<NonNullable<QueryResolvers[Field]>, (...args: never[]) => unknown>>[1];
type MutationFieldName = Exclude<keyof Mutation, '__typename'>;

/** Insights over a range are settled once the range is over (see http-caching.ts for how long after). */
function rangeFreshness(range: RangeArgument): Freshness {
  try {
    // The longest range any field allows: the use case checks the field's own bound.
    return { kind: 'range', toMs: parseRange(range, Number.MAX_SAFE_INTEGER).toMs };
  } catch {
    // Refused by the use case: an error answer, never cached.
    return LIVE;
  }
}

/** `read` with the use case's own argument checks; 0 items when they refuse (nothing is read then). */
function unlessRefused(read: () => number): number {
  try {
    return read();
  } catch (error) {
    if (error instanceof GraphQLError) return 0;
    throw error;
  }
}

/** The query fields: what each reads (see src/serve/insights-queries.ts and src/domain/insights.ts). */
export const QUERY_FIELD_POLICIES: { readonly [Field in QueryFieldName]: RootFieldPolicy<QueryArgs<Field>> } = {
  peakHours: {
    // One DAY item (projected to its hour counts) per local day that has an hour in the range.
    readItems: (args: QueryPeakHoursArgs) =>
      unlessRefused(() => {
        const { fromMs, toMs } = parseRange(args.range, MAX_RANGE_DAYS.DAY);
        parseScope(args);
        return keysInSpanAtMost(peakHoursDaySpan(fromMs, toMs), 'DAY');
      }),
    freshness: (args: QueryPeakHoursArgs) => rangeFreshness(args.range),
  },
  fareTrend: {
    // HOUR: one HOUR item per hour for the city and boroughs, DAY items for zones (their hours live
    // inside); DAY, WEEK and MONTH: DAY items, for WEEK and MONTH up to the last bucket's end, which
    // may lie past the range's.
    readItems: (args: QueryFareTrendArgs) =>
      unlessRefused(() => {
        const { fromMs, toMs } = parseRange(args.range, MAX_RANGE_DAYS[args.granularity]);
        const read = fareTrendReadSpan(fromMs, toMs, args.granularity, parseScope(args));
        return read ? keysInSpanAtMost(read.span, read.stored) : 0;
      }),
    freshness: (args: QueryFareTrendArgs) => rangeFreshness(args.range),
  },
  // Exactly what fareTrend reads with the same arguments: the operations figures live on the same items.
  operations: {
    readItems: (args: QueryOperationsArgs) =>
      unlessRefused(() => {
        const { fromMs, toMs } = parseRange(args.range, MAX_RANGE_DAYS[args.granularity]);
        const read = operationsReadSpan(fromMs, toMs, args.granularity, parseScope(args));
        return read ? keysInSpanAtMost(read.span, read.stored) : 0;
      }),
    freshness: (args: QueryOperationsArgs) => rangeFreshness(args.range),
  },
  // One FLOW#DAY item per day whose hours all start in the range, plus one FLOW#HOUR item per hour of
  // the partial first and last days; the borough filter reads the same city-wide items.
  zoneFlows: {
    readItems: (args: QueryZoneFlowsArgs) =>
      unlessRefused(() => {
        const { fromMs, toMs } = parseRange(args.range, MAX_ZONE_FLOWS_RANGE_DAYS);
        parseBorough(args.borough);
        const plan = zoneFlowsReadPlan(fromMs, toMs);
        const days = plan.days ? keysInSpanAtMost(plan.days, 'DAY') : 0;
        return plan.hours.reduce((items, span) => items + keysInSpanAtMost(span, 'HOUR'), days);
      }),
    freshness: (args: QueryZoneFlowsArgs) => rangeFreshness(args.range),
  },
  // The counters item.
  ingestionCounts: { readItems: () => 1, freshness: () => LIVE },
  // The counters item and one status item per shard.
  pipelineStatus: { readItems: () => 1 + ASSUMED_MAX_SHARD_STATUS_ITEMS, freshness: () => LIVE },
  // The zone table ships with the code.
  zones: { readItems: () => 0, freshness: () => STATIC },
  // The scope's DAY items (projected to their hour counts) of the 112 days before from's day: one Query.
  // The answer depends only on days before from's day: settled as a range ending there is.
  demandForecast: {
    readItems: (args: QueryDemandForecastArgs) => unlessRefused(() => keysInSpanAtMost(demandForecastReads(args).daySpan, 'DAY')),
    freshness: (args: QueryDemandForecastArgs) => historyFreshness(() => demandForecastReads(args).historyEndMs),
  },
  // The city-wide FLOW#HOUR items of at's local hour on the 112 days before at's day (111 when one of
  // them is a spring-forward day and the hour 02:00), by key.
  demandPressure: {
    readItems: (args: QueryDemandPressureArgs) => unlessRefused(() => demandPressureReads(args).hourKeys.length),
    freshness: (args: QueryDemandPressureArgs) => historyFreshness(() => demandPressureReads(args).historyEndMs),
  },
};

/** A forecast learns from whole days ending at `historyEndMs`: it is settled as insights over a range ending there. */
function historyFreshness(historyEndMs: () => number): Freshness {
  try {
    return { kind: 'range', toMs: historyEndMs() };
  } catch {
    // Refused by the use case: an error answer, never cached.
    return LIVE;
  }
}

/**
 * The mutation fields read nothing. Their size is bounded elsewhere: 500 trips per call (the use
 * case), the token limit and one mutation field per request (operation-limits.ts). Their answers are
 * never cached.
 */
export const MUTATION_FIELD_POLICIES: { readonly [Field in MutationFieldName]: { readonly readItems: () => number } } = {
  ingestTrips: { readItems: () => 0 },
};

/** One root field of an operation as estimated: its response name and items. */
export interface FieldEstimate {
  readonly field: string;
  readonly responseName: string;
  readonly items: number;
}

/** An operation's estimate: items over all its root fields (aliases each counted), and its freshness. */
export interface OperationEstimate {
  readonly items: number;
  readonly fields: readonly FieldEstimate[];
  /** The shortest-lived of its fields' (static when it has no field that reads). */
  readonly freshness: Freshness;
  /** Set when the variables do not coerce: execution will refuse the operation before any resolver. */
  readonly variablesInvalid?: boolean;
}

/** The freshness that keeps least long: live < range (the earlier end keeps longer) < static. */
function shorterLived(a: Freshness, b: Freshness): Freshness {
  if (a.kind === 'live' || b.kind === 'static') return a;
  if (b.kind === 'live' || a.kind === 'static') return b;
  return a.toMs >= b.toMs ? a : b;
}

/**
 * Estimates an operation before it runs: walks its root selections (through fragments, every field
 * counted, @skip and @include ignored, so it errs high), coerces each root field's arguments as
 * execution will, and asks the field's policy. Query variables are coerced here; a mutation's are not
 * (its fields read nothing, and 500 trips are costly to coerce twice).
 */
export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): OperationEstimate {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: FieldEstimate[] = [];
  if (operation.operation === 'mutation') {
    forEachRootField(operation.selectionSet, fragments, (name, responseName) => {
      const policy = (MUTATION_FIELD_POLICIES as Record<string, { readItems: () => number } | undefined>)[name];
      fields.push({ field: name, responseName, items: policy?.readItems() ?? 0 });
    });
    return { items: sum(fields), fields, freshness: LIVE };
  }
  const queryType = schema.getQueryType() as GraphQLObjectType;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return { items: 0, fields, freshness: LIVE, variablesInvalid: true };
  let freshness: Freshness = STATIC;
  forEachRootField(operation.selectionSet, fragments, (name, responseName, node) => {
    const policy = (QUERY_FIELD_POLICIES as Record<string, RootFieldPolicy<unknown> | undefined>)[name];
    const definition = queryType.getFields()[name];
    // Introspection (__schema, __type, __typename) reads nothing and changes with a deployment only.
    if (!policy || !definition) return void fields.push({ field: name, responseName, items: 0 });
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, coerced.coerced);
    } catch {
      // The field fails with this error at execution, before its resolver runs.
      freshness = LIVE;
      return void fields.push({ field: name, responseName, items: 0 });
    }
    fields.push({ field: name, responseName, items: policy.readItems(args) });
    freshness = shorterLived(freshness, policy.freshness(args));
  });
  return { items: sum(fields), fields, freshness };
}

function sum(fields: readonly FieldEstimate[]): number {
  return fields.reduce((total, field) => total + field.items, 0);
}

/** Calls `visit` for every root field of a selection set, fragments expanded (each spread once per use). */
function forEachRootField(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visit: (name: string, responseName: string, node: Parameters<typeof getArgumentValues>[1]) => void,
  inside: ReadonlySet<string> = new Set(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      visit(selection.name.value, selection.alias?.value ?? selection.name.value, selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      forEachRootField(selection.selectionSet, fragments, visit, inside);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Validation has refused unknown and cyclic spreads already; the guard keeps this total anyway.
      if (fragment && !inside.has(fragment.name.value)) {
        forEachRootField(fragment.selectionSet, fragments, visit, new Set([...inside, fragment.name.value]));
      }
    }
  }
}
