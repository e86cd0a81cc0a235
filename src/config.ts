/**
 * Runtime configuration, read once from the environment and failing fast. The only place that knows
 * whether we talk to AWS or to the local emulators (endpoint variables are set by the local runtime).
 */
export interface RuntimeConfig {
  /** The single DynamoDB table. */
  readonly tableName: string;
  /** The Kinesis stream trips are written to. */
  readonly streamName: string;
  readonly region: string;
  /** Set locally to the dynalite endpoint; unset on AWS. */
  readonly dynamodbEndpoint?: string;
  /** Set locally to the kinesalite endpoint; unset on AWS. */
  readonly kinesisEndpoint?: string;
  /** On AWS: the Secrets Manager secret holding the API keys (GraphQL handler only). */
  readonly apiKeysSecretArn?: string;
  /** Locally: the JSON file in the data directory holding the API keys (GraphQL handler only). */
  readonly apiKeysFile?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

/** Reads the configuration from an environment (process.env by default). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return {
    tableName: required(env, 'TABLE_NAME'),
    streamName: required(env, 'STREAM_NAME'),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    kinesisEndpoint: env.KINESIS_ENDPOINT || undefined,
    apiKeysSecretArn: env.API_KEYS_SECRET_ARN || undefined,
    apiKeysFile: env.API_KEYS_FILE || undefined,
  };
}

let cached: RuntimeConfig | undefined;

/** The process's configuration, read on first use and kept. */
export function config(): RuntimeConfig {
  cached ??= readConfig();
  return cached;
}

/** Credentials for the emulators, which accept any; on AWS the default provider chain is used. */
export function emulatorCredentials(endpoint: string | undefined) {
  return endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
}
