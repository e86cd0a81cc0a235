/**
 * `npm run build:dashboard [-- --out-dir <dir>]`: builds the dashboard page (dist/dashboard by
 * default). The CDK bundling of the asset Lambda runs this into the function's bundle.
 */
import { parseArgs } from 'node:util';
import { buildDashboard, DEFAULT_DASHBOARD_DIR } from './build-dashboard';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: DEFAULT_DASHBOARD_DIR } }, strict: true });
  const built = await buildDashboard({ outDir: values['out-dir'] });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(
    `Dashboard built into ${built.outDir} in ${built.durationMs} ms: script ${kb(built.script.bytes)} (${kb(built.script.gzipBytes)} gzipped), ` +
      `${built.zones.zoneCount} zone shapes ${kb(built.zones.bytes)}`,
  );
}

main().catch((error: unknown) => {
  console.error('The dashboard build failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
