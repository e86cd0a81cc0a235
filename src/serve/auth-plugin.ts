/**
 * Enforces API-key roles once the operation is known: mutations need an ingest key, queries a read
 * key. The key itself is checked when the request context is built (src/serve/handler.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { API_KEY_HEADER } from './api-keys';
import type { RequestContext } from './context';
import { ERROR_CODES } from './errors';

export function apiKeyPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const needed = operation?.operation === 'mutation' ? 'ingest' : 'read';
          if (contextValue.roles.length === 0) {
            throw new GraphQLError(`missing or unknown API key: send a ${needed} key in the ${API_KEY_HEADER} header`, {
              extensions: { code: ERROR_CODES.unauthenticated, http: { status: 401 } },
            });
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
