/**
 * Failures of `npm run chaos` itself (not differences it finds: those are its result).
 */
export class ChaosError extends Error {
  override name = 'ChaosError';
}

/** The command line is wrong: reported with the usage and exit code 2. */
export class ChaosUsageError extends ChaosError {
  override name = 'ChaosUsageError';
}

/** The local stack did not come up (or not again after a kill). */
export class StackStartError extends ChaosError {
  override name = 'StackStartError';
}

/** The replay kept failing for a reason a rerun does not fix. */
export class ReplayFailedError extends ChaosError {
  override name = 'ReplayFailedError';
}

/** The API answered a query with errors or not at all. */
export class ChaosApiError extends ChaosError {
  override name = 'ChaosApiError';
}
