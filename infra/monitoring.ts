/**
 * Monitoring of the pipeline: alarms that page (through one SNS topic) and a dashboard that explains.
 *
 * Every alarm names what it protects; thresholds sit in ALARM_THRESHOLDS with the reason for each.
 * Missing data is "not breaching" everywhere: each metric here is only emitted while there is
 * traffic, and a quiet night is not an outage. A processor that stops while records wait still shows:
 * the event source mapping keeps invoking it, so IteratorAge and Errors carry on reporting.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './constructs/pipeline-function';

/** The Powertools `service` dimension of each handler (POWERTOOLS_SERVICE_NAME). */
export const SERVICE = { api: 'api', processor: 'processor', dashboard: 'dashboard' } as const;
type Service = (typeof SERVICE)[keyof typeof SERVICE];

/**
 * The handlers' EMF metrics (namespace TaxiPulse, dimension `service`), with the handler that emits
 * each. The dashboard shows them; ProcessingLagMs (stream arrival -> applied) also drives the freshness
 * alarm. EventLagMs (pickup -> applied) is shown but not alarmed on: it is large by nature while old
 * TLC files are replayed.
 */
export const PIPELINE_METRICS = {
  TripsAccepted: { service: SERVICE.api, statistic: 'Sum', label: 'trips accepted' },
  TripsRejected: { service: SERVICE.api, statistic: 'Sum', label: 'trips rejected' },
  TripsDuplicate: { service: SERVICE.processor, statistic: 'Sum', label: 'duplicate trips' },
  PoisonRecords: { service: SERVICE.processor, statistic: 'Sum', label: 'poison records' },
  AggregateWrites: { service: SERVICE.processor, statistic: 'Sum', label: 'aggregate writes' },
  WriteUnits: { service: SERVICE.processor, statistic: 'Sum', label: 'DynamoDB write units' },
  BatchSize: { service: SERVICE.processor, statistic: 'Average', label: 'records per batch (avg)' },
  ProcessingLagMs: { service: SERVICE.processor, statistic: 'p99', label: 'processing lag p99 (ms)' },
  EventLagMs: { service: SERVICE.processor, statistic: 'p99', label: 'event lag p99 (ms)' },
} as const satisfies Record<string, { service: Service; statistic: string; label: string }>;
export type PipelineMetricName = keyof typeof PIPELINE_METRICS;

/** Alarm thresholds, each with why it is where it is. */
export const ALARM_THRESHOLDS = {
  /** The processor is more than a minute behind the stream head for 5 minutes (normally ~1-2 s). */
  iteratorAgeMs: 60_000,
  /** Trips take more than 2 minutes from acceptance to the aggregates, at p99, for 5 minutes. */
  processingLagP99Ms: 120_000,
  /** Analyst queries and 500-trip mutations are sub-second; 3 s at p99 means something is wrong. */
  apiLatencyP99Ms: 3_000,
} as const;

export interface PipelineMonitoringProps {
  readonly processor: lambda.IFunction;
  readonly api: lambda.IFunction;
  readonly httpApi: apigwv2.IHttpApi;
  readonly stream: kinesis.IStream;
  readonly table: dynamodb.ITable;
  readonly onFailureQueue: sqs.IQueue;
  readonly onFailureParkingQueue: sqs.IQueue;
  readonly dataLakeDelivery: firehose.CfnDeliveryStream;
  /** Subscribe this address to the alarm topic (it must confirm the subscription). */
  readonly alarmEmail?: string;
}

