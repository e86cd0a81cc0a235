'use strict';
/**
 * One emulator (dynalite or kinesalite) in its own process, driven over IPC by src/local/emulators/emulators.ts.
 * Plain CommonJS so that node, tsx and jest can all fork it without a TypeScript loader.
 *
 * Protocol: the parent sends { type: 'start', kind, options }; the child answers { type: 'ready', port }
 * or { type: 'error', message } and later obeys { type: 'stop' }. The child also ends when the IPC
 * channel closes (the parent died or was killed), so that no emulator outlives its stack and keeps
 * the LevelDB lock on the data directory.
 */

const http = require('node:http');
const { closeDynaliteIteratorsOnReturn } = require('./dynalite-iterator-fix.cjs');

const EMULATORS = { dynamodb: 'dynalite', kinesis: 'kinesalite' };
// A cheap request that makes the emulator open its LevelDB store (which both open lazily): an
// unusable data directory (locked by another stack, corrupt) then fails the start, not a later call.
const PROBES = {
  dynamodb: { target: 'DynamoDB_20120810.ListTables', contentType: 'application/x-amz-json-1.0', service: 'dynamodb' },
  kinesis: { target: 'Kinesis_20131202.ListStreams', contentType: 'application/x-amz-json-1.1', service: 'kinesis' },
};
// Gives in-flight requests a moment before sockets are torn down on stop.
const CLOSE_GRACE_MS = 2000;

let server;
let stopping = false;

function send(message) {
  if (process.connected) process.send(message);
}

function fail(error) {
  send({ type: 'error', message: error && error.message ? error.message : String(error) });
  // Leave time for the message to be flushed before the process ends.
  setTimeout(() => process.exit(1), 50);
}

function start(kind, options) {
  const moduleName = EMULATORS[kind];
  if (!moduleName) return fail(new Error(`unknown emulator kind ${kind}`));
  if (moduleName === 'dynalite') closeDynaliteIteratorsOnReturn();
  const create = require(moduleName);
  server = create(options);
  server.on('error', fail);
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    probe(kind, port, (error) => (error ? fail(error) : send({ type: 'ready', port })));
  });
}

function probe(kind, port, callback) {
  const { target, contentType, service } = PROBES[kind];
  const request = http.request(
    {
      host: '127.0.0.1',
      port,
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-amz-target': target,
        'x-amz-date': '20200101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
    },
    (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        callback(response.statusCode === 200 ? undefined : new Error(`probe answered ${response.statusCode}: ${body}`)),
      );
    },
  );
  request.on('error', callback);
  request.end('{}');
}

function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  if (!server || !server.listening) return process.exit(exitCode);
  // The emulators' close() also closes LevelDB, which flushes the data to disk.
  const forced = setTimeout(() => process.exit(exitCode), CLOSE_GRACE_MS + 5000);
  server.close((error) => {
    clearTimeout(forced);
    if (error) console.error(`[emulator] close failed: ${error.message}`);
    process.exit(exitCode);
  });
  // Keep-alive sockets would hold close() open: idle ones now, busy ones after a grace period.
  if (typeof server.closeIdleConnections === 'function') server.closeIdleConnections();
  setTimeout(() => {
    if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
  }, CLOSE_GRACE_MS).unref();
}

process.on('message', (message) => {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'start') {
    try {
      start(message.kind, message.options || {});
    } catch (error) {
      fail(error);
    }
  } else if (message.type === 'stop') {
    stop(0);
  }
});

// The parent is gone: nobody can stop us any more, so stop now.
process.on('disconnect', () => stop(0));
// Ctrl-C reaches the whole process group: the parent decides when the emulators stop.
process.on('SIGINT', () => {});
process.on('uncaughtException', (error) => {
  if (stopping) return;
  fail(error);
});
