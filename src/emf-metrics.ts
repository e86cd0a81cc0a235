/**
 * Publishing the handlers' metric data through Powertools Metrics (CloudWatch EMF on AWS; disabled
 * locally and in tests by POWERTOOLS_METRICS_DISABLED).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type MetricDatum, type MetricService } from './metrics-catalog';

/** The Powertools metrics of one handler, in the catalog's namespace. */
export function handlerMetrics(service: MetricService): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
}

/**
 * Publishes `data` at once: the data without extra dimensions as one EMF line, each datum with
 * dimensions (e.g. TripsRejectedByReason's `reason`) as a line of its own.
 */
export function publishMetrics(metrics: Metrics, data: readonly MetricDatum[]): void {
  for (const datum of data) {
    const unit = datum.unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds;
    if (!datum.dimensions) {
      metrics.addMetric(datum.name, unit, datum.value);
      continue;
    }
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(datum.dimensions)) single.addDimension(name, value);
    single.addMetric(datum.name, unit, datum.value);
  }
  metrics.publishStoredMetrics();
}
