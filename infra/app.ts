/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Deploys into the account and region of the CLI's
 * credentials; `-c alarmEmail=you@example.com` subscribes an address to the alarms, `-c streamShards=4`
 * sizes the trip stream (default: STREAM_DEFINITION.shardCount), `-c corsAllowedOrigins=https://bi.example.com,...`
 * lets those browser origins call the API (default: none; docs/api-edge.md), `-c stackPrefix=TaxiPulseV3`
 * deploys a second copy under other stack ids (default TaxiPulse; docs/deploy.md, upgrading the table format).
 */
import { App } from 'aws-cdk-lib';
import { API_EDGE_SETTINGS, parseAllowedOrigins } from '../src/api-edge-config';
import { createTaxiPulse } from './taxi-pulse';

const app = new App();
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
const streamShards: unknown = app.node.tryGetContext('streamShards');
const stackPrefix: unknown = app.node.tryGetContext('stackPrefix');
if (stackPrefix !== undefined && !(typeof stackPrefix === 'string' && /^[A-Za-z][A-Za-z0-9-]*$/.test(stackPrefix))) {
  throw new Error(`-c stackPrefix must start with a letter and hold only letters, digits and hyphens, got ${String(stackPrefix)}`);
}
if (streamShards !== undefined && !(Number.isInteger(Number(streamShards)) && Number(streamShards) >= 1)) {
  throw new Error(`-c streamShards must be a whole number of shards (1 or more), got ${String(streamShards)}`);
}
const corsAllowedOrigins: unknown = app.node.tryGetContext(API_EDGE_SETTINGS.corsAllowedOriginsContext);
createTaxiPulse(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  alarmEmail: typeof alarmEmail === 'string' && alarmEmail.length > 0 ? alarmEmail : undefined,
  streamShards: streamShards === undefined ? undefined : Number(streamShards),
  corsAllowedOrigins: parseAllowedOrigins(corsAllowedOrigins === undefined ? undefined : String(corsAllowedOrigins)),
  stackIdPrefix: typeof stackPrefix === 'string' ? stackPrefix : undefined,
});
