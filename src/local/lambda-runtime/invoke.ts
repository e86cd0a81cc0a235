/**
 * Calls a Lambda handler the way the Node.js runtime does: async handlers resolve a promise,
 * callback-style handlers call back; a synchronous throw is an error like any other.
 */
import type { Callback, Context } from 'aws-lambda';

/** A Lambda handler function as deployed: async, or callback-style (Apollo's adapter types both). */
export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context, callback: Callback<TResult>) => Promise<TResult> | void;

/**
 * Invokes `handler` with `event` and `context` and settles with its result or error, whichever way
 * the handler reports it (first report wins, as in the runtime).
 */
export function invokeHandler<TEvent, TResult>(handler: LambdaHandler<TEvent, TResult>, event: TEvent, context: Context): Promise<TResult> {
  return new Promise<TResult>((resolve, reject) => {
    const callback: Callback<TResult> = (error, result) => {
      if (error !== undefined && error !== null) reject(error);
      else resolve(result as TResult);
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof (returned as Promise<TResult>).then === 'function') {
        (returned as Promise<TResult>).then(resolve, reject);
      }
    } catch (error) {
      reject(error);
    }
  });
}
