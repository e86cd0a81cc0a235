/**
 * The small logging surface of the local runtime: the console by default, silence in tests.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

/** Logs to the console with a `[local]` prefix; errors with their stack, for the developer. */
export const consoleLogger: Logger = {
  info: (message) => console.log(`[local] ${message}`),
  warn: (message, error) => console.warn(`[local] ${message}`, ...(error === undefined ? [] : [error])),
  error: (message, error) => console.error(`[local] ${message}`, ...(error === undefined ? [] : [error])),
};

/** Swallows everything (tests that provoke failures on purpose). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
