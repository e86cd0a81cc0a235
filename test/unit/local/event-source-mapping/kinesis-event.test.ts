import { streamArn, toKinesisStreamEvent } from '../../../../src/local/event-source-mapping/kinesis-event';

describe('toKinesisStreamEvent', () => {
  it('builds one AWS-shaped record per Kinesis record, in order', () => {
    // Prepare
    const records = [
      {
        SequenceNumber: '49590',
        PartitionKey: 'trip-1',
        Data: Buffer.from('{"a":1}'),
        ApproximateArrivalTimestamp: new Date(1_700_000_000_123),
      },
      { SequenceNumber: '49591', PartitionKey: 'trip-2', Data: Buffer.from('x'), ApproximateArrivalTimestamp: new Date(1_700_000_001_000) },
    ];
    const source = {
      region: 'eu-west-1',
      streamName: 'trips',
      shardId: 'shardId-000000000003',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/p',
    };

    // Act
    const event = toKinesisStreamEvent(records, source);

    // Assess
    expect(event.Records).toHaveLength(2);
    expect(event.Records[0]).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'trip-1',
        sequenceNumber: '49590',
        data: Buffer.from('{"a":1}').toString('base64'),
        approximateArrivalTimestamp: 1_700_000_000.123,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000003:49590',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/p',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/trips',
    });
    expect(event.Records[1].kinesis.sequenceNumber).toBe('49591');
  });
});

describe('streamArn', () => {
  it('names the stream in the local account', () => {
    // Act
    const arn = streamArn('us-east-1', 'taxi-pulse-trips');

    // Assess
    expect(arn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/taxi-pulse-trips');
  });
});
