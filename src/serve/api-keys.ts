/**
 * API keys: who may call what. Apps hold ingest keys (the `ingestTrips` mutation), analysts and BI
 * tools hold read keys (queries). On AWS the keys live in Secrets Manager; locally in a JSON file in
 * the data directory, generated on first start. Both are read with the same shape and the same check.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type ApiRole = 'ingest' | 'read';

/** The stored form, in the secret and in the local file. */
export interface ApiKeys {
  ingestKeys: string[];
  readKeys: string[];
}

export class ApiKeysError extends Error {
  override name = 'ApiKeysError';
}

/** Where keys come from. */
export interface ApiKeySource {
  load(): Promise<ApiKeys>;
}

/** The HTTP header clients send their key in. */
export const API_KEY_HEADER = 'x-api-key';

/** How long loaded keys are trusted before they are read again (so a rotation takes effect). */
const KEY_CACHE_MS = 5 * 60 * 1000;

/** Checks well-formedness of a parsed key document. */
export function parseApiKeys(text: string, origin: string): ApiKeys {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiKeysError(`${origin} is not JSON`, { cause: error });
  }
  const keys = value as Partial<ApiKeys> | null;
  const isKeyList = (list: unknown): list is string[] =>
    Array.isArray(list) && list.every((key) => typeof key === 'string' && key.length >= 16);
  if (!keys || !isKeyList(keys.ingestKeys) || !isKeyList(keys.readKeys)) {
    throw new ApiKeysError(`${origin} must hold { "ingestKeys": [...], "readKeys": [...] } with keys of at least 16 characters`);
  }
  return { ingestKeys: keys.ingestKeys, readKeys: keys.readKeys };
}

/** Keys from a Secrets Manager secret (the deployed stack). */
export class SecretsManagerKeySource implements ApiKeySource {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
  ) {}

  async load(): Promise<ApiKeys> {
    const secret = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    return parseApiKeys(secret.SecretString ?? '', 'the API keys secret');
  }
}

/** Keys from a JSON file (the local runtime's data directory). */
export class FileKeySource implements ApiKeySource {
  constructor(private readonly path: string) {}

  async load(): Promise<ApiKeys> {
    return parseApiKeys(await readFile(this.path, 'utf8'), this.path);
  }
}

/** A new key document with one random key of each role. */
export function generateApiKeys(): ApiKeys {
  const key = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;
  return { ingestKeys: [key('tpi')], readKeys: [key('tpr')] };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The roles a presented key grants. Compares digests in constant time against every key, without
 * stopping at a match, so timing tells nothing about which keys exist.
 */
export function rolesOfKey(keys: ApiKeys, presented: string | undefined): ApiRole[] {
  if (!presented) return [];
  const presentedDigest = digest(presented);
  const matches = (list: string[]) => list.reduce((found, key) => timingSafeEqual(digest(key), presentedDigest) || found, false);
  const roles: ApiRole[] = [];
  if (matches(keys.ingestKeys)) roles.push('ingest');
  if (matches(keys.readKeys)) roles.push('read');
  return roles;
}

/** Loads keys through a source and keeps them for a few minutes (one secret read per container, not per request). */
export class CachedApiKeys {
  private cached?: { keys: Promise<ApiKeys>; loadedAt: number };

  constructor(
    private readonly source: ApiKeySource,
    private readonly now: () => number = Date.now,
  ) {}

  async rolesOf(presented: string | undefined): Promise<ApiRole[]> {
    if (!this.cached || this.now() - this.cached.loadedAt > KEY_CACHE_MS) {
      const keys = this.source.load();
      this.cached = { keys, loadedAt: this.now() };
      // A failed load is not kept: the next request tries again.
      keys.catch(() => (this.cached = undefined));
    }
    return rolesOfKey(await this.cached.keys, presented);
  }
}
