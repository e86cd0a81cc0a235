import { Match } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSOR_BATCHING } from '../../src/ingest/stream-definition';
import { ENVIRONMENT, PIPELINE_RUNTIME } from '../../infra/constructs/pipeline-function';
import { METRICS_NAMESPACE } from '../../src/metrics-catalog';
import { API_THROTTLE } from '../../infra/stateless-stack';
import { CORS_RULES } from '../../src/api-edge-config';
import { onlyLogicalId, resourcesOfType, synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

/** A reference the stateless stack makes to an output of the stateful stack. */
const fromStateful = () => Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'TaxiPulseStateful' }) });

describe('StatelessStack', () => {
  let synth: SynthesizedTaxiPulse;
  let processorId: string;
  let apiId: string;
  let dashboardId: string;

  beforeAll(() => {
    synth = synthTaxiPulse();
    processorId = onlyLogicalId(synth.stateless, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'processor' }) },
    });
    apiId = onlyLogicalId(synth.stateless, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'api' }) },
    });
    dashboardId = onlyLogicalId(synth.stateless, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'dashboard' }) },
    });
  });

  afterAll(() => synth?.dispose());

  /** The statements of the role policy of one function. */
  function statementsOf(functionId: string): { Action: string | string[]; Resource: unknown }[] {
    const role = (synth.stateless.toJSON().Resources[functionId].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(resourcesOfType(synth.stateless, 'AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties?.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })),
    );
    return policies.flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );
  }

  const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();

  describe('functions', () => {
    it('run on the latest Node.js runtime, on arm64, with active tracing', () => {
      expect(PIPELINE_RUNTIME.name).toBe('nodejs24.x');
      const functions = Object.values(resourcesOfType(synth.stateless, 'AWS::Lambda::Function'));
      expect(functions).toHaveLength(3);
      for (const fn of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: PIPELINE_RUNTIME.name,
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
        });
      }
    });

    /** The directory of a function's bundled code in the cloud assembly. */
    function assetDirOf(functionId: string): string {
      const assets = JSON.parse(readFileSync(join(synth.outdir, `${synth.stacks.stateless.artifactId}.assets.json`), 'utf8'))
        .files as Record<string, { source: { path: string } }>;
      const key = (synth.stateless.toJSON().Resources[functionId].Properties.Code as { S3Key: string }).S3Key;
      const dir = join(synth.outdir, assets[key.replace(/\.zip$/, '')].source.path);
      expect(existsSync(join(dir, 'index.js'))).toBe(true);
      return dir;
    }
    const sourcesOf = (functionId: string) =>
      (JSON.parse(readFileSync(join(assetDirOf(functionId), 'index.js.map'), 'utf8')).sources as string[]).map((source) =>
        source.replace(/\\/g, '/'),
      );

    it('bundle exactly the handlers the local runtime runs, with the SDK of the lockfile', () => {
      const processorSources = sourcesOf(processorId);
      const apiSources = sourcesOf(apiId);
      expect(processorSources.some((source) => source.endsWith('src/process/handler.ts'))).toBe(true);
      expect(apiSources.some((source) => source.endsWith('src/serve/handler.ts'))).toBe(true);
      expect(processorSources.some((source) => source.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
    });

    it('ship packages within their size budgets (processor 500 KB, API 2 MB; BENCHMARKS.md, figure 6)', () => {
      const sizeOf = (functionId: string) => statSync(join(assetDirOf(functionId), 'index.js')).size;
      expect(sizeOf(processorId)).toBeLessThanOrEqual(500 * 1024);
      expect(sizeOf(apiId)).toBeLessThanOrEqual(2 * 1024 * 1024);
      // The ES module builds of the SDK, which esbuild can tree-shake, and no source text in the maps.
      expect(sourcesOf(processorId).some((source) => source.includes('node_modules/@aws-sdk/client-dynamodb/dist-es/'))).toBe(true);
      expect(JSON.parse(readFileSync(join(assetDirOf(processorId), 'index.js.map'), 'utf8')).sourcesContent).toBeUndefined();
      // Apollo's usage-reporting encoder is left out (its plugins are disabled in src/serve/server.ts).
      expect(sourcesOf(apiId).some((source) => source.includes('@apollo/usage-reporting-protobuf'))).toBe(false);
    });

    it('bundle the built dashboard page with the dashboard function, and tell it where the page is', () => {
      const pageDir = join(assetDirOf(dashboardId), 'dashboard');
      const html = readFileSync(join(pageDir, 'index.html'), 'utf8');
      const script = /src="(assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      expect(existsSync(join(pageDir, script!))).toBe(true);
      expect(sourcesOf(dashboardId).some((source) => source.endsWith('src/dashboard/serve/handler.ts'))).toBe(true);
      synth.stateless.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'dashboard', DASHBOARD_ASSETS_DIR: '/var/task/dashboard' }) },
      });
    });

    it('give the dashboard function no access to the data: no table, stream or secret, only its logs and traces', () => {
      const actions = statementsOf(dashboardId).flatMap(actionsOf);
      expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))).toEqual([]);
      const variables = (synth.stateless.toJSON().Resources[dashboardId].Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(Object.keys(variables).filter((name) => Object.values(ENVIRONMENT).includes(name as never))).toEqual([]);
    });

    it('tell the handlers where the table and the stream are, and the API where its keys are', () => {
      synth.stateless.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            [ENVIRONMENT.tableName]: fromStateful(),
            [ENVIRONMENT.streamName]: fromStateful(),
            POWERTOOLS_SERVICE_NAME: 'processor',
            POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          },
        },
      });
      synth.stateless.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            [ENVIRONMENT.tableName]: fromStateful(),
            [ENVIRONMENT.streamName]: fromStateful(),
            [ENVIRONMENT.apiKeysSecretArn]: fromStateful(),
            POWERTOOLS_SERVICE_NAME: 'api',
            POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          },
        },
      });
    });

    it('load without parsing their source maps (read only when an error is logged), which ship next to the code', () => {
      for (const functionId of [processorId, apiId]) {
        const variables = (synth.stateless.toJSON().Resources[functionId].Properties.Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(variables.NODE_OPTIONS).toBeUndefined();
        expect(existsSync(join(assetDirOf(functionId), 'index.js.map'))).toBe(true);
      }
    });

    it('log to a log group of their own with a retention', () => {
      for (const functionId of [processorId, apiId]) {
        const logGroup = (synth.stateless.toJSON().Resources[functionId].Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup
          .Ref;
        expect(synth.stateless.toJSON().Resources[logGroup].Properties.RetentionInDays).toBeGreaterThan(0);
      }
    });
  });

  describe('processor event source', () => {
    it('reads the trip stream from its start with the shared batching settings', () => {
      synth.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: processorId },
        EventSourceArn: fromStateful(),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: PROCESSOR_BATCHING.batchSize,
        MaximumBatchingWindowInSeconds: PROCESSOR_BATCHING.maxBatchingWindowSeconds,
        MaximumRetryAttempts: PROCESSOR_BATCHING.maxRetryAttempts,
        MaximumRecordAgeInSeconds: PROCESSOR_BATCHING.maxRecordAgeSeconds,
      });
    });

    it('reports batch item failures and bisects failing batches', () => {
      synth.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
      });
    });

    it('processes one batch per shard at a time, so that the per-shard marks see records in order', () => {
      expect(PROCESSOR_BATCHING.parallelizationFactor).toBe(1);
      synth.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ParallelizationFactor: 1 });
    });

    it('sends the batches it gives up on to the on-failure queue', () => {
      synth.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        DestinationConfig: { OnFailure: { Destination: fromStateful() } },
      });
      const statements = statementsOf(processorId);
      expect(statements.some((statement) => actionsOf(statement).includes('sqs:SendMessage'))).toBe(true);
    });
  });

  describe('grants', () => {
    it('let the processor read and write table items and read the stream, nothing else of theirs', () => {
      const actions = statementsOf(processorId).flatMap(actionsOf);
      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:GetItem']),
      );
      expect(actions).toEqual(
        expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListShards']),
      );
      expect(actions.filter((action) => action.startsWith('kinesis:Put'))).toEqual([]);
      expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    });

    it('let the API query the table, put records on the stream and read its key secret, nothing more', () => {
      const byService = (prefix: string) =>
        statementsOf(apiId)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith(prefix))
          .sort();
      expect(byService('dynamodb:')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(byService('kinesis:')).toEqual(['kinesis:PutRecords']);
      expect(byService('secretsmanager:')).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
      expect(byService('sqs:')).toEqual([]);
    });
  });

  describe('HTTP API', () => {
    it('routes GET and POST /graphql to the GraphQL function with payload v2', () => {
      synth.stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [apiId, 'Arn'] },
      });
      const routes = Object.values(resourcesOfType(synth.stateless, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties?.RouteKey);
      expect(routes.filter((route) => String(route).endsWith('/graphql')).sort()).toEqual(['GET /graphql', 'POST /graphql']);
    });

    it('routes the dashboard page, GET / and GET /assets/{proxy+}, to the dashboard function with payload v2, and nothing else', () => {
      const integrationId = onlyLogicalId(synth.stateless, 'AWS::ApiGatewayV2::Integration', {
        IntegrationUri: { 'Fn::GetAtt': [dashboardId, 'Arn'] },
      });
      synth.stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [dashboardId, 'Arn'] },
      });
      const routes = Object.values(resourcesOfType(synth.stateless, 'AWS::ApiGatewayV2::Route'));
      const toDashboard = routes.filter((route) => JSON.stringify(route.Properties?.Target).includes(integrationId));
      expect(toDashboard.map((route) => route.Properties?.RouteKey).sort()).toEqual(['GET /', 'GET /assets/{proxy+}']);
      expect(routes).toHaveLength(4);
    });

    it('throttles the stage', () => {
      synth.stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit },
      });
    });

    it('writes JSON access logs to a log group with a retention', () => {
      const stage = Object.values(resourcesOfType(synth.stateless, 'AWS::ApiGatewayV2::Stage'))[0];
      const settings = stage.Properties?.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
      expect(JSON.parse(settings.Format)).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        ip: '$context.identity.sourceIp',
      });
      const logGroup = synth.stateless.toJSON().Resources[settings.DestinationArn['Fn::GetAtt'][0]];
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    });

    it('has no CORS configuration without allowed origins, so browsers on other origins are refused', () => {
      const api = Object.values(resourcesOfType(synth.stateless, 'AWS::ApiGatewayV2::Api'))[0];
      expect(api.Properties?.CorsConfiguration).toBeUndefined();
    });

    it('lets API Gateway answer preflights for the allowed origins, with the rules the local front plays', () => {
      // Prepare
      const origins = ['https://bi.example.com', 'http://localhost:5173'];
      const withCors = synthTaxiPulse({ corsAllowedOrigins: origins, bundle: false });

      try {
        // Assess
        withCors.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
          CorsConfiguration: {
            AllowOrigins: origins,
            AllowMethods: [...CORS_RULES.allowMethods],
            AllowHeaders: [...CORS_RULES.allowHeaders],
            ExposeHeaders: [...CORS_RULES.exposeHeaders],
            MaxAge: CORS_RULES.maxAgeSeconds,
          },
        });
        expect(CORS_RULES.allowHeaders).toContain('x-api-key');
        // No OPTIONS route: API Gateway answers preflights itself, the Lambda never sees them.
        const routes = Object.values(resourcesOfType(withCors.stateless, 'AWS::ApiGatewayV2::Route')).map(
          (route) => route.Properties?.RouteKey,
        );
        expect(routes.sort()).toEqual(['GET /', 'GET /assets/{proxy+}', 'GET /graphql', 'POST /graphql']);
      } finally {
        withCors.dispose();
      }
    });

    it('outputs the GraphQL URL, the dashboard page and the CloudWatch dashboard URL', () => {
      synth.stateless.hasOutput('GraphqlUrl', { Value: Match.anyValue() });
      synth.stateless.hasOutput('DashboardPageUrl', { Value: Match.anyValue() });
      synth.stateless.hasOutput('DashboardUrl', { Value: Match.anyValue() });
      const outputs = synth.stateless.toJSON().Outputs;
      expect(JSON.stringify(outputs.GraphqlUrl.Value)).toContain('/graphql');
      // The page at the stage's root, the same origin as /graphql.
      expect(JSON.stringify(outputs.GraphqlUrl.Value)).toBe(
        JSON.stringify(outputs.DashboardPageUrl.Value).replace(/\/"\]\]\}$/, '/graphql"]]}'),
      );
    });
  });
});
