/**
 * The Apollo plugin that holds each operation to the read budget once the operation and its variables
 * are known (before any resolver runs; the shape limits were checked before parsing, request-gate.ts),
 * and sets how long its answer keeps when it goes out. It records what it learns in the request's
 * facts for the log line (request-log.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context';
import { estimateOperation, type OperationEstimate } from './cost-model';
import { cacheControlOf, NO_STORE } from './http-caching';
import { API_KEY_HEADER } from './api-keys';
import { OPERATION_LIMITS, tooCostly } from './operation-limits';
import { OneAtATime } from './one-at-a-time';
import { currentRequestFacts } from './request-log';

const heavyLane = new OneAtATime();

export function operationPolicyPlugin(now: () => number = Date.now): ApolloServerPlugin<RequestContext> {
  // The turn each request holds, by its request: ended when its answer goes out, or when Apollo fails
  // to process it at all (then willSendResponse never comes).
  const turns = new WeakMap<object, () => void>();
  const leave = (request: object) => {
    turns.get(request)?.();
    turns.delete(request);
  };
  return {
    async unexpectedErrorProcessingRequest({ requestContext }) {
      leave(requestContext.request);
    },

    async requestDidStart() {
      let estimate: OperationEstimate | undefined;
      return {
        async didResolveOperation({ operation, operationName, document, schema, request, contextValue }) {
          const facts = currentRequestFacts();
          if (facts) {
            facts.operationName = operationName ?? undefined;
            facts.operationType = operation?.operation;
          }
          if (!operation) return;
          // A caller who may not run the operation gets the API-key plugin's answer, not this one's.
          if (!contextValue.roles.includes(operation.operation === 'mutation' ? 'ingest' : 'read')) return;
          estimate = estimateOperation(schema, document, operation, request.variables);
          if (facts) facts.estimatedItems = estimate.items;
          if (estimate.items > OPERATION_LIMITS.maxEstimatedItems) throw tooCostly(estimate.items);
          if (estimate.items > OPERATION_LIMITS.heavyOperationItems) {
            turns.set(request, await heavyLane.enter());
            // Its root fields read one after another: between two reads the event loop is free for
            // other requests while DynamoDB works, instead of all the answers arriving together.
            contextValue.queries = contextValue.queries.oneReadAtATime();
          }
        },

        async willSendResponse({ request, response, operation }) {
          leave(request);
          const { body, http } = response;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          currentRequestFacts()?.errorCodes.push(...errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')));
          const succeeded = body.kind === 'single' && errors.length === 0 && (http.status ?? 200) < 400;
          const cacheable = succeeded && operation?.operation === 'query' && estimate !== undefined && !estimate.variablesInvalid;
          http.headers.set('cache-control', cacheable ? cacheControlOf(estimate!.freshness, now()) : NO_STORE);
          // Answers depend on the key: a cache must not hand one key's answer to another.
          const vary = http.headers.get('vary');
          http.headers.set('vary', vary ? `${vary}, ${API_KEY_HEADER}` : API_KEY_HEADER);
        },
      };
    },
  };
}
