/**
 * The local stand-in for API Gateway's HTTP API: a node:http server that turns each request into a
 * payload-v2 event, invokes the deployed API handler and writes its result back. Like API Gateway it
 * caps request bodies and never lets a handler's crash (or its stack trace) reach the client.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toApiGatewayEvent } from './api-gateway-event';
import { toHttpResponse } from './api-gateway-result';
import { matchRoute } from './routes';
import { answerOptions, corsHeadersFor } from './cors';
import { PortInUseError } from '../errors';
import { invokeHandler, type LambdaHandler } from '../lambda-runtime/invoke';
import { createLambdaContext } from '../lambda-runtime/lambda-context';
import { consoleLogger, type Logger } from '../logger';

/** The API as the front sees it: the deployed Lambda handler. */
export type ApiHandler = LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2<unknown>>;

/** A route with its own function, as an HTTP API route with a Lambda integration. */
export interface HttpRoute {
  /** As API Gateway writes it: `GET /`, `GET /assets/{proxy+}`. */
  readonly routeKey: string;
  readonly handler: ApiHandler;
  readonly functionName: string;
}

export interface HttpFrontOptions {
  /** The `$default` route: every request no route of `routes` matches. */
  readonly handler: ApiHandler;
  /** Matched first, in order. */
  readonly routes?: readonly HttpRoute[];
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** Larger bodies get a 413 (API Gateway's limit is 10 MB, Lambda's payload limit 6 MB). */
  readonly maxBodyBytes?: number;
  readonly region?: string;
  readonly functionName?: string;
  readonly functionTimeoutMs?: number;
  readonly logger?: Logger;
  /** Origins allowed to call from a browser (src/api-edge-config.ts); none by default, as on AWS. */
  readonly corsAllowedOrigins?: readonly string[];
}

export interface HttpFront {
  /** e.g. http://127.0.0.1:4000 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and resolves when in-flight requests are answered. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
// Beyond this much the body is not even drained: the connection is cut.
const DRAIN_LIMIT_FACTOR = 4;
const CLOSE_GRACE_MS = 5000;
/** API Gateway HTTP APIs' quota: "total combined size of request line and header values", 10,240 bytes. */
export const MAX_REQUEST_LINE_AND_HEADERS_BYTES = 10_240;
/**
 * What Node's parser reads before it gives up on a request's head. Far above the quota, so that a head
 * over the quota is read whole and answered 431 here: when Node's own limit (16 KB) cuts a head short it
 * answers and closes with the rest unread, which resets the connection, and the client may see the reset
 * instead of the answer (the API fuzzer's long GETs did, about once in 5,000 inputs).
 */
const PARSER_MAX_HEADER_BYTES = 4 * 1024 * 1024;

/**
 * Starts the front on `host:port` (127.0.0.1 by default) and resolves once it listens. A port that is
 * taken rejects with PortInUseError, so that `npm start` can suggest `--port`.
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const server = createServer({ maxHeaderSize: PARSER_MAX_HEADER_BYTES }, (request, response) => {
    handle(request, response, options, logger).catch((error) => {
      logger.error('the HTTP front failed to answer a request', error);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => close(server),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpFrontOptions, logger: Logger): Promise<void> {
  const identity = { requestId: randomUUID(), receivedAt: new Date() };
  response.setHeader('apigw-requestid', identity.requestId);
  const allowedOrigins = options.corsAllowedOrigins ?? [];
  const optionsAnswer = answerOptions(request, allowedOrigins);
  if (optionsAnswer) {
    request.resume();
    response.writeHead(optionsAnswer.statusCode, optionsAnswer.headers);
    response.end(optionsAnswer.body);
    return;
  }
  for (const [name, value] of Object.entries(corsHeadersFor(request, allowedOrigins))) response.setHeader(name, value);
  if (requestHeadBytes(request) > MAX_REQUEST_LINE_AND_HEADERS_BYTES) {
    request.resume();
    sendJson(response, 431, { message: 'Request Header Fields Too Large' });
    return;
  }
  const body = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (body === 'too-large') {
    sendJson(response, 413, { message: 'Request Entity Too Large' });
    return;
  }
  const path = (request.url ?? '/').split('?')[0];
  const routed = (options.routes ?? [])
    .map((route) => ({ route, match: matchRoute(route.routeKey, request.method ?? 'GET', path) }))
    .find(({ match }) => match !== undefined);
  const handler = routed?.route.handler ?? options.handler;
  const functionName = routed?.route.functionName ?? options.functionName ?? 'taxi-pulse-api';
  const event = toApiGatewayEvent(request, body, identity, routed?.match);
  const context = createLambdaContext({
    functionName,
    region: options.region ?? 'us-east-1',
    timeoutMs: options.functionTimeoutMs ?? 29_000,
  });
  let result;
  try {
    result = toHttpResponse(await invokeHandler(handler, event, context));
  } catch (error) {
    // As API Gateway does: the client learns nothing of the error, the developer reads the log.
    logger.error(`API handler failed (request ${identity.requestId})`, error);
    sendJson(response, 500, { message: 'Internal Server Error' });
    return;
  }
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
}

/** The complete body, or 'too-large' once it exceeds the limit (the rest is drained, not kept). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(request.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > limit * DRAIN_LIMIT_FACTOR) {
        request.destroy();
        resolve('too-large');
      }
      if (!tooLarge) chunks.push(chunk);
    });
    // Drained to the end so that the client reads the 413 instead of a reset connection.
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The request line and header values, as API Gateway counts them against its quota (names counted too, to be safe). */
function requestHeadBytes(request: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`);
  for (const part of request.rawHeaders) bytes += Buffer.byteLength(part);
  return bytes;
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, { cause: error }) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    // Keep-alive connections would hold close() open: idle ones go now, busy ones after a grace.
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
