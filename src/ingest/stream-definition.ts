/**
 * The trip stream's shape, shared by the CDK stack, the local bootstrap and the local poller, so that
 * batch settings mean the same thing in both places.
 */
export const STREAM_DEFINITION = {
  /** Local stream name; on AWS CloudFormation generates it. */
  localStreamName: 'taxi-pulse-trips',
  /**
   * Shards of the stream, locally and on AWS (a provisioned stream; `-c streamShards=N` deploys
   * another count). Each shard takes 1,000 records (trips) or 1 MB per second in: two carry a steady
   * 500 trips/s with four times the headroom. Provisioned rather than on-demand: for a city's trip
   * volume it is cheaper per trip and per month (docs/deploy.md, costs), and shards only change when
   * an operator changes them.
   */
  shardCount: 2,
  /** Retention in hours (24 is the Kinesis default and minimum). */
  retentionHours: 24,
} as const;

/** How the processor is fed: the Lambda event source mapping on AWS, the local poller here. */
export const PROCESSOR_BATCHING = {
  /** Records per invocation at most. */
  batchSize: 2000,
  /** How long to gather records before invoking (seconds). */
  maxBatchingWindowSeconds: 1,
  /** Retries of a failing batch before it goes to the on-failure destination. */
  maxRetryAttempts: 10,
  /** Records older than this are sent to the on-failure destination (seconds). */
  maxRecordAgeSeconds: 24 * 60 * 60,
  /** One concurrent batch per shard: per-shard order is what makes exactly-once marks sound. */
  parallelizationFactor: 1,
  /** GetRecords no faster than 5 calls per second per shard (the Kinesis quota). */
  pollIntervalMs: 200,
} as const;
