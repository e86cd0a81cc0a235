/**
 * The stateless stack: the code and what fronts it. The processor Lambda fed by the trip stream, the
 * GraphQL Lambda behind an HTTP API, and the monitoring. It can be deleted and redeployed at will:
 * everything it points at lives in the stateful stack.
 *
 * Both functions are exactly the handlers the local runtime runs (src/process/handler.ts,
 * src/serve/handler.ts), with the same batch settings (src/ingest/stream-definition.ts).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CORS_RULES } from '../src/api-edge-config';
import { PROCESSOR_BATCHING } from '../src/ingest/stream-definition';
import { DashboardSite } from './constructs/dashboard-site';
import { PipelineFunction, StreamAccess, TableAccess } from './constructs/pipeline-function';
import { METRIC_SERVICES } from '../src/metrics-catalog';
import { PipelineMonitoring } from './monitoring';
import type { StatefulStack } from './stateful-stack';

/** Stage throttling of the HTTP API (requests per second; a mutation carries up to 500 trips). */
export const API_THROTTLE = {
  // 20 calls/s of 500 trips is 10,000 trips/s: more than the stream's shards take (1,000 records/s
  // each), so the limit guards the account's Lambda concurrency and the table rather than the stream,
  // whose overflow the publisher resends (and the StreamWriteThrottles alarm reports).
  rateLimit: 20,
  burstLimit: 50,
} as const;

/** The HTTP API's CORS settings for these origins (src/api-edge-config.ts), or none without origins. */
export function corsPreflightOf(allowedOrigins: readonly string[]): apigwv2.CorsPreflightOptions | undefined {
  if (allowedOrigins.length === 0) return undefined;
  return {
    allowOrigins: [...allowedOrigins],
    allowMethods: CORS_RULES.allowMethods.map((method) => apigwv2.CorsHttpMethod[method]),
    allowHeaders: [...CORS_RULES.allowHeaders],
    exposeHeaders: [...CORS_RULES.exposeHeaders],
    maxAge: Duration.seconds(CORS_RULES.maxAgeSeconds),
  };
}

export interface StatelessStackProps extends StackProps {
  readonly state: StatefulStack;
  /** Subscribed to the alarm topic when set (`-c alarmEmail=...`). */
  readonly alarmEmail?: string;
  /** Browser origins allowed to call the API (`-c corsAllowedOrigins=...`, src/api-edge-config.ts); none by default. */
  readonly corsAllowedOrigins?: readonly string[];
}

export class StatelessStack extends Stack {
  readonly processor: PipelineFunction;
  readonly api: PipelineFunction;
  readonly httpApi: apigwv2.HttpApi;
  readonly dashboard: DashboardSite;
  readonly monitoring: PipelineMonitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { state } = props;

    this.processor = new PipelineFunction(this, 'Processor', {
      entry: 'src/process/handler.ts',
      service: METRIC_SERVICES.processor,
      description: 'taxi-pulse: aggregates trip-stream batches into the table',
      memorySize: 1024,
      // A 500-record batch is a few hundred conditional writes; a timeout is retried like an error.
      timeout: Duration.minutes(1),
    });
    this.processor.bindTable(state.table, TableAccess.READ_WRITE);
    this.processor.bindStream(state.stream, StreamAccess.READ);
    this.processor.function.addEventSource(
      new KinesisEventSource(state.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: PROCESSOR_BATCHING.batchSize,
        maxBatchingWindow: Duration.seconds(PROCESSOR_BATCHING.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: PROCESSOR_BATCHING.maxRetryAttempts,
        maxRecordAge: Duration.seconds(PROCESSOR_BATCHING.maxRecordAgeSeconds),
        // One batch per shard at a time. The exactly-once high-water marks compare sequence numbers
        // per shard, which is only sound while a shard's records are applied in order; a factor above
        // 1 keeps order per partition key (tripId) only, and two batches of one shard could then move
        // the same aggregate's mark past each other's records.
        parallelizationFactor: PROCESSOR_BATCHING.parallelizationFactor,
        onFailure: new SqsDlq(state.onFailureQueue),
      }),
    );

    this.api = new PipelineFunction(this, 'Api', {
      entry: 'src/serve/handler.ts',
      service: METRIC_SERVICES.api,
      description: 'taxi-pulse: the GraphQL API (ingest mutation and insight queries)',
      memorySize: 1024,
      // Below the HTTP API's 30 s integration limit, so a slow call ends as a GraphQL answer or a
      // Lambda timeout, not a gateway 503 with the function still running.
      timeout: Duration.seconds(25),
    });
    this.api.bindTable(state.table, TableAccess.QUERY);
    this.api.bindStream(state.stream, StreamAccess.WRITE);
    this.api.bindApiKeys(state.apiKeys);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'taxi-pulse GraphQL API',
      createDefaultStage: false,
      // API Gateway answers preflights itself and adds the headers for allowed origins; the local HTTP
      // front plays the same rules (src/local/api-gateway/cors.ts). No origins: no CORS at all.
      corsPreflight: corsPreflightOf(props.corsAllowedOrigins ?? []),
    });
    const integration = new HttpLambdaIntegration('GraphqlIntegration', this.api.function, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    this.httpApi.addRoutes({ path: '/graphql', methods: [apigwv2.HttpMethod.POST, apigwv2.HttpMethod.GET], integration });
    // The dashboard page, from the same origin as /graphql.
    this.dashboard = new DashboardSite(this, 'Dashboard', { httpApi: this.httpApi });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every call carries an API key that the GraphQL Lambda checks in constant time against Secrets Manager (ingest keys for apps, read keys ' +
        'for analysts), answering UNAUTHENTICATED otherwise; the key decides per operation, which a route-level authorizer cannot.',
    });

    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      processor: this.processor.function,
      api: this.api.function,
      httpApi: this.httpApi,
      stream: state.stream,
      table: state.table,
      onFailureQueue: state.onFailureQueue,
      onFailureParkingQueue: state.onFailureParkingQueue,
      dataLakeDelivery: state.dataLakeDelivery,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'GraphqlUrl', { value: `${stage.url}graphql`, description: 'POST GraphQL requests here' });
    new CfnOutput(this, 'DashboardPageUrl', { value: stage.url, description: 'The dashboard page (it asks once for a read key)' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
      description: 'The CloudWatch dashboard',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Subscribe to get the alarms: aws sns subscribe --topic-arn <this> --protocol email --notification-endpoint <you>',
    });
  }
}
