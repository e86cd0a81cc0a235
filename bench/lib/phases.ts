/**
 * Where one batch's time goes inside the processor: processBatch with a DynamoProcessorStore whose
 * four calls are timed (ledger read, claims write, aggregate apply), on full batches of real trips
 * against fresh emulators. Also a what-if without the ledger read (every trip treated as new), which
 * shows what exactly-once deduplication costs in time; it is not a design option.
 */
import { performance } from 'node:perf_hooks';
import type { Trip } from '../../src/domain/trip';
import { processBatch } from '../../src/process/process-batch';
import type { AggregateContributions, Claim, CounterContribution, RecordRef } from '../../src/process/processor-store';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoProcessorStore } from '../../src/store/dynamo-processor-store';
import { tripKey } from '../../src/store/keys';
import { mapConcurrently } from './stream';
import { startBareEmulators } from './emulators';
import { batchesOf } from './events';
import { round } from './stats';

class TimedStore extends DynamoProcessorStore {
  readonly ms = { findTrips: 0, keep: 0, apply: 0 };
  skipLedgerRead = false;
  /** What-if: claim each trip with one conditional PutItem instead of BatchGetItem + BatchWriteItem. */
  conditionalClaims = false;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super(documents, table);
  }

  override async findTrips(tripIds: readonly string[]): Promise<Map<string, RecordRef>> {
    const t0 = performance.now();
    try {
      return this.skipLedgerRead ? new Map() : await super.findTrips(tripIds);
    } finally {
      this.ms.findTrips += performance.now() - t0;
    }
  }

  override async keep(claims: readonly Claim[]) {
    const t0 = performance.now();
    try {
      if (!this.conditionalClaims) return await super.keep(claims);
      // A successful put means "new" or "ours" (the ledger names this very record), a failed
      // condition "duplicate": the classification the ledger read gives today, without the read.
      await mapConcurrently(claims, 32, async (claim) => {
        if (claim.kind !== 'trip') return;
        await this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...tripKey(claim.trip.tripId),
              shardId: claim.ref.shardId,
              sequenceNumber: claim.ref.sequenceNumber,
              tripId: claim.trip.tripId,
              trip: claim.trip,
              submittedAtMs: claim.submittedAtMs,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR (shardId = :shard AND sequenceNumber = :sequence)',
            ExpressionAttributeValues: { ':shard': claim.ref.shardId, ':sequence': claim.ref.sequenceNumber },
          }),
        );
      });
      return { failed: new Set<number>(), writeUnits: claims.length };
    } finally {
      this.ms.keep += performance.now() - t0;
    }
  }

  override async apply(shardId: string, aggregates: readonly AggregateContributions[], counters: readonly CounterContribution[]) {
    const t0 = performance.now();
    try {
      return await super.apply(shardId, aggregates, counters);
    } finally {
      this.ms.apply += performance.now() - t0;
    }
  }
}

export interface PhaseBreakdown {
  batchSize: number;
  trips: number;
  totalMs: number;
  tripsPerSecond: number;
  msPerBatch: { ledgerRead: number; claimsWrite: number; aggregatesApply: number; decodeAndSum: number };
  withoutLedgerRead?: { tripsPerSecond: number };
  /** What-if: conditional PutItem claims instead of the ledger read + BatchWriteItem (1 request per trip, no read units). */
  conditionalClaims?: { tripsPerSecond: number; msPerBatchClaims: number };
}

async function timedRun(
  trips: readonly Trip[],
  batchSize: number,
  skipLedgerRead: boolean,
  conditionalClaims = false,
): Promise<{ store: TimedStore; totalMs: number; batches: number }> {
  const emulators = await startBareEmulators('phases');
  try {
    const store = new TimedStore(emulators.clients.documents, emulators.tableName);
    store.skipLedgerRead = skipLedgerRead || conditionalClaims;
    store.conditionalClaims = conditionalClaims;
    const events = batchesOf(trips, 2, batchSize);
    // Two shards, each with one batch in flight, as the poller runs them.
    const queues = [0, 1].map((shard) => events.filter((event) => event.Records[0].eventID.startsWith(`shardId-00000000000${shard}`)));
    const t0 = performance.now();
    await Promise.all(
      queues.map(async (queue) => {
        for (const event of queue) await processBatch(event, store);
      }),
    );
    return { store, totalMs: performance.now() - t0, batches: events.length };
  } finally {
    await emulators.stop();
  }
}

export async function phaseBreakdown(trips: readonly Trip[], batchSize: number): Promise<PhaseBreakdown> {
  const { store, totalMs, batches } = await timedRun(trips, batchSize, false);
  const perBatch = (ms: number) => round(ms / batches, 1);
  // Phases of the two shards overlap, so per-batch sums can exceed wall time / batches.
  const wallPerBatch = (totalMs * 2) / batches;
  const skipped = await timedRun(trips, batchSize, true);
  const conditional = await timedRun(trips, batchSize, false, true);
  return {
    batchSize,
    trips: trips.length,
    totalMs: round(totalMs, 0),
    tripsPerSecond: round(trips.length / (totalMs / 1000), 0),
    msPerBatch: {
      ledgerRead: perBatch(store.ms.findTrips),
      claimsWrite: perBatch(store.ms.keep),
      aggregatesApply: perBatch(store.ms.apply),
      decodeAndSum: round(Math.max(0, wallPerBatch - (store.ms.findTrips + store.ms.keep + store.ms.apply) / batches), 1),
    },
    withoutLedgerRead: { tripsPerSecond: round(trips.length / (skipped.totalMs / 1000), 0) },
    conditionalClaims: {
      tripsPerSecond: round(trips.length / (conditional.totalMs / 1000), 0),
      msPerBatchClaims: round((conditional.store.ms.keep + conditional.store.ms.findTrips) / conditional.batches, 1),
    },
  };
}
