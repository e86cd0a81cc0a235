/**
 * The table a rebuild writes into: created when it does not exist (where the rebuild may create
 * tables), refused when it holds items, unless the caller forces it.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTableInput } from '../../store/table-definition';
import { RebuildError } from './lake-reader';

/** The target table cannot be written as asked. */
export class TargetTableError extends RebuildError {
  override name = 'TargetTableError';
}

export interface TargetTableOptions {
  /** Create the table when it does not exist (locally; on AWS the stack creates tables). */
  readonly create: boolean;
  /** Write into a table that holds items already. */
  readonly force: boolean;
  readonly timeoutMs?: number;
}

/** Whether the table was created, and whether it held items. */
export interface TargetTable {
  readonly created: boolean;
  readonly hadItems: boolean;
}

/** Makes sure `tableName` exists, is ACTIVE and may be written; throws TargetTableError with what to do. */
export async function prepareTargetTable(client: DynamoDBClient, tableName: string, options: TargetTableOptions): Promise<TargetTable> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let status = await tableStatus(client, tableName);
  let created = false;
  if (status === undefined) {
    if (!options.create) {
      throw new TargetTableError(
        `table ${tableName} does not exist. On AWS a rebuild writes into a table the stack created ` +
          '(a second copy of the stateful stack, docs/deploy.md); check the name and the region (AWS_REGION).',
      );
    }
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  while ((status = await tableStatus(client, tableName)) !== 'ACTIVE') {
    if (Date.now() > deadline) throw new TargetTableError(`table ${tableName} did not become ACTIVE (status ${status ?? 'unknown'})`);
    await sleep(50);
  }
  // One item is enough to know: a Scan of Limit 1 reads one item, once per rebuild.
  const { Items } = await client.send(new ScanCommand({ TableName: tableName, Limit: 1 }));
  const hadItems = (Items ?? []).length > 0;
  if (hadItems && !options.force) {
    throw new TargetTableError(
      `table ${tableName} is not empty. A rebuild writes every item of a fresh table once: rebuild into a new table ` +
        '(--table <another name>), or pass --force to write over this one (each item the rebuild makes is replaced whole; ' +
        'items it does not make, such as those of trips missing from the lake, stay).',
    );
  }
  return { created, hadItems };
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
