/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Deploys into the account and region of the CLI's
 * credentials; `-c alarmEmail=you@example.com` subscribes an address to the alarms.
 */
import { App } from 'aws-cdk-lib';
import { createTaxiPulse } from './taxi-pulse';

const app = new App();
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
createTaxiPulse(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  alarmEmail: typeof alarmEmail === 'string' && alarmEmail.length > 0 ? alarmEmail : undefined,
});
