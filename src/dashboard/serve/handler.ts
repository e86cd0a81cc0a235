/**
 * The dashboard Lambda: answers GET / and GET /assets/* of the HTTP API with the built page, the same
 * function locally (behind the local HTTP front) and on AWS (behind API Gateway), from the folder
 * DASHBOARD_ASSETS_DIR names (on AWS: the `dashboard/` folder bundled with the function).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { answerAssetRequest, DashboardAssetsError, loadDashboardAssets, SECURITY_HEADERS, type Asset } from './dashboard-assets';

/** The environment variable that names the folder of the built page. */
export const DASHBOARD_ASSETS_DIR_VARIABLE = 'DASHBOARD_ASSETS_DIR';

let assets: Map<string, Asset> | undefined;

/** The built page, read at the first request (a missing build is retried at the next one). */
function currentAssets(): Map<string, Asset> {
  if (assets) return assets;
  const dir = process.env[DASHBOARD_ASSETS_DIR_VARIABLE];
  if (!dir) throw new DashboardAssetsError(`${DASHBOARD_ASSETS_DIR_VARIABLE} is not set`);
  assets = loadDashboardAssets(dir);
  return assets;
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  let loaded: Map<string, Asset>;
  try {
    loaded = currentAssets();
  } catch (error) {
    if (!(error instanceof DashboardAssetsError)) throw error;
    console.error(error.message);
    return {
      statusCode: 503,
      headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: 'The dashboard is not built. Locally `npm start` builds it (or `npm run build:dashboard`); on AWS redeploy the stack.',
    };
  }
  const response = answerAssetRequest(loaded, {
    method: event.requestContext.http.method,
    path: event.rawPath,
    acceptEncoding: event.headers['accept-encoding'],
    ifNoneMatch: event.headers['if-none-match'],
  });
  // Bodies go base64-encoded: the gzipped ones are binary, and API Gateway decodes either kind.
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body: response.body?.toString('base64') ?? '',
    isBase64Encoded: response.body !== undefined,
  };
};
