/**
 * A tiny node:http server that answers `ingestTrips` like the GraphQL API (validation by the domain's
 * own validateTrip), or however a test scripts it: to test the replay client's retries, backoff and
 * error reporting over real HTTP. Not a stand-in for the stack; the e2e tests use the real one.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateTrip, type TripSubmission } from '../../../../src/domain/trip';

export interface RecordedRequest {
  index: number;
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: { trips?: TripSubmission[] } };
}

export type ScriptedAnswer =
  { status?: number; json?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number } | 'drop';

export type Responder = (request: RecordedRequest) => ScriptedAnswer;

/** The API's answer: valid trips accepted, the others rejected with index and reason. */
export function answerLikeTheApi(request: RecordedRequest): ScriptedAnswer {
  const trips = request.body.variables?.trips ?? [];
  const rejected = trips.flatMap((trip, index) => {
    const validation = validateTrip(trip);
    return validation.ok ? [] : [{ index, tripId: trip.tripId, ...validation.rejection }];
  });
  return { json: { data: { ingestTrips: { accepted: trips.length - rejected.length, rejected } } } };
}

export interface FakeIngestApi {
  url: string;
  requests: RecordedRequest[];
  /** The most requests that were being answered at the same time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startFakeIngestApi(respond: Responder = answerLikeTheApi): Promise<FakeIngestApi> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: RecordedRequest = {
        index: requests.length,
        headers: incoming.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      const answer = respond(request);
      if (answer === 'drop') {
        incoming.socket.destroy();
        return;
      }
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        const body = answer.text ?? JSON.stringify(answer.json ?? {});
        outgoing.writeHead(answer.status ?? 200, {
          'content-type': answer.text === undefined ? 'application/json' : 'text/plain',
          ...answer.headers,
        });
        outgoing.end(body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    maxInFlight: () => mostInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function unusedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
