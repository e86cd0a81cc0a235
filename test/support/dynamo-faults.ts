/**
 * DynamoDB faults for the processor, injected with SDK middleware into a document client (one of its
 * own per simulated invocation, or the process's shared one): throttling, unprocessed items (really
 * withheld from the request, then reported back), answers lost after the write was applied, items
 * that cannot be written at all for now, and the death of the process after some writes. The
 * emulator produces none of these by itself.
 */
import { DynamoDBClient, InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { itemKeyId } from '../../src/store/keys';
import { seededRandom } from '../../verify/chaos/seeded-random';

/** What can go wrong during one invocation. Rates are per call (per item for unprocessed items). */
export interface DynamoFaults {
  /**
   * The process dies at its n-th write call (1-based), or its n-th UpdateItem of the item `item`
   * (`pk|sk`) when given; `lands` says whether that write reached DynamoDB first.
   */
  readonly crash?: { readonly atWrite: number; readonly lands: boolean; readonly item?: string };
  /** Calls refused with ProvisionedThroughputExceededException before they reach DynamoDB. */
  readonly throttleRate?: number;
  /** Write calls applied by DynamoDB whose answer is lost (the caller sees an InternalServerError). */
  readonly lostAnswerRate?: number;
  /** BatchWriteItem items and BatchGetItem keys withheld from the request and returned as unprocessed. */
  readonly unprocessedRate?: number;
  /** Partition keys whose BatchWriteItem puts are withheld on every attempt: a claim that cannot be kept now. */
  readonly stubbornPuts?: ReadonlySet<string>;
  /** `pk|sk` of items whose UpdateItem is throttled on every attempt: an item that cannot be updated now. */
  readonly stubbornUpdates?: ReadonlySet<string>;
  /** Seed of this invocation's draws. */
  readonly seed: number;
}

/** How many faults of each kind were injected: proof that a campaign exercised them. */
export interface FaultTally {
  crashes: number;
  throttled: number;
  lostAnswers: number;
  withheldItems: number;
  stubbornRefusals: number;
}

export function emptyFaultTally(): FaultTally {
  return { crashes: 0, throttled: 0, lostAnswers: 0, withheldItems: 0, stubbornRefusals: 0 };
}

export interface FaultyClient {
  readonly documents: DynamoDBDocumentClient;
  /** Resolves when the process died (the crash point was reached); pending forever otherwise. */
  readonly crashed: Promise<void>;
}

export interface FaultyClientOptions {
  readonly endpoint: string;
  readonly region: string;
  /** Shared by every invocation's client, so that sockets are reused. */
  readonly requestHandler: NodeHttpHandler;
  readonly tally: FaultTally;
}

const WRITE_COMMANDS = new Set(['BatchWriteItemCommand', 'UpdateItemCommand', 'PutItemCommand', 'DeleteItemCommand']);

/** A promise that never settles: what every call of a dead process becomes. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

type Item = Record<string, unknown>;
type Args = { input: Record<string, unknown> };

/**
 * The `pk|sk` identity of a request's key, in whichever form the request carries it: plain values from
 * a document command, `{ S: ... }` from a low-level one (the store's exactly-once updates are sent so).
 */
export function requestKeyId(key: unknown): string {
  const plain = Object.fromEntries(
    Object.entries((key ?? {}) as Item).map(([name, value]) => [
      name,
      typeof value === 'object' && value !== null && 'S' in value ? (value as { S: unknown }).S : value,
    ]),
  );
  return itemKeyId(plain);
}
type Result = { output: Record<string, unknown>; response: unknown };

/**
 * A document client for one invocation with `faults` injected outside the SDK's own retries
 * (maxAttempts 1): every injected failure reaches the processor's own retry and stop logic.
 */
export function faultyDocumentClient(faults: DynamoFaults | undefined, options: FaultyClientOptions): FaultyClient {
  const base = new DynamoDBClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: options.requestHandler,
    maxAttempts: 1,
  });
  const documents = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  if (!faults) return { documents, crashed: never() };
  return { documents, crashed: injectDynamoFaults(documents, faults, options.tally).crashed };
}

export interface InjectedDynamoFaults {
  /** Resolves when the process died (the crash point was reached); pending forever otherwise. */
  readonly crashed: Promise<void>;
  /** Removes the middleware (the client works normally again). */
  readonly remove: () => void;
}

const MIDDLEWARE_NAME = 'injectDynamoFaults';

