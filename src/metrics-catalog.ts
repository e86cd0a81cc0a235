/**
 * The pipeline's own CloudWatch metrics, declared once: their namespace, the handler (Powertools
 * `service` dimension) that emits each, its unit and meaning. The handlers emit only names from here
 * (src/process/batch-metrics.ts, src/serve/ingest-metrics.ts), and the dashboard and alarms
 * (infra/monitoring.ts) read only names from here; test/infra/monitoring.test.ts checks that every
 * metric they show is one the code emits.
 */

/** The namespace of every metric the handlers emit (EMF, through Powertools Metrics). */
export const METRICS_NAMESPACE = 'TaxiPulse';

/** The Powertools `service` of each handler (POWERTOOLS_SERVICE_NAME): a dimension of every metric it emits (the lake transformation and the dashboard page emit none yet). */
export const METRIC_SERVICES = { api: 'api', processor: 'processor', lake: 'lake', dashboard: 'dashboard' } as const;
export type MetricService = (typeof METRIC_SERVICES)[keyof typeof METRIC_SERVICES];

export type MetricUnit = 'Count' | 'Milliseconds';

interface MetricDefinition {
  readonly unit: MetricUnit;
  /** The handlers that emit it. */
  readonly emittedBy: readonly MetricService[];
  /** Dimensions besides `service`. */
  readonly dimensions?: readonly string[];
  readonly meaning: string;
}

const { api, processor } = METRIC_SERVICES;

/**
 * Every metric the handlers emit. ProcessingLagMs (stream arrival -> applied) drives the freshness
 * alarm; EventLagMs (pickup -> applied) is large by nature while old TLC files are replayed.
 */
export const METRICS = {
  TripsAccepted: { unit: 'Count', emittedBy: [api, processor], meaning: 'api: trips written to the stream; processor: trips counted' },
  TripsRejected: { unit: 'Count', emittedBy: [api, processor], meaning: 'trips rejected by validation (each tripId once, processor)' },
  TripsRejectedByReason: { unit: 'Count', emittedBy: [processor], dimensions: ['reason'], meaning: 'rejections counted, by reason' },
  TripsDuplicate: { unit: 'Count', emittedBy: [processor], meaning: 'records whose tripId was already counted' },
  PoisonRecords: { unit: 'Count', emittedBy: [processor], meaning: 'stream records that could not be decoded' },
  BatchSize: { unit: 'Count', emittedBy: [processor], meaning: 'records per invocation' },
  AggregateWrites: { unit: 'Count', emittedBy: [processor], meaning: 'aggregate and counter items updated' },
  WriteUnits: { unit: 'Count', emittedBy: [processor], meaning: 'DynamoDB write units consumed' },
  ProcessingLagMs: { unit: 'Milliseconds', emittedBy: [processor], meaning: "oldest record's arrival in the stream -> now" },
  EventLagMs: { unit: 'Milliseconds', emittedBy: [processor], meaning: 'newest counted pickup -> now' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

/** The handlers that emit a metric. */
export type EmitterOf<Name extends MetricName> = (typeof METRICS)[Name]['emittedBy'][number];

/** One value of one metric, as a handler emits it. */
export interface MetricDatum {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly value: number;
  /** Dimensions besides `service` (a metric that has them goes out as its own EMF line). */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** A datum of `name` with its catalogued unit. */
export function metricDatum(name: MetricName, value: number, dimensions?: Record<string, string>): MetricDatum {
  return dimensions ? { name, unit: METRICS[name].unit, value, dimensions } : { name, unit: METRICS[name].unit, value };
}
