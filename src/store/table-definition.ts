import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table's physical shape. The CDK stack and the local bootstrap both build the table from
 * this definition, so the key schema cannot drift between AWS and the emulator.
 */
export const TABLE_KEY = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** Attribute on items that expire (poller bookkeeping only; correctness never relies on TTL). */
export const TABLE_TTL_ATTRIBUTE = 'expiresAt';

/**
 * The layout of the items this code reads and writes (docs/table-design.md). Format 3: pickup
 * aggregates carry the operations figures under short attribute names, zone DAY items only their hours'
 * figures, and city-wide FLOW items count pickups and drop-offs per zone. Format 2 had fare figures
 * only; format 1 marked items with `mark_<shardId>` holding 128 zero-padded digits. Items of two formats
 * cannot be mixed in one table (their figures differ, and a replay's marks could count a redelivered
 * record twice), so the local bootstrap stamps a new table with this version and refuses a table of
 * another format; a deployed table is upgraded by replaying into a new one (docs/deploy.md).
 */
export const TABLE_FORMAT_VERSION = 3;

/** Default table name for the local runtime; on AWS CloudFormation generates the physical name. */
export const LOCAL_TABLE_NAME = 'taxi-pulse';

/** The CreateTable key attributes and schema of the single table (local bootstrap and test tables). */
export const TABLE_KEY_SCHEMA = {
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
    { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
  ],
} as const;

/** CreateTable of the single table, on demand (the local bootstrap's table and the fault tests' scratch tables). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...TABLE_KEY_SCHEMA.AttributeDefinitions],
    KeySchema: [...TABLE_KEY_SCHEMA.KeySchema],
  };
}
