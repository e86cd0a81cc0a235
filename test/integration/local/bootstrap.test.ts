import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, type BootstrapOptions } from '../../../src/local/bootstrap';
import { TableFormatError } from '../../../src/local/errors';
import { countersKey, tableFormatKey } from '../../../src/store/keys';
import { emulatorClients } from '../../../src/local/emulators/emulator-clients';
import { startEmulators } from '../../../src/local/emulators/emulators';
import { TABLE_FORMAT_VERSION, TABLE_KEY } from '../../../src/store/table-definition';

const REGION = 'us-east-1';
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-bootstrap-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function withStack<T>(work: (options: BootstrapOptions, clients: ReturnType<typeof emulatorClients>) => Promise<T>): Promise<T> {
  const emulators = await startEmulators({ dataDir, region: REGION });
  const clients = emulatorClients(emulators.endpoints, REGION);
  try {
    return await work(
      { dynamodb: clients.dynamodb, kinesis: clients.kinesis, tableName: 'trips-table', streamName: 'trips', shardCount: 3 },
      clients,
    );
  } finally {
    clients.destroy();
    await emulators.stop();
  }
}

describe('bootstrap', () => {
  it('creates the table from the shared key definition and the stream with its shards, ACTIVE', async () => {
    // Act
    const { result, table, shards } = await withStack(async (options, clients) => {
      const result = await bootstrap(options);
      const { Table: table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
      const { Shards: shards } = await clients.kinesis.send(new ListShardsCommand({ StreamName: options.streamName }));
      return { result, table, shards };
    });

    // Assess
    expect(result).toEqual({ tableCreated: true, streamCreated: true, openShardCount: 3 });
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual([
      { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(shards).toHaveLength(3);
  });

  it('changes nothing when run twice', async () => {
    // Act
    const [first, second] = await withStack(async (options) => [await bootstrap(options), await bootstrap(options)]);

    // Assess
    expect(first).toMatchObject({ tableCreated: true, streamCreated: true });
    expect(second).toEqual({ tableCreated: false, streamCreated: false, openShardCount: 3 });
  });

  it('keeps the table, its items and the stream across a restart on the same data directory', async () => {
    // Prepare
    const put = await withStack(async (options, clients) => {
      await bootstrap(options);
      await clients.documents.send(new PutCommand({ TableName: options.tableName, Item: { pk: 'P', sk: 'S', n: 1 } }));
      return clients.kinesis.send(new PutRecordCommand({ StreamName: options.streamName, PartitionKey: 'k', Data: Buffer.from('x') }));
    });

    // Act
    const { result, item } = await withStack(async (options, clients) => {
      const result = await bootstrap(options);
      const { Item: item } = await clients.documents.send(new GetCommand({ TableName: options.tableName, Key: { pk: 'P', sk: 'S' } }));
      return { result, item };
    });

    // Assess
    expect(put.SequenceNumber).toBeDefined();
    expect(result).toEqual({ tableCreated: false, streamCreated: false, openShardCount: 3 });
    expect(item).toEqual({ pk: 'P', sk: 'S', n: 1 });
  });

  it('stamps a new table with the item format this code writes', async () => {
    const stamp = await withStack(async (options, clients) => {
      await bootstrap(options);
      return (await clients.documents.send(new GetCommand({ TableName: options.tableName, Key: tableFormatKey() }))).Item;
    });

    expect(stamp).toMatchObject({ version: TABLE_FORMAT_VERSION });
  });

  it('refuses, with what to do, a table written by an older taxi-pulse (counts but no stamp: format 1)', async () => {
    const outcome = await withStack(async (options, clients) => {
      await bootstrap(options);
      // What a table of format 1 looks like: counters, no format stamp.
      await clients.documents.send(new DeleteCommand({ TableName: options.tableName, Key: tableFormatKey() }));
      await clients.documents.send(new PutCommand({ TableName: options.tableName, Item: { ...countersKey(), accepted: 3 } }));
      return bootstrap(options).catch((error: unknown) => error);
    });

    expect(outcome).toBeInstanceOf(TableFormatError);
    expect(outcome).toMatchObject({ foundVersion: 1, expectedVersion: TABLE_FORMAT_VERSION });
    expect((outcome as Error).message).toMatch(/older taxi-pulse.*--data-dir/);
  });

  it('refuses, with what to do, a table of the format before operations and zone flows (format 2)', async () => {
    const outcome = await withStack(async (options, clients) => {
      await bootstrap(options);
      await clients.documents.send(new PutCommand({ TableName: options.tableName, Item: { ...tableFormatKey(), version: 2 } }));
      return bootstrap(options).catch((error: unknown) => error);
    });

    expect(TABLE_FORMAT_VERSION).toBe(3);
    expect(outcome).toBeInstanceOf(TableFormatError);
    expect(outcome).toMatchObject({ foundVersion: 2, expectedVersion: 3 });
    expect((outcome as Error).message).toMatch(/format 2, written by an older taxi-pulse.*--data-dir <another dir>.*npm run replay/);
  });

  it('refuses a table stamped by a newer taxi-pulse', async () => {
    const outcome = await withStack(async (options, clients) => {
      await bootstrap(options);
      await clients.documents.send(
        new PutCommand({ TableName: options.tableName, Item: { ...tableFormatKey(), version: TABLE_FORMAT_VERSION + 1 } }),
      );
      return bootstrap(options).catch((error: unknown) => error);
    });

    expect(outcome).toBeInstanceOf(TableFormatError);
    expect((outcome as Error).message).toMatch(/newer taxi-pulse/);
  });
});
