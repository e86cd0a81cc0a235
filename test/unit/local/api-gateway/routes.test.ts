import { matchRoute } from '../../../../src/local/api-gateway/routes';

describe('matchRoute', () => {
  it('matches a literal path and method only', () => {
    expect(matchRoute('GET /', 'GET', '/')).toEqual({ routeKey: 'GET /' });
    expect(matchRoute('GET /', 'POST', '/')).toBeUndefined();
    expect(matchRoute('GET /', 'GET', '/graphql')).toBeUndefined();
  });

  it('matches a greedy path variable with what follows the prefix', () => {
    expect(matchRoute('GET /assets/{proxy+}', 'GET', '/assets/app-X1.js')).toEqual({
      routeKey: 'GET /assets/{proxy+}',
      pathParameters: { proxy: 'app-X1.js' },
    });
    expect(matchRoute('GET /assets/{proxy+}', 'GET', '/assets/a%20b/c.json')?.pathParameters).toEqual({ proxy: 'a b/c.json' });
    expect(matchRoute('GET /assets/{proxy+}', 'GET', '/assets/')).toBeUndefined();
    expect(matchRoute('GET /assets/{proxy+}', 'GET', '/assetsx/a.js')).toBeUndefined();
  });
});
