/**
 * The API keys, in one Secrets Manager secret that the GraphQL Lambda reads:
 * `{ "ingestKeys": ["..."], "readKeys": ["..."] }` (apps submit trips with an ingest key; analysts and
 * BI tools query with a read key).
 *
 * Secrets Manager generates one random string per secret, and only as a string field, so each key is
 * generated in a seed secret of its own and the keys secret is composed from the seeds with
 * CloudFormation dynamic references (`{{resolve:secretsmanager:...}}`): the template holds references,
 * never a key, and CloudFormation resolves them when it creates the secret.
 *
 * After the first deployment the keys secret is the only truth: add or rotate keys with
 * `aws secretsmanager put-secret-value` (docs/deploy.md). The seeds are not read again.
 */
import { SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The shape of the keys secret, as the API-key check reads it. */
export interface ApiKeysDocument {
  ingestKeys: string[];
  readKeys: string[];
}

const KEY_LENGTH = 48;

export class ApiKeys extends Construct {
  /** The secret the GraphQL Lambda reads (its ARN goes into API_KEYS_SECRET_ARN). */
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const ingestSeed = this.seed('IngestKeySeed', 'ingest');
    const readSeed = this.seed('ReadKeySeed', 'read');
    const document: ApiKeysDocument = {
      // unsafeUnwrap() yields the dynamic reference token, not a key: the key never enters the template.
      ingestKeys: [ingestSeed.secretValue.unsafeUnwrap()],
      readKeys: [readSeed.secretValue.unsafeUnwrap()],
    };
    this.secret = new secretsmanager.Secret(this, 'Keys', {
      description: 'taxi-pulse API keys: {"ingestKeys":[...],"readKeys":[...]}',
      secretStringValue: SecretValue.unsafePlainText(Stack.of(this).toJsonString(document)),
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'API keys are handed to apps and analysts by people, so a scheduled rotation would lock every client out. ' +
        'Rotation is a documented manual procedure (docs/deploy.md): add the new key next to the old one, move the clients, remove the old key.',
    });
  }

  private seed(id: string, role: string): secretsmanager.Secret {
    return new secretsmanager.Secret(this, id, {
      description: `taxi-pulse: the generated first ${role} key, copied into the API keys secret when it is created`,
      generateSecretString: { passwordLength: KEY_LENGTH, excludePunctuation: true, includeSpace: false },
    });
  }
}
