import type { Context } from 'aws-lambda';
import { invokeHandler } from '../../../../src/local/lambda-runtime/invoke';

const context = {} as Context;

describe('invokeHandler', () => {
  it('settles with an async handler result', async () => {
    // Act
    const result = await invokeHandler(async (event: number) => event * 2, 21, context);

    // Assess
    expect(result).toBe(42);
  });

  it('settles with a callback-style handler result', async () => {
    // Act
    const result = await invokeHandler<number, number>((event, _context, callback) => callback(null, event + 1), 1, context);

    // Assess
    expect(result).toBe(2);
  });

  it('rejects with a synchronous throw, a rejection or a callback error', async () => {
    // Act
    const outcomes = await Promise.allSettled([
      invokeHandler(
        () => {
          throw new Error('sync');
        },
        0,
        context,
      ),
      invokeHandler(async () => Promise.reject(new Error('async')), 0, context),
      invokeHandler((_event, _context, callback) => callback(new Error('callback')), 0, context),
    ]);

    // Assess
    expect(outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason.message)).toEqual(['sync', 'async', 'callback']);
  });
});
