/**
 * The figures the API reports per `ingestTrips` call (published at once, one EMF line per call).
 */
import type { IngestAnswer } from '../ingest/ingest-trips';
import { metricDatum, type MetricDatum } from '../metrics-catalog';

/** TripsAccepted (written to the stream) and TripsRejected (by validation) of one call. */
export function ingestMetrics(answer: IngestAnswer): MetricDatum[] {
  return [metricDatum('TripsAccepted', answer.accepted), metricDatum('TripsRejected', answer.rejected.length)];
}
