/**
 * The key design of the single table: the only module that composes or parses `pk` / `sk` values and
 * the key conditions of Queries. Each access pattern has a typed builder here (an item's key, or the
 * key condition of a Query over a partition), so readers, the local runtime, benchmarks and tests
 * never write a key or a `pk = :pk` by hand. Access patterns and why each key looks as it does:
 * docs/table-design.md.
 */
import { isBoroughCode } from '../domain/borough';
import type { AggregateScope, StoredGranularity } from '../domain/scope';
import type { TripTarget } from '../domain/trip-targets';
import { TABLE_KEY } from './table-definition';

export interface ItemKey {
  [TABLE_KEY.partitionKey]: string;
  [TABLE_KEY.sortKey]: string;
}

/**
 * The part of a Query input that selects items by key: a key condition and its values. A reader adds
 * TableName (and, if it wants, a projection): `{ TableName, ...aggregateSpanQuery(...) }`.
 */
export interface KeyCondition {
  readonly KeyConditionExpression: string;
  readonly ExpressionAttributeValues: Record<string, string>;
}

const PK = TABLE_KEY.partitionKey;
const SK = TABLE_KEY.sortKey;
/** The placeholder every key condition here gives the partition key's value. */
const PARTITION_VALUE = ':pk';

/**
 * The most digits a Kinesis sequence number has: the Kinesis API reference gives its pattern as
 * `0|([1-9]\d{0,128})` (a leading digit and up to 128 more). Sequence numbers Kinesis issues today
 * have 56 digits.
 */
export const MAX_SEQUENCE_NUMBER_DIGITS = 129;

/**
 * The width poison record sort keys are zero-padded to (table format 2, docs/table-design.md). One
 * short of MAX_SEQUENCE_NUMBER_DIGITS: every sequence number of up to 128 digits sorts by its value; a
 * 129-digit one is kept unpadded, so its key is still unique to its record. Padding to 129 would move
 * every poison item of an existing table to another key: a change of item layout, for a table format 3.
 */
export const POISON_SORT_KEY_WIDTH = MAX_SEQUENCE_NUMBER_DIGITS - 1;

/** A sequence number as a poison record's sort key (zero-padded, see POISON_SORT_KEY_WIDTH). */
export function padSequenceNumber(sequenceNumber: string): string {
  return sequenceNumber.padStart(POISON_SORT_KEY_WIDTH, '0');
}

/** A readable identity of an item key, `pk|sk` (unambiguous: no sort key of this table holds a `|`). */
export function itemKeyId(key: { readonly pk?: unknown; readonly sk?: unknown }): string {
  return `${String(key.pk)}|${String(key.sk)}`;
}

// ---- Aggregates (access patterns 1-3 and 8) ----

const AGGREGATE_PREFIX = 'AGG';
const BOROUGH = 'BOROUGH';
const ZONE = 'ZONE';
const CITY = 'CITY';
const STORED_GRANULARITIES: readonly string[] = ['HOUR', 'DAY'] satisfies StoredGranularity[];

/** A stable, human-readable identity of a scope, e.g. `ZONE#132` (also used as a map key in code). */
export function scopeId(scope: AggregateScope): string {
  switch (scope.kind) {
    case 'CITY':
      return CITY;
    case 'BOROUGH':
      return `${BOROUGH}#${scope.borough}`;
    case 'ZONE':
      return `${ZONE}#${String(scope.zoneId).padStart(3, '0')}`;
  }
}

/** One aggregate item: all trips of a scope in one HOUR or DAY bucket. */
export function aggregateKey(scope: AggregateScope, granularity: StoredGranularity, bucketKey: string): ItemKey {
  return { pk: aggregatePartition(scope, granularity), sk: bucketKey };
}

/** The partition holding a scope's buckets of one granularity, in time order by sort key. */
export function aggregatePartition(scope: AggregateScope, granularity: StoredGranularity): string {
  return `${AGGREGATE_PREFIX}#${scopeId(scope)}#${granularity}`;
}

/** The aggregate items of a scope and granularity with bucket keys in [fromKey, toKey] (both inclusive). */
export function aggregateSpanQuery(
  scope: AggregateScope,
  granularity: StoredGranularity,
  [fromKey, toKey]: [string, string],
): KeyCondition {
  return sortKeySpanQuery(aggregatePartition(scope, granularity), [fromKey, toKey]);
}

