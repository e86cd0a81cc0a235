/**
 * Creates the local table and stream from the same definitions the CDK stack uses, idempotently: a
 * second run, or a restart on the same data directory, finds them and changes nothing.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException as TableInUseException,
  ResourceNotFoundException as TableNotFoundException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceInUseException as StreamInUseException,
  ResourceNotFoundException as StreamNotFoundException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { countersKey, tableFormatKey, type ItemKey } from '../store/keys';
import { createTableInput, TABLE_FORMAT_VERSION } from '../store/table-definition';
import { BootstrapError, TableFormatError } from './errors';

export interface BootstrapOptions {
  readonly dynamodb: DynamoDBClient;
  readonly kinesis: KinesisClient;
  readonly tableName: string;
  readonly streamName: string;
  /** Shards of a newly created stream (an existing stream keeps its shards). */
  readonly shardCount: number;
  /** How long to wait for ACTIVE. */
  readonly timeoutMs?: number;
}

export interface BootstrapResult {
  /** False when the table already existed. */
  readonly tableCreated: boolean;
  /** False when the stream already existed. */
  readonly streamCreated: boolean;
  /** Open shards of the stream. */
  readonly openShardCount: number;
}

const POLL_MS = 25;

/**
 * Ensures the single table (key schema from table-definition, on-demand) and the trip stream exist
 * and are ACTIVE. Safe to run on every start; creation races with another bootstrapper are tolerated.
 */
export async function bootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    const tableCreated = await ensureTable(options.dynamodb, options.tableName, deadline);
    await ensureTableFormat(options.dynamodb, options.tableName);
    const { created: streamCreated, openShardCount } = await ensureStream(options, deadline);
    return { tableCreated, streamCreated, openShardCount };
  } catch (error) {
    if (error instanceof BootstrapError) throw error;
    throw new BootstrapError(`could not create ${options.tableName} / ${options.streamName}`, { cause: error });
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string, deadline: number): Promise<boolean> {
  let created = false;
  if ((await tableStatus(client, tableName)) === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (error) {
      if (!(error instanceof TableInUseException)) throw error;
    }
  }
  while ((await tableStatus(client, tableName)) !== 'ACTIVE') {
    if (Date.now() > deadline) throw new BootstrapError(`table ${tableName} did not become ACTIVE`);
    await sleep(POLL_MS);
  }
  return created;
}

/**
 * Stamps a table that holds no counts yet with TABLE_FORMAT_VERSION, and refuses one of another
 * format. A table with counts but no stamp predates the stamp: format 1.
 */
async function ensureTableFormat(client: DynamoDBClient, tableName: string): Promise<void> {
  const stamp = await getItem(client, tableName, tableFormatKey());
  let version = stamp?.version?.N === undefined ? undefined : Number(stamp.version.N);
  if (version === undefined) {
    if ((await getItem(client, tableName, countersKey())) !== undefined) {
      version = 1;
    } else {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...attributeKey(tableFormatKey()), version: { N: String(TABLE_FORMAT_VERSION) } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return;
      } catch (error) {
        // Another bootstrap stamped it first: check what it wrote.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return ensureTableFormat(client, tableName);
      }
    }
  }
  if (version !== TABLE_FORMAT_VERSION) throw new TableFormatError(tableName, version, TABLE_FORMAT_VERSION);
}

async function getItem(client: DynamoDBClient, tableName: string, key: ItemKey) {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: attributeKey(key), ConsistentRead: true }));
  return Item;
}

function attributeKey(key: ItemKey) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (error instanceof TableNotFoundException) return undefined;
    throw error;
  }
}

async function ensureStream(options: BootstrapOptions, deadline: number): Promise<{ created: boolean; openShardCount: number }> {
  const { kinesis, streamName } = options;
  let created = false;
  if ((await streamSummary(kinesis, streamName)) === undefined) {
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shardCount }));
      created = true;
    } catch (error) {
      if (!(error instanceof StreamInUseException)) throw error;
    }
  }
  for (;;) {
    const summary = await streamSummary(kinesis, streamName);
    if (summary?.status === 'ACTIVE') return { created, openShardCount: summary.openShardCount };
    if (Date.now() > deadline) throw new BootstrapError(`stream ${streamName} did not become ACTIVE`);
    await sleep(POLL_MS);
  }
}

async function streamSummary(
  kinesis: KinesisClient,
  streamName: string,
): Promise<{ status: string | undefined; openShardCount: number } | undefined> {
  try {
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return { status: summary?.StreamStatus, openShardCount: summary?.OpenShardCount ?? 0 };
  } catch (error) {
    if (error instanceof StreamNotFoundException) return undefined;
    throw error;
  }
}
