'use strict';
/**
 * A Lambda cold start, approximately: a fresh `node` process that requires a handler bundle and
 * invokes its handler once. argv: <bundle.js> <event.json> [<second-event.json>]; the second
 * event, if given, is invoked after the first, warm, for comparison. Prints one JSON line with the timings
 * (ms since the process started: performance.now() counts from the process's time origin).
 */
const { performance } = require('node:perf_hooks');
const { readFileSync } = require('node:fs');

const scriptStartMs = performance.now();
const [bundle, eventFile, secondEventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const secondEvent = secondEventFile ? JSON.parse(readFileSync(secondEventFile, 'utf8')) : undefined;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '1024',
  awsRequestId: 'cold-start',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 60000,
  done() {},
  fail() {},
  succeed() {},
};

const loadStart = performance.now();
const { handler } = require(bundle);
const loaded = performance.now();
const succeeded = (result) =>
  Boolean(result && (result.statusCode === 200 || (Array.isArray(result.batchItemFailures) && result.batchItemFailures.length === 0)));
Promise.resolve(handler(event, context, () => {}))
  .then(async (result) => {
    const invoked = performance.now();
    let warmInvokeMs;
    let ok = succeeded(result);
    if (secondEvent && ok) {
      const warmStart = performance.now();
      ok = succeeded(await handler(secondEvent, context, () => {}));
      warmInvokeMs = performance.now() - warmStart;
    }
    process.stdout.write(
      `${JSON.stringify({ nodeStartMs: scriptStartMs, loadMs: loaded - loadStart, firstInvokeMs: invoked - loaded, initMs: invoked - loadStart, warmInvokeMs, ok, result: ok ? undefined : JSON.stringify(result).slice(0, 500) })}\n`,
    );
    process.exit(0);
  })
  .catch((error) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String((error && error.stack) || error) })}\n`);
    process.exit(1);
  });
