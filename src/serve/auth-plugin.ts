/**
 * Enforces API-key roles once the operation is known: mutations need an ingest key, queries a read
 * key. Over HTTP a request without a valid key is refused earlier, when its context is built
 * (request-gate.ts); this plugin refuses it too, for operations run without that gate.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RequestContext } from './context';
import { ERROR_CODES } from './errors';
import { unauthenticated } from './request-gate';

export function apiKeyPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const needed = operation?.operation === 'mutation' ? 'ingest' : 'read';
          if (contextValue.roles.length === 0) {
            throw unauthenticated(needed);
          }
          if (!contextValue.roles.includes(needed)) {
            throw new GraphQLError(`this API key may not ${needed === 'ingest' ? 'submit trips' : 'query'}: it needs a ${needed} key`, {
              extensions: { code: ERROR_CODES.forbidden, http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}
