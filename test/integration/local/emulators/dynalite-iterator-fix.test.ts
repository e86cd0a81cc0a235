/**
 * The emulator process patches dynalite so that Query closes its LevelDB iterator
 * (src/local/emulators/dynalite-iterator-fix.cjs). Counted here through abstract-level's own resource
 * registry: every iterator attaches itself to its database when opened and detaches when closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { closeDynaliteIteratorsOnReturn, dynalitesAbstractLevel } = require('../../../../src/local/emulators/dynalite-iterator-fix.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

const TABLE = 'iterators';
type Resource = { constructor: { name: string } };

describe('dynalite iterator fix', () => {
  const openIterators = new Set<Resource>();
  let restore: () => void;
  let server: {
    listen: (port: number, host: string, done: () => void) => void;
    address: () => AddressInfo;
    close: (done: () => void) => void;
  };
  let documents: DynamoDBDocumentClient;
  let dataDir: string;

  beforeAll(async () => {
    const { AbstractLevel } = dynalitesAbstractLevel();
    const { attachResource, detachResource } = AbstractLevel.prototype;
    AbstractLevel.prototype.attachResource = function (resource: Resource) {
      if (/Iterator$/.test(resource.constructor.name)) openIterators.add(resource);
      return attachResource.call(this, resource);
    };
    AbstractLevel.prototype.detachResource = function (resource: Resource) {
      openIterators.delete(resource);
      return detachResource.call(this, resource);
    };
    restore = () => Object.assign(AbstractLevel.prototype, { attachResource, detachResource });

    dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-iterators-'));
    server = dynalite({ path: dataDir, createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${server.address().port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    documents = DynamoDBDocumentClient.from(client);
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const sk of ['a', 'b', 'c']) await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk } }));
  });

  afterAll(async () => {
    restore?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function queryTimes(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const answer = await documents.send(
        new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } }),
      );
      expect(answer.Items).toHaveLength(3);
    }
  }

  it('without the fix, every Query leaves its iterator open (the bug the fix is for)', async () => {
    const before = openIterators.size;
    await queryTimes(5);
    // At least one per Query (dynalite opens two here).
    expect(openIterators.size - before).toBeGreaterThanOrEqual(5);
  });

  it('with the fix, Queries close their iterators', async () => {
    expect(closeDynaliteIteratorsOnReturn()).toEqual(expect.arrayContaining(['AbstractIterator']));
    const before = openIterators.size;
    await queryTimes(5);
    // Let the streams' destroy() run their close() to completion.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openIterators.size).toBe(before);
    expect(closeDynaliteIteratorsOnReturn()).toEqual([]);
  });
});
