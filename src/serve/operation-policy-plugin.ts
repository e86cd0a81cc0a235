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
import { currentRequestFacts } from './request-log';

export function operationPolicyPlugin(now: () => number = Date.now): ApolloServerPlugin<RequestContext> {
  return {
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
        },

        async willSendResponse({ response, operation }) {
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
