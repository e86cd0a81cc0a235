import { Match } from 'aws-cdk-lib/assertions';
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../../src/store/table-definition';
import { DATA_PREFIX, ERROR_PREFIX, lakeDatabaseName, PICKUP_DATE_PROJECTION_RANGE } from '../../infra/constructs/data-lake';
import { BYTES_SCANNED_CUTOFF_PER_QUERY } from '../../infra/constructs/lake-queries';
import { PIPELINE_RUNTIME } from '../../infra/constructs/pipeline-function';
import { glueColumns } from '../../src/lake/lake-schema';
import { NAMED_QUERIES } from '../../src/lake/named-queries';
import { onlyLogicalId, resourcesOfType, synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

describe('StatefulStack', () => {
  let synth: SynthesizedTaxiPulse;

  beforeAll(() => {
    synth = synthTaxiPulse();
  });

  afterAll(() => synth?.dispose());

  /** The logical id of the lake's transformation function. */
  function transformFunctionId(): string {
    const fn = synth.stacks.stateful.lake.transform.function;
    return synth.stacks.stateful.getLogicalId(fn.node.defaultChild as import('aws-cdk-lib').CfnElement);
  }

  describe('trip stream', () => {
    it('is provisioned with the shared shard count, encrypted with the AWS-managed Kinesis key', () => {
      synth.stateful.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        ShardCount: STREAM_DEFINITION.shardCount,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      });
    });

    it('is deleted with the stack, since its records are also in the data lake', () => {
      synth.stateful.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
    });

    it('keeps records for the retention of the shared stream definition', () => {
      synth.stateful.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: STREAM_DEFINITION.retentionHours });
    });
  });

  describe('table', () => {
    it('takes its key schema from TABLE_KEY', () => {
      synth.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
        ]),
      });
    });

    it('bills per request, with point-in-time recovery, deletion protection and server-side encryption', () => {
      synth.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('expires items on the shared TTL attribute', () => {
      synth.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: TABLE_TTL_ATTRIBUTE, Enabled: true },
      });
    });

    it('is retained when the stack is deleted or the table replaced', () => {
      synth.stateful.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('on-failure queue', () => {
    it('encrypts every queue with SQS-managed keys', () => {
      const queues = resourcesOfType(synth.stateful, 'AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(2);
      for (const queue of Object.values(queues)) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    });

    it('refuses requests without TLS on every queue', () => {
      const policies = Object.values(resourcesOfType(synth.stateful, 'AWS::SQS::QueuePolicy'));
      expect(policies).toHaveLength(2);
      for (const policy of policies) expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    });

    it('parks messages a replay keeps failing on in a dead-letter queue', () => {
      synth.stateful.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
        MessageRetentionPeriod: 14 * 24 * 60 * 60,
      });
    });
  });

  describe('data lake', () => {
    it('blocks public access to every bucket and encrypts it', () => {
      const buckets = resourcesOfType(synth.stateful, 'AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(3);
      for (const bucket of Object.values(buckets)) {
        expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties?.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
      }
    });

    it('denies every request to every bucket that does not use TLS 1.2 or later', () => {
      const buckets = Object.keys(resourcesOfType(synth.stateful, 'AWS::S3::Bucket'));
      for (const bucket of buckets) {
        synth.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucket },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
            ]),
          },
        });
      }
    });

    it('versions the lake, logs access to it and moves ageing data to cheaper tiers', () => {
      synth.stateful.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'data-lake/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Status: 'Enabled',
              Transitions: [
                { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
                { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
              ],
            }),
          ]),
        },
      });
    });

    it('retains every bucket when the stack is deleted', () => {
      // The lake, its access logs and the Athena query results.
      const buckets = Object.values(resourcesOfType(synth.stateful, 'AWS::S3::Bucket'));
      expect(buckets).toHaveLength(3);
      for (const bucket of buckets) expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('delivers the trip stream to the lake as Parquet, through the transformation, partitioned by its keys', () => {
      const streamId = onlyLogicalId(synth.stateful, 'AWS::Kinesis::Stream');
      const transformId = transformFunctionId();
      synth.stateful.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': [streamId, 'Arn'] } },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          Prefix: DATA_PREFIX,
          ErrorOutputPrefix: ERROR_PREFIX,
          CompressionFormat: 'UNCOMPRESSED',
          BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
          DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: Match.arrayWith([
                  { ParameterName: 'LambdaArn', ParameterValue: { 'Fn::GetAtt': [transformId, 'Arn'] } },
                  { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
                ]),
              },
            ],
          },
          DataFormatConversionConfiguration: {
            Enabled: true,
            InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
            OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
            SchemaConfiguration: Match.objectLike({
              DatabaseName: lakeDatabaseName('TaxiPulseStateful'),
              TableName: 'records',
              VersionId: 'LATEST',
            }),
          },
        }),
      });
    });

    it('takes the partition keys from the transformation: record type and New York pickup date', () => {
      expect(DATA_PREFIX).toBe('records/type=!{partitionKeyFromLambda:type}/pickup_date=!{partitionKeyFromLambda:pickup_date}/');
    });

    it('deploys src/lake/handler.ts as the transformation, on the pipeline runtime', () => {
      const transform = resourcesOfType(synth.stateful, 'AWS::Lambda::Function')[transformFunctionId()];
      expect(transform.Properties?.Runtime).toBe(PIPELINE_RUNTIME.name);
      expect(synth.stacks.stateful.lake.transform.function.node.path).toContain('DataLake/Transform');
    });

    it('catalogs the lake in Glue with the columns of the lake schema and partitions by projection, without a crawler', () => {
      synth.stateful.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: lakeDatabaseName('TaxiPulseStateful') } });
      const [table] = Object.values(resourcesOfType(synth.stateful, 'AWS::Glue::Table'));
      const input = table.Properties?.TableInput as {
        Name: string;
        StorageDescriptor: { Columns: unknown[]; SerdeInfo: { SerializationLibrary: string } };
        PartitionKeys: Array<{ Name: string }>;
        Parameters: Record<string, unknown>;
      };
      expect(input.Name).toBe('records');
      expect(input.StorageDescriptor.Columns).toEqual(
        glueColumns().map(({ name, type, comment }) => ({ Name: name, Type: type, Comment: comment })),
      );
      expect(input.PartitionKeys.map((key) => key.Name)).toEqual(['type', 'pickup_date']);
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.type.values': 'trip,rejection,poison',
        'projection.pickup_date.type': 'date',
        'projection.pickup_date.format': 'yyyy-MM-dd',
        'projection.pickup_date.range': PICKUP_DATE_PROJECTION_RANGE,
      });
      expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain('/records/type=${type}/pickup_date=${pickup_date}/');
      expect(Object.keys(resourcesOfType(synth.stateful, 'AWS::Glue::Crawler'))).toEqual([]);
    });

    it('lets Firehose read that one Glue table and invoke that one function, nothing more', () => {
      const policies = Object.values(resourcesOfType(synth.stateful, 'AWS::IAM::Policy')).map((policy) =>
        JSON.stringify(policy.Properties),
      );
      const delivery = policies.filter((policy) => policy.includes('glue:GetTable'));
      expect(delivery).toHaveLength(1);
      const statements = JSON.parse(delivery[0]).PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
      const glueStatement = statements.find((statement) => [statement.Action].flat().includes('glue:GetTable'))!;
      expect(JSON.stringify(glueStatement.Resource)).toContain(`:table/${lakeDatabaseName('TaxiPulseStateful')}/records`);
      const invoke = statements.find((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'))!;
      expect(invoke.Resource).toEqual({ 'Fn::GetAtt': [transformFunctionId(), 'Arn'] });
    });

    it('runs Athena in a workgroup that enforces encrypted results and a bytes-scanned cutoff', () => {
      const bucketId = onlyLogicalId(synth.stateful, 'AWS::S3::Bucket', {
        LifecycleConfiguration: Match.objectLike({ Rules: [Match.objectLike({ Id: 'expire-query-results' })] }),
      });
      synth.stateful.hasResourceProperties('AWS::Athena::WorkGroup', {
        RecursiveDeleteOption: true,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          },
        },
      });
    });

    it('saves the peakHours and fareTrend queries in the workgroup, on the lake database', () => {
      const workGroupId = onlyLogicalId(synth.stateful, 'AWS::Athena::WorkGroup');
      const saved = Object.values(resourcesOfType(synth.stateful, 'AWS::Athena::NamedQuery')).map((query) => query.Properties);
      expect(saved.map((query) => query?.Name)).toEqual(NAMED_QUERIES.map((query) => query.name));
      for (const [index, query] of NAMED_QUERIES.entries()) {
        expect(saved[index]).toMatchObject({
          QueryString: query.sql,
          Database: lakeDatabaseName('TaxiPulseStateful'),
          WorkGroup: { Ref: workGroupId },
        });
        expect(saved[index]?.Description).toContain('Parameters: 1: ');
      }
    });
  });

  describe('API keys', () => {
    it('composes the keys secret from generated seeds, so that no key is in the template', () => {
      const seeds = Object.keys(
        synth.stateful.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: Match.anyValue() } }),
      );
      expect(seeds).toHaveLength(2);
      const keys = Object.values(
        synth.stateful.findResources('AWS::SecretsManager::Secret', { Properties: { SecretString: Match.anyValue() } }),
      );
      expect(keys).toHaveLength(1);
      const secretString = JSON.stringify(keys[0].Properties.SecretString);
      expect(secretString).toContain('{\\"ingestKeys\\":[\\"{{resolve:secretsmanager:');
      expect(secretString).toContain('\\"readKeys\\":[\\"{{resolve:secretsmanager:');
      for (const seed of seeds) expect(secretString).toContain(`{"Ref":"${seed}"}`);
    });
  });

  describe('names', () => {
    it('leaves every physical name to CloudFormation', () => {
      const named: [string, string][] = [
        ['AWS::Kinesis::Stream', 'Name'],
        ['AWS::DynamoDB::Table', 'TableName'],
        ['AWS::SQS::Queue', 'QueueName'],
        ['AWS::S3::Bucket', 'BucketName'],
        ['AWS::SecretsManager::Secret', 'Name'],
        ['AWS::KinesisFirehose::DeliveryStream', 'DeliveryStreamName'],
        ['AWS::Logs::LogGroup', 'LogGroupName'],
      ];
      for (const [type, property] of named) {
        for (const resource of Object.values(resourcesOfType(synth.stateful, type)))
          expect(resource.Properties?.[property]).toBeUndefined();
      }
    });

    it('outputs the table, stream, secret and data-lake bucket', () => {
      for (const output of [
        'TableName',
        'StreamName',
        'ApiKeysSecretArn',
        'DataLakeBucketName',
        'LakeDatabase',
        'AthenaWorkGroup',
        'OnFailureQueueUrl',
      ]) {
        synth.stateful.hasOutput(output, { Value: Match.anyValue() });
      }
    });
  });
});
