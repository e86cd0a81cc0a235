/**
 * Partial PutRecords failures, injected with SDK middleware into a Kinesis client: the chosen records
 * are withheld from the request (so they really are not written) and reported back in place with an
 * ErrorCode and a FailedRecordCount, as Kinesis answers when a shard is over its limits. kinesalite
 * never fails a record by itself.
 */
import type { KinesisClient, PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';

export interface PutRecordsFaults {
  /** Whether a record of an attempt fails (called once per record per PutRecords call). */
  readonly fails: (entry: PutRecordsRequestEntry) => boolean;
}

export interface InjectedPutRecordsFaults {
  /** Records reported as failed so far. */
  readonly failedRecords: () => number;
  /** Removes the middleware. */
  readonly remove: () => void;
}

type Args = { input: { Records?: PutRecordsRequestEntry[] } & Record<string, unknown> };
type Result = { output: { FailedRecordCount?: number; Records?: PutRecordsResultEntry[] } & Record<string, unknown>; response: unknown };

const NAME = 'injectPutRecordsFailures';

/** Makes PutRecords calls of `client` fail the records `faults.fails` picks. */
export function injectPutRecordsFaults(client: KinesisClient, faults: PutRecordsFaults): InjectedPutRecordsFaults {
  let failed = 0;
  const middleware =
    (next: (args: Args) => Promise<Result>, context: { commandName?: string }) =>
    async (args: Args): Promise<Result> => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      const entries = args.input.Records ?? [];
      const failing = entries.map((entry) => faults.fails(entry));
      const kept = entries.filter((_, index) => !failing[index]);
      const answered = kept.length > 0 ? await next({ ...args, input: { ...args.input, Records: kept } }) : undefined;
      const written = [...(answered?.output.Records ?? [])];
      const records = failing.map((fails): PutRecordsResultEntry =>
        fails
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (injected)' }
          : written.shift()!,
      );
      const failedCount = failing.filter(Boolean).length;
      failed += failedCount;
      return {
        response: answered?.response,
        output: {
          ...answered?.output,
          $metadata: answered?.output.$metadata ?? {},
          FailedRecordCount: failedCount + (answered?.output.FailedRecordCount ?? 0),
          Records: records,
        },
      };
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: NAME, override: true });
  return { failedRecords: () => failed, remove: () => client.middlewareStack.remove(NAME) };
}
