/**
 * One invocation of the processor as the simulated event source mapping makes it: processBatch with a
 * DynamoDB client of its own (its own process), carrying the schedule's faults. A process that dies
 * never answers; the mapping learns it from `crashed`, as Lambda learns it from a timeout.
 */
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { processBatch } from '../../../../src/process/process-batch';
import { DynamoProcessorStore, type StoreRetryPolicy } from '../../../../src/store/dynamo-processor-store';
import { faultyDocumentClient, type FaultTally } from '../../../support/dynamo-faults';
import type { Invoke } from './event-source-mapping';
import { concreteFaults, type FaultSpec } from './fault-schedule';
import type { ShardStream } from './trip-stream';

/** The processor's own backoff, shortened: the faults are many and the schedule, not time, decides. */
export const FAST_RETRY: StoreRetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

export interface InvocationOptions {
  readonly tableName: string;
  readonly shard: ShardStream;
  readonly endpoint: string;
  readonly requestHandler: NodeHttpHandler;
  readonly tally: FaultTally;
}

export function invokeProcessor(options: InvocationOptions): Invoke<FaultSpec> {
  const entries = new Map(options.shard.entries.map((entry) => [entry.record.kinesis.sequenceNumber, entry]));
  return async (batch, spec) => {
    const faults = concreteFaults(spec, batch, (record) => entries.get(record.kinesis.sequenceNumber)!);
    const process = faultyDocumentClient(faults, {
      endpoint: options.endpoint,
      region: 'us-east-1',
      requestHandler: options.requestHandler,
      tally: options.tally,
    });
    const store = new DynamoProcessorStore(process.documents, options.tableName, { retry: FAST_RETRY });
    const invocation = processBatch({ Records: batch }, store).then(
      ({ response }) => ({ kind: 'answered' as const, response }),
      (error: unknown) => ({ kind: 'threw' as const, error }),
    );
    return Promise.race([invocation, process.crashed.then(() => ({ kind: 'died' as const }))]);
  };
}
