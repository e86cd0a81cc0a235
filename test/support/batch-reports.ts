/**
 * BatchReport factory for the tests of what follows a batch (metrics, shard status).
 */
import type { BatchReport } from '../../src/process/process-batch';

/** A report of a batch of three accepted trips, with `overrides`. */
export function batchReport(overrides: Partial<BatchReport> = {}): BatchReport {
  return {
    records: 3,
    accepted: 2,
    duplicates: 1,
    rejected: 0,
    poison: 0,
    settled: 3,
    writeUnits: 14,
    itemsWritten: 11,
    rejectedByReason: {},
    ...overrides,
  };
}
