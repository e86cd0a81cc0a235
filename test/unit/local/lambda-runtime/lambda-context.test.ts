import { createLambdaContext } from '../../../../src/local/lambda-runtime/lambda-context';

describe('createLambdaContext', () => {
  it('gives each invocation its own request id, an ARN and a counting-down deadline', () => {
    // Act
    const first = createLambdaContext({ functionName: 'processor', region: 'us-east-1', timeoutMs: 60_000 });
    const second = createLambdaContext({ functionName: 'processor', region: 'us-east-1', timeoutMs: 60_000 });

    // Assess
    expect(first.awsRequestId).not.toBe(second.awsRequestId);
    expect(first.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:processor');
    expect(first.getRemainingTimeInMillis()).toBeGreaterThan(59_000);
    expect(first.getRemainingTimeInMillis()).toBeLessThanOrEqual(60_000);
    expect(() => first.succeed('x')).toThrow(/not supported/);
  });
});
