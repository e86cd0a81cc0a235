import { Match } from 'aws-cdk-lib/assertions';
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../../src/store/table-definition';
import { DATA_PREFIX, ERROR_PREFIX, PARTITION_QUERY } from '../../infra/constructs/data-lake';
import { onlyLogicalId, resourcesOfType, synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

describe('StatefulStack', () => {
  let synth: SynthesizedTaxiPulse;

  beforeAll(() => {
    synth = synthTaxiPulse();
  });

  afterAll(() => synth?.dispose());

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
      expect(Object.keys(buckets)).toHaveLength(2);
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

    it('retains both buckets when the stack is deleted', () => {
      const buckets = Object.values(resourcesOfType(synth.stateful, 'AWS::S3::Bucket'));
      expect(buckets).toHaveLength(2);
      for (const bucket of buckets) expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('delivers the trip stream to the lake, partitioned by record type and New York pickup date', () => {
      const streamId = onlyLogicalId(synth.stateful, 'AWS::Kinesis::Stream');
      synth.stateful.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': [streamId, 'Arn'] } },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          Prefix: DATA_PREFIX,
          ErrorOutputPrefix: ERROR_PREFIX,
          CompressionFormat: 'GZIP',
          DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'MetadataExtraction',
                Parameters: [
                  { ParameterName: 'MetadataExtractionQuery', ParameterValue: PARTITION_QUERY },
                  { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
                ],
              },
              { Type: 'AppendDelimiterToRecord', Parameters: [] },
            ],
          },
        }),
      });
    });

    it('partitions on the pickup instant shifted to New York standard time, falling back to the submission time', () => {
      expect(DATA_PREFIX).toBe('records/type=!{partitionKeyFromQuery:type}/pickup_date=!{partitionKeyFromQuery:pickup_date}/');
      expect(PARTITION_QUERY).toContain('(.trip.pickupAtMs // .submittedAtMs) / 1000');
      expect(PARTITION_QUERY).toContain('(-18000)');
      expect(PARTITION_QUERY).toContain('strftime("%Y-%m-%d")');
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
      for (const output of ['TableName', 'StreamName', 'ApiKeysSecretArn', 'DataLakeBucketName', 'OnFailureQueueUrl']) {
        synth.stateful.hasOutput(output, { Value: Match.anyValue() });
      }
    });
  });
});
