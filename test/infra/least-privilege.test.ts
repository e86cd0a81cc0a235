import type { Template } from 'aws-cdk-lib/assertions';
import { resourcesOfType, synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}

/** Every statement of every identity policy (AWS::IAM::Policy and inline role policies) of a template. */
function identityStatements(template: Template): Statement[] {
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map((policy) => policy.Properties?.PolicyDocument);
  const inline = Object.values(resourcesOfType(template, 'AWS::IAM::Role')).flatMap((role) =>
    ((role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((policy) => policy.PolicyDocument),
  );
  return [...policies, ...inline].flatMap((document) => (document as { Statement: Statement[] }).Statement);
}

describe('the AWS deployment', () => {
  let synth: SynthesizedTaxiPulse;
  let templates: Template[];

  beforeAll(() => {
    synth = synthTaxiPulse();
    templates = [synth.stateful, synth.stateless];
  });

  afterAll(() => synth?.dispose());

  it('grants no wildcard action in any IAM policy', () => {
    const statements = templates.flatMap(identityStatements);
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => action === '*' || /^[\w-]+:\*$/.test(action));
    expect(wildcards).toEqual([]);
    // Stricter than the rule: not even a prefix wildcard such as s3:GetObject*.
    const partial = statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.includes('*'));
    expect(partial).toEqual([]);
  });

  it('allows only statements, and uses Resource * only for the X-Ray actions that cannot be scoped', () => {
    const statements = templates.flatMap(identityStatements);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((statement) => statement.Effect !== 'Allow')).toEqual([]);
    const unscoped = statements.filter((statement) => statement.Resource === '*' || [statement.Resource].flat().includes('*'));
    for (const statement of unscoped)
      expect([statement.Action].flat().sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('attaches no AWS-managed policy to any role', () => {
    const roles = templates.flatMap((template) => Object.values(resourcesOfType(template, 'AWS::IAM::Role')));
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('encrypts every store of data at rest', () => {
    const { stateful, stateless } = synth;
    /** The resources of a type, after checking there are some (an empty list would pass every check). */
    const some = (template: Template, type: string) => {
      const resources = Object.values(resourcesOfType(template, type));
      expect(resources.length).toBeGreaterThan(0);
      return resources;
    };
    expect(some(stateful, 'AWS::Kinesis::Stream').every((stream) => stream.Properties?.StreamEncryption)).toBe(true);
    expect(some(stateful, 'AWS::DynamoDB::Table').every((table) => table.Properties?.SSESpecification)).toBe(true);
    expect(some(stateful, 'AWS::SQS::Queue').every((queue) => queue.Properties?.SqsManagedSseEnabled)).toBe(true);
    expect(some(stateful, 'AWS::S3::Bucket').every((bucket) => bucket.Properties?.BucketEncryption)).toBe(true);
    expect(some(stateless, 'AWS::SNS::Topic').every((topic) => topic.Properties?.KmsMasterKeyId)).toBe(true);
  });

  it('refuses plain-HTTP requests to every bucket, queue and topic', () => {
    const denyInsecure = (policy: { Properties?: Record<string, unknown> }) =>
      JSON.stringify(policy.Properties).includes('"aws:SecureTransport":"false"');
    const { stateful, stateless } = synth;
    const bucketPolicies = Object.values(resourcesOfType(stateful, 'AWS::S3::BucketPolicy'));
    const queuePolicies = Object.values(resourcesOfType(stateful, 'AWS::SQS::QueuePolicy'));
    const topicPolicies = Object.values(resourcesOfType(stateless, 'AWS::SNS::TopicPolicy'));
    for (const policies of [bucketPolicies, queuePolicies, topicPolicies]) expect(policies.length).toBeGreaterThan(0);
    expect(bucketPolicies).toHaveLength(Object.keys(resourcesOfType(stateful, 'AWS::S3::Bucket')).length);
    expect(queuePolicies).toHaveLength(Object.keys(resourcesOfType(stateful, 'AWS::SQS::Queue')).length);
    expect(topicPolicies).toHaveLength(Object.keys(resourcesOfType(stateless, 'AWS::SNS::Topic')).length);
    for (const policy of [...bucketPolicies, ...queuePolicies, ...topicPolicies]) expect(denyInsecure(policy)).toBe(true);
  });
});
