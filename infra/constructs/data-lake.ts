/**
 * The data lake: every record of the trip stream, as newline-delimited JSON (gzip), in an S3 bucket
 * partitioned by record type and pickup date, delivered by Amazon Data Firehose reading the stream.
 *
 *   s3://<bucket>/records/type=trip/pickup_date=2024-01-15/<firehose object>.gz
 *   s3://<bucket>/errors/<error type>/<delivery date>/...   records Firehose could not partition
 *
 * pickup_date is the New York *standard time* (UTC-5) date of `trip.pickupAtMs`: JQ 1.6 has no time
 * zones, and a fixed UTC-5 is right for every trip in winter and for all but the 00:00-00:59 EDT hour
 * in summer (those land in the previous day's partition). UTC would misfile every trip after 19:00 or
 * 20:00 local. Query with a one-day margin and filter on `trip.pickupAtMs` for exact local dates.
 * Rejection records carry no pickup time: they are partitioned by `submittedAtMs` instead.
 *
 * Firehose is built on the L1 resource because the L2 destination always grants the delivery role
 * `bucket.grantReadWrite` (s3:DeleteObject*, s3:GetObject*, ...): here the role gets exactly the
 * actions Firehose documents for an S3 destination.
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** NYC standard time, in seconds from UTC (see the file comment for why a fixed offset). */
const NEW_YORK_STANDARD_OFFSET_SECONDS = -5 * 60 * 60;

/**
 * The JQ 1.6 query Firehose runs on each record to find its partition. Records that are not JSON or
 * lack the fields end up under the error prefix, never in a partition.
 */
export const PARTITION_QUERY =
  '{type: .type, pickup_date: ((((.trip.pickupAtMs // .submittedAtMs) / 1000) + ' +
  `(${NEW_YORK_STANDARD_OFFSET_SECONDS})) | floor | strftime("%Y-%m-%d"))}`;

export const DATA_PREFIX = 'records/type=!{partitionKeyFromQuery:type}/pickup_date=!{partitionKeyFromQuery:pickup_date}/';
export const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/';

export interface DataLakeProps {
  readonly stream: kinesis.IStream;
  /** How long Firehose gathers records per partition before writing an object (60 to 900 s). */
  readonly bufferingInterval?: Duration;
}

export class DataLake extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly deliveryStream: firehose.CfnDeliveryStream;

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
        compressionFormat: 'GZIP',
        // Dynamic partitioning needs at least 64 MB; larger objects are cheaper to store and to scan.
        bufferingHints: { intervalInSeconds: (props.bufferingInterval ?? Duration.minutes(5)).toSeconds(), sizeInMBs: 128 },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: PARTITION_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            // One JSON object per line, so that Athena and other readers can split the objects.
            { type: 'AppendDelimiterToRecord', parameters: [] },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: deliveryLogs.logGroupName,
          logStreamName: deliveryLogStream.logStreamName,
        },
      },
    });
    // Firehose checks its role when the delivery stream is created: the policy must exist first.
    this.deliveryStream.node.addDependency(role);

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
