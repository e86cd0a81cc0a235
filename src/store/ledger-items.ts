/**
 * The items of the processor's ledger: the trip ledger (`TRIP#`), kept rejections (`REJECTED#`) and
 * poison records (`POISON#`), built from the claims of the record loop (src/process/processor-store.ts).
 * The processor's DynamoDB store writes them as a batch is kept; `npm run rebuild` writes the same items
 * from the data lake, so that a processor can go on from a rebuilt table.
 */
import type { Claim } from '../process/processor-store';
import { poisonRecordKey, rejectedTripKey, tripKey, type ItemKey } from './keys';

/** Poison payloads are kept up to this size (a Kinesis record can be 1 MB, an item only 400 KB). */
const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

/** The key of the item that keeps a claim: the trip ledger, a rejected trip or a poison record. */
export function keyOfClaim(claim: Claim): ItemKey {
  switch (claim.kind) {
    case 'trip':
      return tripKey(claim.trip.tripId);
    case 'rejection':
      return rejectedTripKey(claim.record.tripId);
    case 'poison':
      return poisonRecordKey(claim.ref.shardId, claim.ref.sequenceNumber);
  }
}

/** The item that keeps a claim, as the processor writes it (and a rebuild from the lake writes it again). */
export function itemOfClaim(claim: Claim): Record<string, unknown> {
  const base = { ...keyOfClaim(claim), shardId: claim.ref.shardId, sequenceNumber: claim.ref.sequenceNumber };
  switch (claim.kind) {
    case 'trip':
      return { ...base, tripId: claim.trip.tripId, trip: claim.trip, submittedAtMs: claim.submittedAtMs };
    case 'rejection': {
      const { tripId, reason, field, message, submission, submittedAtMs } = claim.record;
      return { ...base, tripId, reason, field, message, submission, submittedAtMs };
    }
    case 'poison':
      return {
        ...base,
        reason: claim.reason,
        partitionKey: claim.partitionKey,
        arrivalMs: claim.arrivalMs,
        data: claim.data.slice(0, MAX_KEPT_PAYLOAD_CHARS),
        dataTruncated: claim.data.length > MAX_KEPT_PAYLOAD_CHARS,
      };
  }
}
