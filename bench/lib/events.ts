/**
 * Kinesis event source records for direct processBatch runs: real trips spread over shards the way
 * Kinesis spreads them (MD5 of the partition key into equal hash-key ranges), with sequence numbers
 * shaped like Kinesis's (56 decimal digits, increasing per shard).
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { Trip } from '../../src/domain/trip';
import { encodeStreamRecord } from '../../src/ingest/stream-record';
import { STREAM_DEFINITION } from '../../src/ingest/stream-definition';
import { toKinesisStreamEvent } from '../../src/local/event-source-mapping/kinesis-event';
import { tripStreamRecord } from './trips';

/** The role an event source mapping invokes the processor with (only carried in the event). */
const PROCESSOR_ROLE_ARN = 'arn:aws:iam::000000000000:role/processor';

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** The shard (0-based) a partition key lands in, for a stream of `shardCount` equal shards. */
export function shardOfKey(partitionKey: string, shardCount: number): number {
  const hash = BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
  const width = 2n ** 128n / BigInt(shardCount);
  return Math.min(shardCount - 1, Number(hash / width));
}

export function sequenceNumberOf(shard: number, n: number): string {
  return `49${String(shard).padStart(4, '0')}${'0'.repeat(30)}${String(n).padStart(20, '0')}`;
}

/** The event record Lambda delivers for one trip record, built as the local poller builds it. */
export function kinesisRecord(trip: Trip, shard: number, n: number, arrivalMs = Date.now()): KinesisStreamRecord {
  const record = {
    PartitionKey: trip.tripId,
    SequenceNumber: sequenceNumberOf(shard, n),
    Data: encodeStreamRecord(tripStreamRecord(trip, arrivalMs)),
    ApproximateArrivalTimestamp: new Date(arrivalMs),
  };
  return toKinesisStreamEvent([record], {
    region: 'us-east-1',
    streamName: STREAM_DEFINITION.localStreamName,
    shardId: shardIdOf(shard),
    invokeIdentityArn: PROCESSOR_ROLE_ARN,
  }).Records[0];
}

/**
 * The batches an event source mapping with `batchSize` delivers from a stream already holding `trips`
 * (in that order), shard by shard, interleaved round-robin across shards.
 */
export function batchesOf(trips: readonly Trip[], shardCount: number, batchSize: number): KinesisStreamEvent[] {
  const perShard: Trip[][] = Array.from({ length: shardCount }, () => []);
  for (const trip of trips) perShard[shardOfKey(trip.tripId, shardCount)].push(trip);
  const queues = perShard.map((shardTrips, shard) => {
    const batches: KinesisStreamEvent[] = [];
    for (let start = 0; start < shardTrips.length; start += batchSize) {
      batches.push({
        Records: shardTrips.slice(start, start + batchSize).map((trip, offset) => kinesisRecord(trip, shard, start + offset + 1)),
      });
    }
    return batches;
  });
  const events: KinesisStreamEvent[] = [];
  for (let round = 0; queues.some((queue) => round < queue.length); round++) {
    for (const queue of queues) if (round < queue.length) events.push(queue[round]);
  }
  return events;
}
