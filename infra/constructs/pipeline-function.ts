/**
 * The one Lambda construct of the app: it holds the defaults every handler shares (runtime,
 * architecture, local esbuild bundling, tracing, its own log group and retention, Powertools
 * settings) and the bindings, where connecting a resource adds its environment variable and its
 * grant together, so a handler can never see a name it may not use, nor hold a grant it is not told
 * about.
 */
import * as path from 'node:path';
import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type MetricService } from '../../src/metrics-catalog';

/** The repository root: handler entries and the lockfile are resolved from here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag AwsSolutions-L1 checks the same list). */
export const PIPELINE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Packages replaced by a stand-in in the bundles: @graphql-tools/schema, which Apollo imports only to
 * build a schema from typeDefs (src/serve/executable-schema.ts builds it; the stand-in throws if ever
 * called). It and the graphql-tools packages it pulls in are ~170 KB of the API bundle.
 */
export const HANDLER_ALIASES: Readonly<Record<string, string>> = {
  '@graphql-tools/schema': path.join(PROJECT_ROOT, 'src', 'serve', 'graphql-tools-stub.ts'),
};

/**
 * How every handler is bundled (local esbuild; bench/bundles.ts measures exactly these options).
 * Package sizes and cold starts are in BENCHMARKS.md, figure 6.
 */
export const HANDLER_BUNDLING = {
  // esbuild from node_modules: synth works offline and without Docker.
  forceDockerBundling: false,
  minify: true,
  // Resolve packages' ES module builds first: esbuild can drop the unused parts of the AWS SDK only
  // from ESM (the CommonJS builds ship whole). Processor 599 -> 401 KB, cold init -80 ms.
  mainFields: ['module', 'main'],
  // The source map ships next to the bundle (without the sources: a fraction of the size) and is read
  // only when an error is logged (src/stack-traces.ts), not at every cold start as
  // NODE_OPTIONS=--enable-source-maps would (+35 ms for the API).
  sourceMap: true,
  sourcesContent: false,
  // Apollo's usage-reporting protobuf encoder (200 KB, a third of the API's load time otherwise) is
  // only loaded by the GraphOS usage-reporting and inline-trace plugins, which src/serve/server.ts
  // disables outright; nothing else requires it.
  externalModules: ['@apollo/usage-reporting-protobuf'],
  esbuildArgs: Object.fromEntries(Object.entries(HANDLER_ALIASES).map(([name, stand]) => [`--alias:${name}`, stand])),
  // Ship the SDK version from package-lock.json (the one the local runtime and the tests ran),
  // not whatever version the Lambda runtime happens to carry.
  bundleAwsSDK: true,
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/** The environment variables the handlers read (src/config.ts, and the API-key check). */
export const ENVIRONMENT = {
  tableName: 'TABLE_NAME',
  streamName: 'STREAM_NAME',
  apiKeysSecretArn: 'API_KEYS_SECRET_ARN',
} as const;

/** How a function may use the table: exactly the operations its code issues. */
export const TableAccess = {
  /** The processor: reads the ledger and marks, writes aggregates (CDK's read/write data grant). */
  READ_WRITE: 'readWrite',
  /** The GraphQL API: insights are Query and GetItem only. */
  QUERY: 'query',
} as const;
export type TableAccess = (typeof TableAccess)[keyof typeof TableAccess];

export const StreamAccess = {
  READ: 'read',
  /** PutRecords only: the publisher writes batches and never reads. */
  WRITE: 'write',
} as const;
export type StreamAccess = (typeof StreamAccess)[keyof typeof StreamAccess];

export interface PipelineFunctionProps {
  /** The handler module, relative to the project root (it must export `handler`). */
  readonly entry: string;
  /** Powertools service name: the `service` dimension of the function's EMF metrics. */
  readonly service: MetricService;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Added to HANDLER_BUNDLING (e.g. command hooks that put files next to the bundle). */
  readonly bundling?: Partial<BundlingOptions>;
}

export class PipelineFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // Logs are operational data, not the pipeline's state: they go with the function.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: it may write to this
    // function's log group and nowhere else (cdk-nag AwsSolutions-IAM4).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `taxi-pulse ${props.service} function`,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: PIPELINE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description,
      role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: { ...HANDLER_BUNDLING, ...props.bundling },
    });
    this.grantPrincipal = this.function.grantPrincipal;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level permissions (Resource must be *). ' +
        'The infra tests check that no other statement of these roles has Resource *.',
    });
  }

  /** Gives the function the table: TABLE_NAME and exactly the grant `access` names. */
  bindTable(table: dynamodb.ITable, access: TableAccess): void {
    this.function.addEnvironment(ENVIRONMENT.tableName, table.tableName);
    if (access === TableAccess.READ_WRITE) table.grantReadWriteData(this);
    else table.grant(this, 'dynamodb:Query', 'dynamodb:GetItem');
  }

  /** Gives the function the stream: STREAM_NAME and the read or the write grant. */
  bindStream(stream: kinesis.IStream, access: StreamAccess): void {
    this.function.addEnvironment(ENVIRONMENT.streamName, stream.streamName);
    if (access === StreamAccess.READ) stream.grantRead(this);
    else stream.grant(this, 'kinesis:PutRecords');
  }

  /** Gives the function the API-key secret: API_KEYS_SECRET_ARN and read on that one secret. */
  bindApiKeys(secret: secretsmanager.ISecret): void {
    this.function.addEnvironment(ENVIRONMENT.apiKeysSecretArn, secret.secretArn);
    secret.grantRead(this);
  }
}
