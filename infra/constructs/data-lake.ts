/**
 * The data lake: every record of the trip stream, in an S3 bucket, as Parquet, partitioned by record
 * type and New York pickup date, delivered by Amazon Data Firehose reading the stream, and catalogued
 * in Glue for Athena (infra/constructs/lake-queries.ts).
 *
 *   s3://<bucket>/records/type=trip/pickup_date=2024-01-15/<firehose object>.parquet
 *   s3://<bucket>/errors/<error type>/<delivery date>/...   records Firehose could not deliver as such
 *
 * A transformation Lambda (src/lake/handler.ts) turns each stream record into its lake record
 * (src/lake/lake-schema.ts): the decoded trip, rejection or poison, plus the record's stream position
 * (shard, sequence number, arrival, partition key), which only a Firehose transformation can see. It
 * also returns the partition keys: `pickup_date` is the exact New York local date of the pickup (of
 * the submission for rejections, of the arrival for poison), computed with the time zone rules the
 * pipeline uses. Firehose's record format conversion then writes the JSON records as Parquet (Snappy)
 * with the Glue table's columns; dynamic partitioning, a Lambda transformation and format conversion
 * work together (Firehose docs: the partition keys come from the Lambda's metadata, the conversion
 * reads the transformed JSON; conversion requires a buffer of at least 64 MB and S3 compression off).
 *
 * The Glue table is derived from the lake schema; partitions are found by partition projection (type
 * is an enum, pickup_date a date range), so no crawler runs and a new day is queryable at once.
 *
 * Firehose is built on the L1 resource because the L2 destination always grants the delivery role
 * `bucket.grantReadWrite` (s3:DeleteObject*, s3:GetObject*, ...): here the role gets exactly the
 * actions Firehose documents for an S3 destination, a Glue table, and a transformation Lambda.
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LAMBDA_PARTITION_KEYS } from '../../src/lake/firehose-transform';
import { glueColumns, gluePartitionKeys, LAKE_RECORD_TYPES, LAKE_RECORDS_PREFIX } from '../../src/lake/lake-schema';
import { LAKE_TABLE_NAME } from '../../src/lake/named-queries';
import { PipelineFunction } from './pipeline-function';

export const DATA_PREFIX =
  `${LAKE_RECORDS_PREFIX}/type=!{partitionKeyFromLambda:${LAMBDA_PARTITION_KEYS.type}}/` +
  `pickup_date=!{partitionKeyFromLambda:${LAMBDA_PARTITION_KEYS.pickupDate}}/`;
export const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/';

/**
 * The dates partition projection enumerates: valid pickups start in 2009 (the contract), and a year
 * ahead leaves room for clocks and scheduled trips. A query without a pickup_date filter lists every
 * day of the range, so keep the end close.
 */
export const PICKUP_DATE_PROJECTION_RANGE = '2009-01-01,NOW+1YEARS';

/** The Glue database of a stack: its name, lower-cased, in the characters Glue and Athena accept. */
export function lakeDatabaseName(stackName: string): string {
  return `${stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_lake`;
}

export interface DataLakeProps {
  readonly stream: kinesis.IStream;
  /** How long Firehose gathers records per partition before writing an object (60 to 900 s). */
  readonly bufferingInterval?: Duration;
}