export class PipelineMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);

    // A customer-managed key, because the AWS-managed aws/sns key cannot grant CloudWatch alarms the
    // right to publish to an encrypted topic.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'taxi-pulse: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName: 'taxi-pulse alarms' });
    // The topic policy (it exists for enforceSSL) replaces SNS's default one: say who may publish.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const oneMinute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    const iteratorAge = props.processor.metric('IteratorAge', { statistic: 'Maximum', period: oneMinute });
    this.alarm('ProcessorIteratorAge', {
      description: 'The processor is falling behind the trip stream (Lambda IteratorAge, max).',
      metric: iteratorAge,
      threshold: ALARM_THRESHOLDS.iteratorAgeMs,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const processorErrors = props.processor.metricErrors({ statistic: 'Sum', period: oneMinute });
    this.alarm('ProcessorErrors', {
      description:
        'The processor fails whole invocations (infrastructure errors; bad records never throw). The shard waits while it retries.',
      metric: processorErrors,
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // SQS sends these metrics every five minutes (less often for idle queues).
    const onFailureMessages = props.onFailureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes });
    this.alarm('OnFailureQueueNotEmpty', {
      description:
        'The processor gave up on a batch: its stream positions are on the on-failure queue and must be replayed before the stream retention ends (24 h).',
      metric: onFailureMessages,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const throttles = new cloudwatch.MathExpression({
      label: 'DynamoDB throttle events',
      expression: 'FILL(writeThrottles, 0) + FILL(readThrottles, 0)',
      usingMetrics: {
        writeThrottles: props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: oneMinute }),
        readThrottles: props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: oneMinute }),
      },
      period: oneMinute,
    });
    this.alarm('TableThrottles', {
      description:
        'DynamoDB throttles the table (a hot partition: on-demand still caps 1,000 WCU/s per partition). Sustained, it delays the processor.',
      metric: throttles,
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // A provisioned stream takes 1,000 records or 1 MB per second per shard: throttled puts are
    // resent by the publisher (ingest slows down), and sustained throttling means too few shards.
    this.alarm('StreamWriteThrottles', {
      description:
        'The trip stream refuses records: its shards are full (1,000 records/s each). The API resends them, so ingest slows down; sustained, add shards (-c streamShards=N).',
      metric: props.stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: oneMinute }),
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const api5xx = props.httpApi.metricServerError({ statistic: 'Sum', period: oneMinute });
    this.alarm('Api5xx', {
      description: 'The GraphQL API answers with 5xx (a crashed or timed-out Lambda, or an integration error).',
      metric: api5xx,
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const apiLatency = props.httpApi.metricLatency({ statistic: 'p99', period: fiveMinutes });
    this.alarm('ApiLatencyP99', {
      description: 'The GraphQL API is slow at p99.',
      metric: apiLatency,
      threshold: ALARM_THRESHOLDS.apiLatencyP99Ms,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const eventLag = this.pipelineMetric('EventLagMs', { period: oneMinute });
    const processingLag = this.pipelineMetric('ProcessingLagMs', { period: oneMinute });
    this.alarm('Freshness', {
      description:
        'Aggregates are stale: trips take too long from arrival in the stream to the table (ProcessingLagMs p99, emitted by the processor).',
      metric: processingLag,
      threshold: ALARM_THRESHOLDS.processingLagP99Ms,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const custom = (name: PipelineMetricName) => this.pipelineMetric(name, { period: oneMinute });
    const firehoseMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName,
        dimensionsMap: { DeliveryStreamName: props.dataLakeDelivery.ref },
        statistic,
        period: fiveMinutes,
      });

    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }));
    this.dashboard.addWidgets(
      graph('Ingest: trips', [custom('TripsAccepted'), custom('TripsRejected')]),
      graph('API: requests and errors', [
        props.httpApi.metricCount({ period: oneMinute }),
        api5xx,
        props.httpApi.metricClientError({ period: oneMinute }),
      ]),
      graph('API: latency', [props.httpApi.metricLatency({ statistic: 'p50', period: fiveMinutes }), apiLatency]),
    );
    this.dashboard.addWidgets(
      graph(
        'Stream: records in',
        [props.stream.metricIncomingRecords({ statistic: 'Sum', period: oneMinute })],
        [props.stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: oneMinute })],
      ),
      graph('Processor: lag', [iteratorAge, processingLag, eventLag]),
      graph('Processor: invocations', [props.processor.metricInvocations({ period: oneMinute }), processorErrors], [custom('BatchSize')]),
    );
    this.dashboard.addWidgets(
      graph('Processor: records', [custom('TripsDuplicate'), custom('PoisonRecords')]),
      graph('Processor: writes', [custom('AggregateWrites'), custom('WriteUnits')], [throttles]),
      graph('Processor: duration', [props.processor.metricDuration({ statistic: 'p99', period: oneMinute })]),
    );
    this.dashboard.addWidgets(
      graph('Failures: on-failure queue', [
        onFailureMessages,
        props.onFailureParkingQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
      ]),
      graph(
        'Data lake: Firehose',
        [firehoseMetric('DeliveryToS3.Records', 'Sum')],
        [firehoseMetric('DeliveryToS3.DataFreshness', 'Maximum')],
      ),
      graph(
        'API function',
        [props.api.metricErrors({ period: oneMinute }), props.api.metricThrottles({ period: oneMinute })],
        [props.api.metricDuration({ statistic: 'p99', period: oneMinute })],
      ),
    );
  }

  /** One of the handlers' EMF metrics, with the dimension and statistic it is read with. */
  pipelineMetric(name: PipelineMetricName, options: { period: Duration }): cloudwatch.Metric {
    const { service, statistic, label } = PIPELINE_METRICS[name];
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service },
      statistic,
      label,
      period: options.period,
    });
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData' | 'alarmDescription'> & { description: string }) {
    const { description, ...rest } = props;
    const alarm = new cloudwatch.Alarm(this, id, {
      ...rest,
      alarmDescription: description,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new cwActions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
