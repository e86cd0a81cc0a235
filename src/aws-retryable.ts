/**
 * Which AWS SDK errors are worth retrying, by the SDK's own error metadata and classification
 * (@smithy/core's, which the clients' retry strategy uses): throttling (its list of codes, HTTP 429 or
 * `$retryable.throttling`), transient faults (`$retryable`, timeouts, connection resets, 500/502/503/
 * 504), and any other server fault (`$fault: 'server'`, 5xx). A client fault (ValidationException,
 * ConditionalCheckFailedException, ResourceNotFoundException...) would fail again the same way.
 */
import { isThrottlingError, isTransientError } from '@smithy/core/retry';

/** What the SDK's classifiers read of an error. */
type SdkError = Parameters<typeof isTransientError>[0] & { $fault?: string; cause?: unknown };

/** How deep a chain of `cause`s is followed (errors wrapped by our own error classes). */
const MAX_CAUSE_DEPTH = 5;

/** Whether `error`, or an error in its chain of causes, is an AWS failure that a later attempt may not meet. */
export function isRetryableAwsError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const sdkError = current as SdkError;
    if (sdkError.name === 'AbortError') return false;
    if (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerFault(sdkError)) return true;
    current = sdkError.cause;
  }
  return false;
}

function isServerFault(error: SdkError): boolean {
  const status = error.$metadata?.httpStatusCode;
  return error.$fault === 'server' || (status !== undefined && status >= 500 && status <= 599);
}
