/**
 * The stateful stack: what holds data and must outlive any deployment of the code. The trip stream,
 * the single table, the on-failure queue, the API keys and the data lake (with its Firehose
 * transformation, Glue catalog and Athena workgroup, which belong to the lake's layout). Physical names are generated
 * by CloudFormation; the table and the lake buckets are retained when the stack is deleted.
 *
 * Table and stream take their shape from the same modules the local runtime builds its emulated table
 * and stream from (src/store/table-definition.ts, src/ingest/stream-definition.ts).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { STREAM_DEFINITION } from '../src/ingest/stream-definition';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../src/store/table-definition';
import { ApiKeys } from './constructs/api-keys';
import { DataLake } from './constructs/data-lake';
import { LakeQueries } from './constructs/lake-queries';

export interface StatefulStackProps extends StackProps {
  /** Shards of the provisioned trip stream. @default STREAM_DEFINITION.shardCount */
  readonly streamShards?: number;
}

export class StatefulStack extends Stack {
  readonly stream: kinesis.Stream;
  readonly table: dynamodb.Table;
  /** Where the processor's event source mapping sends batches it gave up on (metadata only). */
  readonly onFailureQueue: sqs.Queue;
  /** Where on-failure messages go when whoever replays them fails to, several times. */
  readonly onFailureParkingQueue: sqs.Queue;
  readonly apiKeys: secretsmanager.ISecret;
  readonly dataLake: s3.IBucket;
  readonly dataLakeDelivery: DataLake['deliveryStream'];
  readonly lake: DataLake;
  readonly lakeQueries: LakeQueries;

  constructor(scope: Construct, id: string, props?: StatefulStackProps) {
    super(scope, id, props);

    this.stream = new kinesis.Stream(this, 'TripStream', {
      // Provisioned: per trip only PUT payload units ($0.014 per million records) instead of on-demand's
      // per-GB charges in and out (each record billed as 1 KB), and fewer shards, hence fewer
      // exactly-once marks per aggregate item (docs/deploy.md, costs). The throttle alarm says when
      // to add shards.
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: props?.streamShards ?? STREAM_DEFINITION.shardCount,
      // The AWS-managed aws/kinesis key: encrypted at rest, and no KMS permissions or per-request
      // KMS charges for the producer, the processor and Firehose (cdk-nag AwsSolutions-KDS3).
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(STREAM_DEFINITION.retentionHours),
      // Unlike the table and the lake, the stream is a 24-hour buffer whose records are also in the lake;
      // a retained, orphaned stream would keep billing its shard hours.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.onFailureParkingQueue = new sqs.Queue(this, 'OnFailureParkingQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.onFailureQueue = new sqs.Queue(this, 'OnFailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message: each names stream positions to re-read before the stream's
      // retention ends, and the alarm fires on the first one.
      retentionPeriod: Duration.days(14),
      // A replay tool that keeps failing on one message parks it instead of spinning on it.
      deadLetterQueue: { queue: this.onFailureParkingQueue, maxReceiveCount: 5 },
    });

    this.apiKeys = new ApiKeys(this, 'ApiKeys').secret;

    const lake = new DataLake(this, 'DataLake', { stream: this.stream });
    this.lake = lake;
    this.dataLake = lake.bucket;
    this.dataLakeDelivery = lake.deliveryStream;
    this.lakeQueries = new LakeQueries(this, 'LakeQueries', { databaseName: lake.databaseName, accessLogsBucket: lake.accessLogsBucket });

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'StreamName', { value: this.stream.streamName, description: 'The Kinesis trip stream' });
    new CfnOutput(this, 'ApiKeysSecretArn', {
      value: this.apiKeys.secretArn,
      description: 'API keys: aws secretsmanager get-secret-value --secret-id <this ARN>',
    });
    new CfnOutput(this, 'DataLakeBucketName', {
      value: lake.bucket.bucketName,
      description: 'S3 data lake (records/type=.../pickup_date=.../)',
    });
    new CfnOutput(this, 'LakeDatabase', {
      value: lake.databaseName,
      description: `Glue database of the data lake (table ${lake.tableName}, partitions by projection)`,
    });
    new CfnOutput(this, 'AthenaWorkGroup', {
      value: this.lakeQueries.workGroup.ref,
      description: 'Athena workgroup for SQL over the data lake (saved queries: peak-hours, fare-trend, ...)',
    });
    new CfnOutput(this, 'OnFailureQueueUrl', { value: this.onFailureQueue.queueUrl, description: 'Batches the processor gave up on' });
  }
}