/**
 * Adds `faults` to `documents` at the initialize step, before the SDK's retries and the document
 * marshalling: the middleware sees and answers plain JavaScript items (and the keys of the store's
 * low-level UpdateItem requests in wire format, which requestKeyId reads).
 */
export function injectDynamoFaults(documents: DynamoDBDocumentClient, faults: DynamoFaults, tally: FaultTally): InjectedDynamoFaults {
  let markCrashed: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (markCrashed = resolve));
  const draw = seededRandom(faults.seed);
  let writes = 0;
  let dead = false;

  const inject =
    (next: (args: Args) => Promise<Result>, context: { commandName?: string }) =>
    async (args: Args): Promise<Result> => {
      const command = context.commandName ?? '';
      if (dead) return never();
      const counts =
        faults.crash?.item === undefined
          ? WRITE_COMMANDS.has(command)
          : command === 'UpdateItemCommand' && requestKeyId(args.input.Key) === faults.crash.item;
      if (faults.crash && counts && ++writes >= faults.crash.atWrite) {
        dead = true;
        tally.crashes++;
        markCrashed();
        if (faults.crash.lands) await next(args).catch(() => undefined);
        return never();
      }
      if (draw() < (faults.throttleRate ?? 0)) {
        tally.throttled++;
        throw new ProvisionedThroughputExceededException({ message: 'injected throttling', $metadata: {} });
      }
      if (command === 'UpdateItemCommand' && faults.stubbornUpdates?.has(requestKeyId(args.input.Key))) {
        tally.stubbornRefusals++;
        throw new ProvisionedThroughputExceededException({ message: 'injected: this item cannot be updated now', $metadata: {} });
      }
      let result: Result;
      if (command === 'BatchWriteItemCommand') result = await batchWrite(next, args);
      else if (command === 'BatchGetItemCommand') result = await batchGet(next, args);
      else result = await next(args);
      if (WRITE_COMMANDS.has(command) && draw() < (faults.lostAnswerRate ?? 0)) {
        tally.lostAnswers++;
        throw new InternalServerError({ message: 'injected: applied, but the answer was lost', $metadata: {} });
      }
      return result;
    };

  async function batchWrite(next: (args: Args) => Promise<Result>, args: Args): Promise<Result> {
    const requestItems = args.input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item } }>>;
    const [table, requests] = Object.entries(requestItems)[0];
    const kept: typeof requests = [];
    const withheld: typeof requests = [];
    for (const request of requests) {
      const pk = String(request.PutRequest?.Item.pk);
      if (faults.stubbornPuts?.has(pk)) {
        tally.stubbornRefusals++;
        withheld.push(request);
      } else if (draw() < (faults.unprocessedRate ?? 0)) {
        tally.withheldItems++;
        withheld.push(request);
      } else {
        kept.push(request);
      }
    }
    const unprocessed = withheld.length > 0 ? { [table]: withheld } : {};
    if (kept.length === 0) return { output: { UnprocessedItems: unprocessed, $metadata: {} }, response: undefined };
    const result = await next({ ...args, input: { ...args.input, RequestItems: { [table]: kept } } });
    return { ...result, output: { ...result.output, UnprocessedItems: unprocessed } };
  }

  async function batchGet(next: (args: Args) => Promise<Result>, args: Args): Promise<Result> {
    const requestItems = args.input.RequestItems as Record<string, { Keys: Item[] }>;
    const [table, request] = Object.entries(requestItems)[0];
    const kept: Item[] = [];
    const withheld: Item[] = [];
    for (const key of request.Keys) {
      if (draw() < (faults.unprocessedRate ?? 0)) {
        tally.withheldItems++;
        withheld.push(key);
      } else {
        kept.push(key);
      }
    }
    const unprocessed = withheld.length > 0 ? { [table]: { ...request, Keys: withheld } } : {};
    if (kept.length === 0)
      return { output: { Responses: { [table]: [] }, UnprocessedKeys: unprocessed, $metadata: {} }, response: undefined };
    const result = await next({ ...args, input: { ...args.input, RequestItems: { [table]: { ...request, Keys: kept } } } });
    return { ...result, output: { ...result.output, UnprocessedKeys: unprocessed } };
  }

  documents.middlewareStack.add(inject as never, { step: 'initialize', name: MIDDLEWARE_NAME, override: true });
  return { crashed, remove: () => documents.middlewareStack.remove(MIDDLEWARE_NAME) };
}