/** The items of one partition with sort keys in [fromKey, toKey] (both inclusive). */
function sortKeySpanQuery(partition: string, [fromKey, toKey]: [string, string]): KeyCondition {
  return {
    KeyConditionExpression: `${PK} = ${PARTITION_VALUE} AND ${SK} BETWEEN :from AND :to`,
    ExpressionAttributeValues: { [PARTITION_VALUE]: partition, ':from': fromKey, ':to': toKey },
  };
}

/** What an aggregate partition key names: the scope and the stored granularity; undefined for any other key. */
export function parseAggregatePartition(pk: string): { scope: AggregateScope; granularity: StoredGranularity } | undefined {
  const parts = pk.split('#');
  if (parts[0] !== AGGREGATE_PREFIX) return undefined;
  const granularity = parts.at(-1) as StoredGranularity;
  if (!STORED_GRANULARITIES.includes(granularity)) return undefined;
  const scopeParts = parts.slice(1, -1);
  if (scopeParts.length === 1 && scopeParts[0] === CITY) return { scope: { kind: 'CITY' }, granularity };
  if (scopeParts.length === 2 && scopeParts[0] === BOROUGH && isBoroughCode(scopeParts[1]))
    return { scope: { kind: 'BOROUGH', borough: scopeParts[1] }, granularity };
  if (scopeParts.length === 2 && scopeParts[0] === ZONE && /^\d{3}$/.test(scopeParts[1]))
    return { scope: { kind: 'ZONE', zoneId: Number(scopeParts[1]) }, granularity };
  return undefined;
}

/** The partition key value a key condition built here selects (its `:pk`), if any. */
export function partitionOfKeyCondition(condition: Pick<KeyCondition, 'ExpressionAttributeValues'>): string | undefined {
  const value = condition.ExpressionAttributeValues[PARTITION_VALUE];
  return typeof value === 'string' ? value : undefined;
}

// ---- Zone flows (table format 3: pickups and drop-offs per zone, city-wide) ----

const FLOW_PREFIX = 'FLOW';

/**
 * The city-wide flow item of one HOUR or DAY bucket: pickups and drop-offs of every zone in that local
 * hour or day, so that a year of zoneFlows is a year of DAY items (docs/table-design.md, "Format 3").
 */
export function flowKey(granularity: StoredGranularity, bucketKey: string): ItemKey {
  return { pk: flowPartition(granularity), sk: bucketKey };
}

/** The partition holding the flow items of one granularity, in time order by sort key. */
export function flowPartition(granularity: StoredGranularity): string {
  return `${FLOW_PREFIX}#${granularity}`;
}

/** The flow items of a granularity with bucket keys in [fromKey, toKey] (both inclusive). */
export function flowSpanQuery(granularity: StoredGranularity, keySpan: [string, string]): KeyCondition {
  return sortKeySpanQuery(flowPartition(granularity), keySpan);
}

/** Which granularity a flow partition key holds; undefined for any other key. */
export function parseFlowPartition(pk: string): StoredGranularity | undefined {
  const [prefix, granularity, ...rest] = pk.split('#');
  if (prefix !== FLOW_PREFIX || rest.length > 0) return undefined;
  return STORED_GRANULARITIES.includes(granularity) ? (granularity as StoredGranularity) : undefined;
}

/** The item a trip target (src/domain/trip-targets.ts) lands in: a pickup aggregate or a flow bucket. */
export function tripTargetKey(target: TripTarget): ItemKey {
  return target.kind === 'FLOW'
    ? flowKey(target.granularity, target.bucketKey)
    : aggregateKey(target.scope, target.granularity, target.bucketKey);
}

// ---- The processor's ledger, rejections and poison records (patterns 5-7) ----

/** The trip ledger item of a tripId: proof that the trip was counted, and by which record. */
export function tripKey(tripId: string): ItemKey {
  return { pk: `TRIP#${tripId}`, sk: 'TRIP' };
}

/** A rejected trip, kept with its reason (one per tripId). */
export function rejectedTripKey(tripId: string): ItemKey {
  return { pk: `REJECTED#${tripId}`, sk: 'REJECTED' };
}

/** A stream record that could not be decoded, kept aside by shard and sequence number. */
export function poisonRecordKey(shardId: string, sequenceNumber: string): ItemKey {
  return { pk: `POISON#${shardId}`, sk: padSequenceNumber(sequenceNumber) };
}

