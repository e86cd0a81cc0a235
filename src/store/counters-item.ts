/**
 * Layout of the pipeline counters item: one number attribute per counter.
 */
import type { IngestionCounts } from '../domain/pipeline-status';
import { REJECTION_REASONS, type RejectionReason } from '../domain/trip';
import type { CounterName } from '../process/processor-store';

const REJECTED_PREFIX = 'rejected_';

/** The attribute that holds a counter, e.g. `rejected_UNKNOWN_ZONE`. */
export function counterAttribute(counter: CounterName): string {
  return counter.startsWith('rejected:') ? `${REJECTED_PREFIX}${counter.slice('rejected:'.length)}` : counter;
}

/** The counts the counters item holds (all zero for a table without one yet). */
export function countsFromItem(item: Record<string, unknown> | undefined): IngestionCounts {
  const numberOf = (value: unknown) => (typeof value === 'number' ? value : 0);
  const rejectedByReason = Object.fromEntries(
    REJECTION_REASONS.map((reason) => [reason, numberOf(item?.[`${REJECTED_PREFIX}${reason}`])]),
  ) as Record<RejectionReason, number>;
  return {
    acceptedTrips: numberOf(item?.accepted),
    duplicateTrips: numberOf(item?.duplicates),
    poisonRecords: numberOf(item?.poison),
    rejectedByReason,
  };
}
