/**
 * The whole local stack, in-process, on a temporary data directory: what an end-to-end test runs
 * against. `keys` give the headers for the stack's ingest and read API keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/local/logger';
import { startLocalStack, type LocalStack } from '../../src/local/local-stack';
import { withKey } from './graphql';

export interface StackFixture {
  stack: LocalStack;
  ingestKey(): Record<string, string>;
  readKey(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startStackFixture(name: string, options: { dashboardAssetsDir?: string } = {}): Promise<StackFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), `taxi-pulse-${name}-`));
  const stack = await startLocalStack({ dataDir, port: 0, logger: silentLogger, dashboardAssetsDir: options.dashboardAssetsDir });
  return {
    stack,
    ingestKey: () => withKey(stack.apiKeys.ingest),
    readKey: () => withKey(stack.apiKeys.read),
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
