/**
 * The local stack's API keys: `<dataDir>/api-keys.json`, generated on first start (file mode 0600)
 * and kept, in the same shape as the deployed stack's secret.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateApiKeys, parseApiKeys, type ApiKeys } from '../serve/api-keys';

export const API_KEYS_FILE_NAME = 'api-keys.json';

export function apiKeysPath(dataDir: string): string {
  return join(dataDir, API_KEYS_FILE_NAME);
}

/** Reads the data directory's keys, generating them on first use; `created` says which happened. */
export async function ensureLocalApiKeys(dataDir: string): Promise<{ path: string; keys: ApiKeys; created: boolean }> {
  const path = apiKeysPath(dataDir);
  if (existsSync(path)) return { path, keys: parseApiKeys(await readFile(path, 'utf8'), path), created: false };
  const keys = generateApiKeys();
  await writeFile(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { path, keys, created: true };
}
