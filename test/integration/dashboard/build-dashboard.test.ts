/**
 * The dashboard build and the Lambda that serves it: what a browser downloads stays within its budgets
 * (350 KB of gzipped JavaScript, 300 KB of zone shapes), the map has a shape for every zone that has
 * one, and the handler answers as API Gateway would pass it on (gzip, caching, security headers).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildDashboard, type DashboardBuild } from '../../../src/dashboard/build/build-dashboard';
import type { ZoneShapes } from '../../../src/dashboard/build/zone-shapes';
import { allZones } from '../../../src/domain/zones';

const MAX_SCRIPT_GZIP_BYTES = 350 * 1024;
const MAX_ZONE_SHAPES_BYTES = 300 * 1024;
const BOROUGH_NAMES: Record<string, string> = {
  MANHATTAN: 'Manhattan',
  BROOKLYN: 'Brooklyn',
  QUEENS: 'Queens',
  BRONX: 'Bronx',
  STATEN_ISLAND: 'Staten Island',
  EWR: 'EWR',
};

let outDir: string;
let built: DashboardBuild;
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-dashboard-build-'));
  built = await buildDashboard({ outDir });
  process.env.DASHBOARD_ASSETS_DIR = outDir;
  ({ handler } = await import('../../../src/dashboard/serve/handler'));
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  delete process.env.DASHBOARD_ASSETS_DIR;
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<APIGatewayProxyStructuredResultV2> {
  return handler({
    version: '2.0',
    routeKey: path === '/' ? 'GET /' : 'GET /assets/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2);
}

function bodyOf(result: APIGatewayProxyStructuredResultV2): Buffer {
  const raw = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return result.headers?.['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

describe('buildDashboard', () => {
  it('ships at most 350 KB of gzipped JavaScript, in one hashed script that the page loads', () => {
    const scripts = built.files.filter((file) => file.path.endsWith('.js'));
    expect(scripts.map((file) => file.path)).toEqual([built.script.path]);
    expect(built.script.path).toMatch(/^assets\/app-[A-Z0-9]+\.js$/);
    expect(built.script.gzipBytes).toBeLessThanOrEqual(MAX_SCRIPT_GZIP_BYTES);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain(`<script type="module" src="${built.script.path}"></script>`);
    expect(html).toContain(`href="${built.styles.path}"`);
    expect(html).toContain(`content="${built.zones.path}"`);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });

  it('ships at most 300 KB of zone shapes: all 263 zones that have one, with id, name and borough', () => {
    expect(built.zones.bytes).toBeLessThanOrEqual(MAX_ZONE_SHAPES_BYTES);
    const shapes = JSON.parse(readFileSync(join(outDir, built.zones.path), 'utf8')) as ZoneShapes;
    const lookup = new Map(allZones().map((zone) => [zone.id, zone]));

    expect(shapes.features.map((zone) => zone.properties.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 263 }, (_, i) => i + 1));
    for (const { properties, geometry } of shapes.features) {
      const zone = lookup.get(properties.id)!;
      expect({ name: properties.name, borough: properties.borough }).toEqual({ name: zone.name, borough: BOROUGH_NAMES[zone.borough] });
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      expect(polygons.length).toBeGreaterThan(0);
      for (const ring of polygons.flat()) {
        // A closed ring of at least a triangle, inside the TLC zones' bounds.
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring.at(-1));
        for (const [lon, lat] of ring) {
          expect(lon).toBeGreaterThanOrEqual(-74.26);
          expect(lon).toBeLessThanOrEqual(-73.69);
          expect(lat).toBeGreaterThanOrEqual(40.49);
          expect(lat).toBeLessThanOrEqual(40.92);
        }
      }
    }
    // 264 (NV) and 265 (NA) are "Unknown" and have no shape: the map names them under it instead.
    expect(lookup.get(264)?.borough).toBe('UNKNOWN');
    expect(lookup.get(265)?.borough).toBe('UNKNOWN');
  });
});

describe('the dashboard handler', () => {
  it('answers GET / with the page, revalidated on every load, with the security headers', async () => {
    const result = await get('/', { 'accept-encoding': 'gzip, deflate, br' });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    expect(result.headers?.['content-security-policy']).toContain("script-src 'self'");
    expect(result.headers?.['content-security-policy']).toContain("connect-src 'self'");
    expect(bodyOf(result).toString()).toBe(readFileSync(join(outDir, 'index.html'), 'utf8'));
  });

  it('answers the hashed assets gzipped when the browser accepts it, cached for a year, and 304 when unchanged', async () => {
    const plain = await get(`/${built.script.path}`);
    const gzipped = await get(`/${built.script.path}`, { 'accept-encoding': 'gzip' });

    expect(plain.headers?.['content-encoding']).toBeUndefined();
    expect(gzipped.headers?.['content-encoding']).toBe('gzip');
    expect(bodyOf(gzipped)).toEqual(bodyOf(plain));
    expect(bodyOf(plain)).toEqual(readFileSync(join(outDir, built.script.path)));
    expect(gzipped.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    const again = await get(`/${built.script.path}`, { 'if-none-match': String(plain.headers?.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 404 for what it does not have and 405 for anything but GET and HEAD', async () => {
    expect((await get('/assets/nothing.js')).statusCode).toBe(404);
    expect((await get('/assets/../index.html')).statusCode).toBe(404);
    expect((await get('/', {}, 'POST')).statusCode).toBe(405);
  });
});
