/**
 * What every resolver receives: the use cases, built once per process (not per request).
 */
import type { IngestAnswer } from '../ingest/ingest-trips';
import type { TripPublisher } from '../ingest/publisher';
import type { ApiRole } from './api-keys';
import type { InsightsQueries } from './insights-queries';

export interface RequestContext {
  queries: InsightsQueries;
  publisher: TripPublisher;
  /** What the request's API key allows (empty: no valid key). */
  roles: ApiRole[];
  /** Reports an ingest call's outcome (metrics). */
  observeIngest: (answer: IngestAnswer) => void;
}
