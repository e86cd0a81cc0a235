/**
 * The HTTP handler of every AWS SDK client of taxi-pulse, on AWS and against the emulators.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface SdkHttpHandlerOptions {
  /** Sockets per host kept open and reused. */
  readonly maxSockets: number;
  /** A request not answered within this time fails (and the SDK retries it). */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
}

/**
 * HTTP/1.1 with keep-alive (kinesalite rejects the Kinesis client's HTTP/2 default; against AWS it is
 * just as good), and timeouts: without them a request whose answer never comes would hold a shard's
 * reader, or an invocation until Lambda's timeout, forever. A timed-out write may still have been
 * applied; the processor's writes are idempotent for that reason (docs/exactly-once.md).
 */
export function sdkHttpHandler({
  maxSockets,
  requestTimeoutMs = 30_000,
  connectionTimeoutMs = 5_000,
}: SdkHttpHandlerOptions): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    requestTimeout: requestTimeoutMs,
    // Without it, this version of the handler only logs a warning when requestTimeout passes.
    throwOnRequestTimeout: true,
    connectionTimeout: connectionTimeoutMs,
  });
}
