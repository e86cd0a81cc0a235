/**
 * The whole AWS deployment as one function of an App: the stateful and the stateless stack, and the
 * cdk-nag AwsSolutions checks on both. infra/app.ts calls it for `cdk synth`/`cdk deploy`; the tests call
 * it on an App of their own.
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface TaxiPulseOptions {
  readonly env?: Environment;
  readonly alarmEmail?: string;
  /** Shards of the trip stream. @default STREAM_DEFINITION.shardCount */
  readonly streamShards?: number;
  /** Browser origins allowed to call the API (CORS). @default none */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * What the stack ids start with: another prefix deploys a second, independent copy next to the first
   * (a new table, stream, lake and API), which is how a table is upgraded to a new item format
   * (docs/deploy.md). @default 'TaxiPulse'
   */
  readonly stackIdPrefix?: string;
}

export interface TaxiPulse {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export function createTaxiPulse(app: App, options: TaxiPulseOptions = {}): TaxiPulse {
  const prefix = options.stackIdPrefix ?? 'TaxiPulse';
  const stateful = new StatefulStack(app, `${prefix}Stateful`, {
    env: options.env,
    description: 'taxi-pulse: trip stream, table, on-failure queue, API keys, data lake (retained)',
    streamShards: options.streamShards,
  });
  const stateless = new StatelessStack(app, `${prefix}Stateless`, {
    env: options.env,
    description: 'taxi-pulse: processor and GraphQL Lambdas, HTTP API, monitoring',
    state: stateful,
    alarmEmail: options.alarmEmail,
    corsAllowedOrigins: options.corsAllowedOrigins,
  });
  stateless.addStackDependency(stateful);

  // cdk-nag 3 is a policy-validation plugin: findings fail the synth, acknowledgements (with their
  // reasons) sit next to the resources they concern.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
}
