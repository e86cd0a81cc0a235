/**
 * Which of the optional insights this API has. The page is deployed with the stack it talks to, but
 * an older stack (or one mid-upgrade) may lack a field: its panel is then left out of the page, not
 * shown empty. One introspection request at start answers it; if introspection were turned off, the
 * panels' own queries tell (a GRAPHQL_VALIDATION_FAILED answer hides the panel, see isMissingField).
 */
import { QueryFailedError, type GraphQLClient } from './graphql';

export interface Capabilities {
  /** peakHours.byHourOfWeek: the weekday x hour heatmap. */
  readonly byHourOfWeek: boolean;
  /** operations(...): durations, speed, payment mix, revenue. */
  readonly operations: boolean;
  /** zoneFlows(...): the zone map. */
  readonly zoneFlows: boolean;
  /** demandForecast(...): the forecast panel. */
  readonly demandForecast: boolean;
}

const CAPABILITIES_QUERY = `query DashboardCapabilities {
  query: __type(name: "Query") { fields { name } }
  peakHours: __type(name: "PeakHours") { fields { name } }
}`;

interface TypeFields {
  fields: { name: string }[] | null;
}

/** Everything assumed present: what the page does when it cannot introspect. */
export const ALL_CAPABILITIES: Capabilities = { byHourOfWeek: true, operations: true, zoneFlows: true, demandForecast: true };

/** Asks the API which optional fields it has. */
export async function detectCapabilities(client: GraphQLClient): Promise<Capabilities> {
  let answer: { query: TypeFields | null; peakHours: TypeFields | null };
  try {
    answer = await client.query(CAPABILITIES_QUERY);
  } catch (error) {
    // Introspection disabled: assume everything, and let each panel's first answer decide.
    if (error instanceof QueryFailedError) return ALL_CAPABILITIES;
    throw error;
  }
  const has = (type: TypeFields | null, field: string) => (type?.fields ?? []).some((entry) => entry.name === field);
  return {
    byHourOfWeek: has(answer.peakHours, 'byHourOfWeek'),
    operations: has(answer.query, 'operations'),
    zoneFlows: has(answer.query, 'zoneFlows'),
    demandForecast: has(answer.query, 'demandForecast'),
  };
}

/** True when the API refused a query because it does not have a field the query asks for. */
export function isMissingField(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    error.errors.some((entry) => entry.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && /Cannot query field/.test(entry.message))
  );
}
