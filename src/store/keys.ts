/**
 * The key design of the single table: the only module that composes `pk` / `sk` values.
 * Access patterns and why each key looks as it does: docs/table-design.md.
 */
import type { AggregateScope, StoredGranularity } from '../domain/scope';
import { TABLE_KEY } from './table-definition';

export interface ItemKey {
  [TABLE_KEY.partitionKey]: string;
  [TABLE_KEY.sortKey]: string;
}

/** Kinesis sequence numbers are decimal strings of up to 128 digits: padded they compare as strings. */
export const SEQUENCE_NUMBER_WIDTH = 128;

export function padSequenceNumber(sequenceNumber: string): string {
  return sequenceNumber.padStart(SEQUENCE_NUMBER_WIDTH, '0');
}

/** A stable, human-readable identity of a scope, e.g. `ZONE#132` (also used as a map key in code). */
export function scopeId(scope: AggregateScope): string {
  switch (scope.kind) {
    case 'CITY':
      return 'CITY';
    case 'BOROUGH':
      return `BOROUGH#${scope.borough}`;
    case 'ZONE':
      return `ZONE#${String(scope.zoneId).padStart(3, '0')}`;
  }
}

/** One aggregate item: all trips of a scope in one HOUR or DAY bucket. */
export function aggregateKey(scope: AggregateScope, granularity: StoredGranularity, bucketKey: string): ItemKey {
  return { pk: aggregatePartition(scope, granularity), sk: bucketKey };
}

/** The partition holding a scope's buckets of one granularity, in time order by sort key. */
export function aggregatePartition(scope: AggregateScope, granularity: StoredGranularity): string {
  return `AGG#${scopeId(scope)}#${granularity}`;
}

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

/** The pipeline-wide counters (accepted, duplicates, rejections by reason, poison). */
export function countersKey(): ItemKey {
  return { pk: 'STATS', sk: 'COUNTERS' };
}

/** Which item layout the table holds (TABLE_FORMAT_VERSION), next to the counters. */
export function tableFormatKey(): ItemKey {
  return { pk: 'STATS', sk: 'FORMAT' };
}

export const SHARD_STATUS_PREFIX = 'SHARD#';

/** The processor's status of one shard, next to the counters: read by `pipelineStatus`. */
export function shardStatusKey(shardId: string): ItemKey {
  return { pk: shardStatusPartition(), sk: `${SHARD_STATUS_PREFIX}${shardId}` };
}

export function shardStatusPartition(): string {
  return 'STATUS';
}

/** The local poller's checkpoint of one shard (plays the event source mapping's own bookkeeping). */
export function checkpointKey(streamName: string, shardId: string): ItemKey {
  return { pk: `CHECKPOINT#${streamName}`, sk: shardId };
}

/** Partition of all checkpoints of a stream. */
export function checkpointPartition(streamName: string): string {
  return `CHECKPOINT#${streamName}`;
}

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

export function isMarkAttribute(name: string): boolean {
  return name.startsWith(MARK_PREFIX);
}

/**
 * A sequence number as a mark value: its number of digits (three digits) followed by the digits.
 * Kinesis sequence numbers are decimal without leading zeros (up to 129 digits), so the string order
 * of these values, which a condition expression compares, is the numeric order; and a 56-digit
 * sequence number takes 59 bytes instead of the 128 of a zero-padded one.
 */
export function markValue(sequenceNumber: string): string {
  const digits = BigInt(sequenceNumber).toString();
  return `${String(digits.length).padStart(3, '0')}${digits}`;
}

/** The sequence number a mark value holds. */
export function sequenceNumberOfMark(mark: string): bigint {
  return BigInt(mark.slice(3));
}