// ---- Pipeline counters, format stamp and shard status (pattern 4, `pipelineStatus`) ----

const STATS_PARTITION = 'STATS';

/** The pipeline-wide counters (accepted, duplicates, rejections by reason, poison). */
export function countersKey(): ItemKey {
  return { pk: STATS_PARTITION, sk: 'COUNTERS' };
}

/** Which item layout the table holds (TABLE_FORMAT_VERSION), next to the counters. */
export function tableFormatKey(): ItemKey {
  return { pk: STATS_PARTITION, sk: 'FORMAT' };
}

const SHARD_STATUS_PARTITION = 'STATUS';
const SHARD_STATUS_PREFIX = 'SHARD#';

/** The processor's status of one shard, written after each batch and read by `pipelineStatus`. */
export function shardStatusKey(shardId: string): ItemKey {
  return { pk: SHARD_STATUS_PARTITION, sk: `${SHARD_STATUS_PREFIX}${shardId}` };
}

/** The processor's status items of every shard (one partition, sort keys `SHARD#<shardId>`). */
export function shardStatusQuery(): KeyCondition {
  return {
    KeyConditionExpression: `${PK} = ${PARTITION_VALUE} AND begins_with(${SK}, :prefix)`,
    ExpressionAttributeValues: { [PARTITION_VALUE]: SHARD_STATUS_PARTITION, ':prefix': SHARD_STATUS_PREFIX },
  };
}

// ---- The local poller's checkpoints (pattern 9) ----

const CHECKPOINT_PREFIX = 'CHECKPOINT#';

/** The local poller's checkpoint of one shard (plays the event source mapping's own bookkeeping). */
export function checkpointKey(streamName: string, shardId: string): ItemKey {
  return { pk: `${CHECKPOINT_PREFIX}${streamName}`, sk: shardId };
}

/** Every checkpoint of a stream (one partition, one item per shard). */
export function checkpointsQuery(streamName: string): KeyCondition {
  return {
    KeyConditionExpression: `${PK} = ${PARTITION_VALUE}`,
    ExpressionAttributeValues: { [PARTITION_VALUE]: `${CHECKPOINT_PREFIX}${streamName}` },
  };
}

/** The shard a checkpoint item belongs to, read from its key. */
export function shardIdOfCheckpoint(item: Partial<ItemKey>): string {
  return String(item[SK]);
}

// ---- Exactly-once marks ----

/** Every exactly-once mark attribute starts with this (and no other attribute of the table does). */
const MARK_PREFIX = 'mark';

/**
 * Name of the attribute that holds, on an item, the highest sequence number of a shard whose
 * contribution the item already contains (the exactly-once high-water mark): `mark<shard number>`
 * for Kinesis shard ids (`shardId-000000000012` -> `mark12`), `mark_<shardId>` for any other id.
 * Short because every aggregate item carries one per shard, and DynamoDB bills item bytes.
 */
export function markAttribute(shardId: string): string {
  const kinesisShard = /^shardId-(\d+)$/.exec(shardId);
  return kinesisShard ? `${MARK_PREFIX}${BigInt(kinesisShard[1])}` : `${MARK_PREFIX}_${shardId}`;
}

/** Whether an attribute is an exactly-once mark (and no figure of the item). */
export function isMarkAttribute(name: string): boolean {
  return name.startsWith(MARK_PREFIX);
}

/** Digits of the length prefix of a mark value: enough for MAX_SEQUENCE_NUMBER_DIGITS. */
const MARK_LENGTH_DIGITS = String(MAX_SEQUENCE_NUMBER_DIGITS).length;

/**
 * A sequence number as a mark value: its number of digits (three digits) followed by the digits.
 * Kinesis sequence numbers are decimal without leading zeros (up to MAX_SEQUENCE_NUMBER_DIGITS), so the
 * string order of these values, which a condition expression compares, is the numeric order; and a
 * 56-digit sequence number takes 59 bytes instead of the 128 of a zero-padded one.
 */
export function markValue(sequenceNumber: string): string {
  const digits = BigInt(sequenceNumber).toString();
  return `${String(digits.length).padStart(MARK_LENGTH_DIGITS, '0')}${digits}`;
}

/** The sequence number a mark value holds. */
export function sequenceNumberOfMark(mark: string): bigint {
  return BigInt(mark.slice(MARK_LENGTH_DIGITS));
}
