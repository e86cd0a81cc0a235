import { Match } from 'aws-cdk-lib/assertions';
import { METRICS_NAMESPACE } from '../../src/metrics-catalog';
import { ALARM_THRESHOLDS, PIPELINE_METRICS } from '../../infra/monitoring';
import { METRICS, METRIC_SERVICES, type MetricDatum } from '../../src/metrics-catalog';
import { batchOutcome } from '../../src/process/batch-outcome';
import type { BatchReport } from '../../src/process/process-batch';
import { ingestMetrics } from '../../src/serve/ingest-metrics';
import { eventOf, kinesisRecordFactory } from '../support/kinesis-events';
import { onlyLogicalId, resourcesOfType, synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

/**
 * `service/name` of every metric the handlers' code emits: the processor after a batch that has
 * every kind of record and a counted pickup, the API after an ingest call.
 */
function emittedByTheCode(): Set<string> {
  const report: BatchReport = {
    records: 4,
    accepted: 1,
    duplicates: 1,
    rejected: 1,
    poison: 1,
    settled: 4,
    writeUnits: 9,
    itemsWritten: 6,
    newestPickupMs: 1_000,
    rejectedByReason: { UNKNOWN_ZONE: 1 },
  };
  const event = eventOf(['1', '2', '3', '4'].map((n) => kinesisRecordFactory('', n)));
  const processor = batchOutcome(event, report, 2_000).metrics;
  const api = ingestMetrics({ accepted: 1, rejected: [] });
  const names = (service: string, data: MetricDatum[]) => data.map(({ name }) => `${service}/${name}`);
  return new Set([...names(METRIC_SERVICES.processor, processor), ...names(METRIC_SERVICES.api, api)]);
}

type AlarmProperties = Record<string, unknown> & {
  MetricName?: string;
  Namespace?: string;
  Metrics?: { MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions?: unknown[] }; Stat: string } }[];
};

describe('PipelineMonitoring', () => {
  let synth: SynthesizedTaxiPulse;
  let alarms: AlarmProperties[];
  let topicId: string;

  beforeAll(() => {
    synth = synthTaxiPulse();
    alarms = Object.values(resourcesOfType(synth.stateless, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as AlarmProperties);
    topicId = onlyLogicalId(synth.stateless, 'AWS::SNS::Topic');
  });

  afterAll(() => synth?.dispose());

  /** The alarms watching a metric, whether it is rendered plainly, in a metric stat or in math. */
  function alarmsOn(namespace: string, metricName: string): AlarmProperties[] {
    return alarms.filter(
      (alarm) =>
        (alarm.Namespace === namespace && alarm.MetricName === metricName) ||
        (alarm.Metrics ?? []).some(
          (metric) => metric.MetricStat?.Metric.Namespace === namespace && metric.MetricStat.Metric.MetricName === metricName,
        ),
    );
  }

  it.each([
    ['processor iterator age', 'AWS/Lambda', 'IteratorAge'],
    ['processor errors', 'AWS/Lambda', 'Errors'],
    ['messages on the on-failure queue', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
    ['DynamoDB write throttles', 'AWS/DynamoDB', 'WriteThrottleEvents'],
    ['DynamoDB read throttles', 'AWS/DynamoDB', 'ReadThrottleEvents'],
    ['API 5xx', 'AWS/ApiGateway', '5xx'],
    ['API latency', 'AWS/ApiGateway', 'Latency'],
    ['freshness', METRICS_NAMESPACE, 'ProcessingLagMs'],
    ['stream write throttling (too few shards)', 'AWS/Kinesis', 'PutRecords.ThrottledRecords'],
  ])('alarms on %s', (_what, namespace, metricName) => {
    expect(alarmsOn(namespace, metricName)).toHaveLength(1);
  });

  it('alarms on API latency and freshness at p99', () => {
    expect(alarmsOn('AWS/ApiGateway', 'Latency')[0]).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: ALARM_THRESHOLDS.apiLatencyP99Ms,
    });
    const freshness = alarmsOn(METRICS_NAMESPACE, 'ProcessingLagMs')[0];
    expect(freshness.Threshold).toBe(ALARM_THRESHOLDS.processingLagP99Ms);
    expect(freshness.Metrics?.[0].MetricStat).toMatchObject({
      Stat: 'p99',
      Metric: { Dimensions: [{ Name: 'service', Value: 'processor' }] },
    });
  });

  it('sends every alarm and its recovery to the SNS topic', () => {
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('treats missing data as not breaching, because each metric only flows with traffic', () => {
    for (const alarm of alarms) expect(alarm.TreatMissingData).toBe('notBreaching');
  });

  it('encrypts the alarm topic with a rotating key that CloudWatch may use, and requires TLS to publish', () => {
    const keyId = onlyLogicalId(synth.stateless, 'AWS::KMS::Key');
    synth.stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    synth.stateless.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
    synth.stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });

  it('shows and alarms on only metrics of its namespace that the handlers emit, from the handler that emits them', () => {
    // Prepare
    const emitted = emittedByTheCode();
    const dashboardBody = JSON.stringify(Object.values(resourcesOfType(synth.stateless, 'AWS::CloudWatch::Dashboard'))[0].Properties);
    // Dashboard metrics render as ["TaxiPulse","<name>","service","<service>",...] inside the body's JSON string.
    const onDashboard = [
      ...dashboardBody.matchAll(new RegExp(`\\\\"${METRICS_NAMESPACE}\\\\",\\\\"(\\w+)\\\\",\\\\"service\\\\",\\\\"(\\w+)\\\\"`, 'g')),
    ].map(([, name, service]) => `${service}/${name}`);
    const alarmed = alarms.flatMap((alarm) =>
      (alarm.Metrics ?? [])
        .map((metric) => metric.MetricStat?.Metric)
        .filter((metric) => metric?.Namespace === METRICS_NAMESPACE)
        .map((metric) => {
          const service = (metric!.Dimensions as Array<{ Name: string; Value: string }> | undefined)?.find(
            ({ Name }) => Name === 'service',
          );
          return `${service?.Value}/${metric!.MetricName}`;
        }),
    );
    const plainAlarms = alarms.filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);

    // Assess
    expect(onDashboard.length).toBeGreaterThanOrEqual(Object.keys(PIPELINE_METRICS).length);
    expect(alarmed.length).toBeGreaterThan(0);
    expect(plainAlarms).toEqual([]);
    for (const shown of [...onDashboard, ...alarmed]) expect(emitted).toContain(shown);
    for (const metric of emitted) {
      const [service, name] = metric.split('/') as [string, keyof typeof METRICS];
      expect(METRICS[name].emittedBy).toContain(service);
    }
  });

  it('shows the alarms and every EMF metric of the handlers on the dashboard', () => {
    const dashboards = Object.values(resourcesOfType(synth.stateless, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties?.DashboardBody);
    for (const name of Object.keys(PIPELINE_METRICS)) expect(body).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${name}\\"`);
    expect(body).toContain('\\"alarm\\"');
  });
});
