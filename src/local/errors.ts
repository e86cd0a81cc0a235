/**
 * Errors of the local runtime. One base class, so that `npm start` can tell its own failures (shown
 * as a helpful message) from bugs (shown with a stack).
 */
export class LocalRuntimeError extends Error {
  override name = 'LocalRuntimeError';
}

/** An emulator child process did not start or stopped unexpectedly. */
export class EmulatorStartError extends LocalRuntimeError {
  override name = 'EmulatorStartError';
}

/** The table or the stream could not be created or did not become ACTIVE. */
export class BootstrapError extends LocalRuntimeError {
  override name = 'BootstrapError';
}

/** The table holds items of another layout than this code's (TABLE_FORMAT_VERSION). */
export class TableFormatError extends BootstrapError {
  override name = 'TableFormatError';
  constructor(
    readonly tableName: string,
    readonly foundVersion: number,
    readonly expectedVersion: number,
  ) {
    super(
      foundVersion < expectedVersion
        ? `table ${tableName} holds data in format ${foundVersion}, written by an older taxi-pulse; this version reads and writes format ${expectedVersion}, ` +
            'whose figures the old items do not hold. Start on a new data directory (npm start -- --data-dir <another dir>, or remove the old one): ' +
            'the first start loads the shipped month again; then replay your own files into it (npm run replay -- <files>).'
        : `table ${tableName} holds data in format ${foundVersion}, written by a newer taxi-pulse; this version reads and writes format ${expectedVersion}. Update taxi-pulse.`,
    );
  }
}

/** The HTTP front could not listen on the port it was given. */
export class PortInUseError extends LocalRuntimeError {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`port ${port} is already in use`, options);
  }
}

/** A Lambda handler module could not be loaded. */
export class HandlerModuleError extends LocalRuntimeError {
  override name = 'HandlerModuleError';
}

/** The poller could not read or write a shard checkpoint. */
export class CheckpointError extends LocalRuntimeError {
  override name = 'CheckpointError';
}