export class DataLake extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly deliveryStream: firehose.CfnDeliveryStream;
  /** The Firehose transformation (src/lake/handler.ts). */
  readonly transform: PipelineFunction;
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly databaseName: string;
  readonly tableName = LAKE_TABLE_NAME;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data-lake/',
      lifecycleRules: [
        {
          id: 'cheaper-tiers-as-data-ages',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // The lake is the replayable history of every trip: deleting the stack must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deliveryLogStream = deliveryLogs.addStream('S3Delivery');

    this.databaseName = lakeDatabaseName(Stack.of(this).stackName);
    this.database = new glue.CfnDatabase(this, 'Catalog', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: 'taxi-pulse: the data lake of the trip stream' },
    });
    this.table = new glue.CfnTable(this, 'RecordsTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: 'Every record of the trip stream with its stream position (src/lake/lake-schema.ts)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: gluePartitionKeys(),
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.type.type': 'enum',
          'projection.type.values': LAKE_RECORD_TYPES.join(','),
          'projection.pickup_date.type': 'date',
          'projection.pickup_date.format': 'yyyy-MM-dd',
          'projection.pickup_date.range': PICKUP_DATE_PROJECTION_RANGE,
          'projection.pickup_date.interval': '1',
          'projection.pickup_date.interval.unit': 'DAYS',
          'storage.location.template': `s3://${this.bucket.bucketName}/${LAKE_RECORDS_PREFIX}/type=\${type}/pickup_date=\${pickup_date}/`,
        },
        storageDescriptor: {
          columns: glueColumns(),
          location: `s3://${this.bucket.bucketName}/${LAKE_RECORDS_PREFIX}/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    this.table.node.addDependency(this.database);

    this.transform = new PipelineFunction(this, 'Transform', {
      entry: 'src/lake/handler.ts',
      service: 'lake',
      description: 'taxi-pulse: turns each trip-stream record into its data-lake record and partition (Firehose transformation)',
      memorySize: 512,
      // Firehose hands over batches of about 1 MB; it waits up to 5 minutes for an answer.
      timeout: Duration.minutes(1),
    });

    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'taxi-pulse: Firehose reads the trip stream and writes the data lake',
    });
    props.stream.grantRead(role);
    this.bucket.grants.actionsOnBucketAndObjectKeys(
      role,
      '*',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:PutObject',
    );
    deliveryLogs.grantWrite(role);
    // The transformation, invoked by its unqualified ARN (so no `:*` qualifier wildcard is needed).
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [this.transform.function.functionArn],
      }),
    );
    // Record format conversion reads the columns from the Glue table.
    const stack = Stack.of(this);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` }),
        ],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.bucket)}.Arn>/*]`,
      reason:
        'Firehose writes objects under keys it derives at delivery time (partition, date, random suffix): object ARNs need the bucket/* form.',
    });

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.stream.streamArn, roleArn: role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: DATA_PREFIX,
        errorOutputPrefix: ERROR_PREFIX,
        // Parquet compresses its pages itself (Snappy); format conversion requires this.
        compressionFormat: 'UNCOMPRESSED',
        // Dynamic partitioning and format conversion need at least 64 MB; larger objects are cheaper
        // to store and to scan.
        bufferingHints: { intervalInSeconds: (props.bufferingInterval ?? Duration.minutes(5)).toSeconds(), sizeInMBs: 128 },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: this.transform.function.functionArn },
                { parameterName: 'RoleArn', parameterValue: role.roleArn },
                // ~1 MB of stream records in, ~2 MB of lake records out: well inside Lambda's 6 MB.
                { parameterName: 'BufferSizeInMBs', parameterValue: '1' },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
              ],
            },
          ],
        },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            catalogId: Aws.ACCOUNT_ID,
            region: Aws.REGION,
            databaseName: this.databaseName,
            tableName: this.tableName,
            versionId: 'LATEST',
            roleArn: role.roleArn,
          },
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: deliveryLogs.logGroupName,
          logStreamName: deliveryLogStream.logStreamName,
        },
      },
    });
    // Firehose checks its role, the table and the function when the delivery stream is created.
    this.deliveryStream.node.addDependency(role, this.table, this.transform);

    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Firehose server-side encryption cannot be set on a delivery stream whose source is a Kinesis stream. ' +
        'The records are encrypted at rest in the source stream (KMS) and in the bucket (SSE-S3), and in transit by TLS.',
    });
  }

  private logicalIdOf(bucket: s3.Bucket): string {
    return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  }
}
