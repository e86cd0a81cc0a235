/**
 * What every resolver receives: the use cases, built once per process (not per request).
 */
import type { TripPublisher } from '../ingest/publisher';
import type { InsightsQueries } from './insights-queries';

export interface RequestContext {
  queries: InsightsQueries;
  publisher: TripPublisher;
}
