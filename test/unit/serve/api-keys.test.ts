import { CachedApiKeys, generateApiKeys, parseApiKeys, rolesOfKey, type ApiKeys } from '../../../src/serve/api-keys';

const keys: ApiKeys = { ingestKeys: ['ingest-key-0123456789', 'ingest-key-rotated-0000'], readKeys: ['read-key-0123456789ab'] };

describe('rolesOfKey', () => {
  it('grants the role of the list a key is in', () => {
    expect(rolesOfKey(keys, 'ingest-key-rotated-0000')).toEqual(['ingest']);
    expect(rolesOfKey(keys, 'read-key-0123456789ab')).toEqual(['read']);
  });

  it('grants nothing to a missing, unknown or prefix key', () => {
    expect(rolesOfKey(keys, undefined)).toEqual([]);
    expect(rolesOfKey(keys, '')).toEqual([]);
    expect(rolesOfKey(keys, 'read-key-0123456789a')).toEqual([]);
  });
});

describe('parseApiKeys', () => {
  it('reads the document shape the secret and the local file share', () => {
    expect(parseApiKeys(JSON.stringify(keys), 'test')).toEqual(keys);
  });

  it.each(['not json', '{}', '{"ingestKeys":["short"],"readKeys":[]}', '{"ingestKeys":[],"readKeys":[42]}'])(
    'refuses %s with a clear error',
    (text) => {
      expect(() => parseApiKeys(text, 'the secret')).toThrow(/the secret/);
    },
  );
});

describe('generateApiKeys', () => {
  it('makes one long random key of each role', () => {
    const generated = generateApiKeys();
    expect(generated.ingestKeys[0]).toMatch(/^tpi_[\w-]{32}$/);
    expect(generated.readKeys[0]).toMatch(/^tpr_[\w-]{32}$/);
    expect(generateApiKeys().ingestKeys[0]).not.toBe(generated.ingestKeys[0]);
  });
});

describe('CachedApiKeys', () => {
  it('loads keys once within the cache period and again after it', async () => {
    // Prepare
    let now = 0;
    let loads = 0;
    const cache = new CachedApiKeys({ load: async () => (loads++, keys) }, () => now);

    // Act
    await cache.rolesOf('read-key-0123456789ab');
    await cache.rolesOf('read-key-0123456789ab');
    now += 6 * 60 * 1000;
    await cache.rolesOf('read-key-0123456789ab');

    // Assess
    expect(loads).toBe(2);
  });

  it('tries again after a failed load instead of keeping the failure', async () => {
    let attempt = 0;
    const cache = new CachedApiKeys({ load: async () => (attempt++ === 0 ? Promise.reject(new Error('throttled')) : keys) });
    await expect(cache.rolesOf('read-key-0123456789ab')).rejects.toThrow('throttled');
    await expect(cache.rolesOf('read-key-0123456789ab')).resolves.toEqual(['read']);
  });
});
