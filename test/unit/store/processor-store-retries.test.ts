import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoProcessorStore } from '../../../src/store/dynamo-processor-store';

const TABLE = 'retries';

/**
 * A document client whose calls never leave the process: each BatchGetItem gets the next of
 * `answers` (an error to throw, or an empty answer), and the calls are counted.
 */
function scriptedClient(answers: Array<Error | 'empty'>): { documents: DynamoDBDocumentClient; calls: () => number } {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    }),
  );
  let calls = 0;
  documents.middlewareStack.add(
    () => async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return { output: { Responses: { [TABLE]: [] }, UnprocessedKeys: {}, $metadata: {} }, response: {} };
    },
    { step: 'initialize', name: 'scripted' },
  );
  return { documents, calls: () => calls };
}

describe('DynamoProcessorStore retries', () => {
  const retry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

  it('tries a throttled read again', async () => {
    // Prepare
    const throttled = new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} });
    const { documents, calls } = scriptedClient([throttled, throttled, 'empty']);

    // Act
    const found = await new DynamoProcessorStore(documents, TABLE, { retry }).findTrips(['t-1']);

    // Assess
    expect(found.size).toBe(0);
    expect(calls()).toBe(3);
  });

  it('does not try again a request DynamoDB refuses as invalid', async () => {
    // Prepare
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const { documents, calls } = scriptedClient([invalid, 'empty']);

    // Act
    const reading = new DynamoProcessorStore(documents, TABLE, { retry }).findTrips(['t-1']);

    // Assess
    await expect(reading).rejects.toBe(invalid);
    expect(calls()).toBe(1);
  });
});
