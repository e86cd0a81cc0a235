/**
 * What the pipeline knows about itself: the counts of everything it has taken in, and the processor's
 * view of each shard after its last batch. The processor writes them, `ingestionCounts` and
 * `pipelineStatus` read them; the store adapters only lay them out as items.
 */
import type { RejectionReason } from './trip';

/** Everything the pipeline has taken in, each tripId counted once. */
export interface IngestionCounts {
  acceptedTrips: number;
  duplicateTrips: number;
  poisonRecords: number;
  rejectedByReason: Record<RejectionReason, number>;
}

/**
 * The processor's status of one shard after its last batch (GraphQL `ShardStatus`). Not to be
 * confused with the local poller's ShardReaderStatus, which describes its reading of the shard.
 */
export interface ShardProcessingStatus {
  shardId: string;
  /** When the last batch was applied (epoch ms). */
  lastAppliedAtMs: number;
  /** Arrival in the stream of the last record of that batch (epoch ms). */
  lastRecordArrivedAtMs: number;
  /** lastAppliedAt - lastRecordArrivedAt: the iterator age when the shard was last read. */
  iteratorAgeMs: number;
  lastSequenceNumber: string;
  /** The newest pickup counted by that batch, if it counted any (epoch ms). */
  newestPickupMs?: number;
}
