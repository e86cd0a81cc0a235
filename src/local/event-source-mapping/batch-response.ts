/**
 * How the event source mapping reads a handler's answer when ReportBatchItemFailures is on.
 */

/** What became of one invocation. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  /** Records before `failedIndex` succeeded; delivery resumes at `failedIndex`. */
  | { readonly kind: 'partial'; readonly failedIndex: number }
  /** The whole batch failed (thrown error or malformed response). */
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Interprets a handler's response for a batch with the given sequence numbers, by Lambda's rules:
 * nothing, null or an empty `batchItemFailures` is a success; failures resume at the lowest reported
 * sequence number; an identifier that is empty, not a string or not in the batch, or a response of
 * the wrong shape, fails the whole batch.
 */
export function interpretBatchResponse(response: unknown, sequenceNumbers: readonly string[]): BatchOutcome {
  if (response === undefined || response === null) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'failure', reason: `malformed response: ${describe(response)}` };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'malformed response: batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let failedIndex = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'string' || identifier === '') {
      return { kind: 'failure', reason: 'malformed response: an itemIdentifier is missing or empty' };
    }
    const index = sequenceNumbers.indexOf(identifier);
    if (index < 0) {
      return { kind: 'failure', reason: `malformed response: itemIdentifier ${identifier} is not in the batch` };
    }
    failedIndex = Math.min(failedIndex, index);
  }
  return { kind: 'partial', failedIndex };
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
