/**
 * The dashboard in a real browser (the Chromium of @sparticuz/chromium, driven by playwright-core)
 * against the running local stack with the month `npm start` loads: the green taxi trips of February
 * 2023 (64,809 rows of data/nyc-tlc), replayed through ingestTrips. For each view the tests open (the
 * month the page opens on, a link down to a zone and its hours, a borough by week, a zone clicked on the
 * map), every panel's table must equal the API's answer to the same question, asked here directly; on
 * the month the page opens on, the API's answers are also checked against the independent oracle
 * computed from the raw file (verify/oracle). Then: filters change the URL and the panels, a replay
 * moves the live panel, and a wrong key and a stack that went away get their messages, all without a
 * console error. Screenshots land in test-results/dashboard/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import {
  DEMAND_FORECAST_QUERY,
  FARE_TREND_QUERY,
  OPERATIONS_QUERY,
  PEAK_HOURS_QUERY,
  TRIPS_PER_BUCKET_QUERY,
  ZONE_FLOWS_QUERY,
  HOUR_OF_WEEK_QUERY,
} from '../../src/cli/api-client/api-queries';
import { replayFiles } from '../../src/cli/replay/replay-files';
import { buildDashboard } from '../../src/dashboard/build/build-dashboard';
import type { LocalStack } from '../../src/local/local-stack';
import { cell, launchBrowser, openPage, screenshot, showTables, tableValues, type OpenedPage } from '../support/dashboard-browser';
import { graphql } from '../support/graphql';
import {
  bucketOf,
  byHourOfWeekDifferences,
  fareTrendDifferences,
  formatLocalStart,
  nyInstant,
  operationsDifferences,
  oracleByHourOfWeek,
  oracleFareTrend,
  oracleOperations,
  oraclePeakHours,
  oracleZoneFlows,
  peakHoursDifferences,
  validTrips,
  zoneFlowsDifferences,
  zonesOfLookup,
  type OracleFareBucket,
  type OracleHourOfWeek,
  type OracleOperationsBucket,
  type OraclePeakHours,
  type OracleTrip,
  type OracleZoneFlows,
} from '../support/oracle';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';

const DATA = join(__dirname, '..', '..', 'data', 'nyc-tlc');
/** The month `npm start` loads. */
const SHIPPED_MONTH = join(DATA, 'green_tripdata_2023-02.parquet');
/** Replayed while the page is open, to move the live panel (999 rows of January 2020). */
const LIVE_REPLAY = join(DATA, 'yellow_tripdata_2020-01.csv');
/** The busiest green-cab pickup zone (East Harlem North). */
const BUSY_ZONE = 74;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** The insight panels, in the page's order; the live pipeline panel comes last. */
const INSIGHT_PANELS = ['peak-hours', 'zone-map', 'fare-trend', 'operations', 'forecast'];
const CAPABILITIES_QUERY = `{ query: __type(name: "Query") { fields { name } } peakHours: __type(name: "PeakHours") { fields { name } } }`;
const PIPELINE_STATUS = `{ pipelineStatus {
  maxIteratorAgeMs lastEventAt lastAppliedAt
  shards { shardId iteratorAgeMs lastAppliedAt lastRecordArrivedAt lastSequenceNumber }
  counts { acceptedTrips duplicateTrips rejectedTrips poisonRecords rejectedByReason { reason trips } }
} }`;

/** A view of the page: what its URL holds. */
interface View {
  from: string;
  through: string;
  granularity: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
  zoneId?: number;
  borough?: string;
}
const FEBRUARY: View = { from: '2023-02-01', through: '2023-02-28', granularity: 'DAY' };

interface ForecastAnswer {
  hours: { hourStart: string; expectedTrips: number; low: number; high: number }[];
  method: string;
  history: { from: string; to: string } | null;
  quality: string;
  note: string;
}

/** The API's answers for a view: what each panel must show. */
interface ApiAnswers {
  peakHours: OraclePeakHours & { byHourOfWeek: OracleHourOfWeek[] };
  zoneFlows: OracleZoneFlows;
  fareTrend: OracleFareBucket[];
  operations: OracleOperationsBucket[];
  forecast: ForecastAnswer;
  /** Trips counted per hour of the forecast window (fareTrend by HOUR; hours without trips absent). */
  counted: Map<string, number>;
}

let outDir: string;
let fixture: StackFixture;
let stack: LocalStack;
let browser: Browser;
let trips: OracleTrip[];
const opened: OpenedPage[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-dashboard-'));
  const [built, started] = await Promise.all([buildDashboard({ outDir }), startStackFixture('dashboard', { dashboardAssetsDir: outDir })]);
  expect(built.script.gzipBytes).toBeGreaterThan(0);
  fixture = started;
  stack = fixture.stack;
  const summary = await replayFiles({ files: [SHIPPED_MONTH], endpoint: stack.graphqlUrl, headers: fixture.ingestKey() });
  expect(summary.unreadable).toBe(0);
  [browser, trips] = await Promise.all([launchBrowser(), validTrips(SHIPPED_MONTH), stack.waitForIdle({ timeoutMs: 600_000 })]);
}, 900_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await browser?.close();
  await fixture?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function open(
  path: string,
  options: { key?: string; viewport?: { width: number; height: number }; beforeGoto?: (page: Page) => void } = {},
): Promise<OpenedPage> {
  const page = await openPage(browser, options.viewport);
  opened.push(page);
  options.beforeGoto?.(page.page);
  const key = options.key === undefined ? stack.apiKeys.read : options.key;
  await page.page.goto(`${stack.dashboardUrl.replace(/\/$/, '')}${path}${key ? `#key=${encodeURIComponent(key)}` : ''}`);
  return page;
}

/** Waits until every panel has drawn an answer for the URL's filters. */
async function waitForPanels(page: Page): Promise<void> {
  for (const panel of INSIGHT_PANELS) await page.locator(`[data-panel="${panel}"][aria-busy="false"]`).waitFor();
  await page.locator('[data-panel="pipeline"] [data-kpi="accepted"]').waitFor();
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function scopeOf(view: View): Record<string, unknown> {
  if (view.zoneId !== undefined) return { zoneId: view.zoneId };
  if (view.borough !== undefined) return { borough: view.borough };
  return {};
}

/** The forecast window the page documents: the last 7 days of the range (all of a shorter one). */
function forecastWindowOf(view: View): { firstDay: string; lastDay: string; days: number } {
  const rangeDays = Math.round((Date.parse(view.through) - Date.parse(view.from)) / 86_400_000) + 1;
  const days = Math.min(7, rangeDays);
  return { firstDay: addDays(view.through, 1 - days), lastDay: view.through, days };
}

async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await graphql<T>(stack.graphqlUrl, query, variables, fixture.readKey());
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** What the API answers for the view, asked with the test's own queries (src/cli/api-client). */
async function apiAnswers(view: View): Promise<ApiAnswers> {
  const range = { from: view.from, to: addDays(view.through, 1) };
  const scope = scopeOf(view);
  // The map is the city's (or the borough's) zones, also when one zone filters the other panels.
  const mapScope = view.borough !== undefined && view.zoneId === undefined ? { borough: view.borough } : {};
  const window = forecastWindowOf(view);
  const [peak, week, flows, fares, operations, forecast, counted] = await Promise.all([
    api<{ peakHours: OraclePeakHours }>(PEAK_HOURS_QUERY, { range, ...scope, limit: 10 }),
    api<{ peakHours: { byHourOfWeek: OracleHourOfWeek[] } }>(HOUR_OF_WEEK_QUERY, { range, ...scope }),
    api<{ zoneFlows: OracleZoneFlows }>(ZONE_FLOWS_QUERY, { range, ...mapScope }),
    api<{ fareTrend: { buckets: OracleFareBucket[] } }>(FARE_TREND_QUERY, { range, granularity: view.granularity, ...scope }),
    api<{ operations: { buckets: OracleOperationsBucket[] } }>(OPERATIONS_QUERY, { range, granularity: view.granularity, ...scope }),
    api<{ demandForecast: ForecastAnswer }>(DEMAND_FORECAST_QUERY, {
      from: `${window.firstDay}T00:00:00`,
      hours: window.days * 24,
      ...scope,
    }),
    api<{ fareTrend: { buckets: { start: string; trips: number }[] } }>(TRIPS_PER_BUCKET_QUERY, {
      range: { from: window.firstDay, to: addDays(window.lastDay, 1) },
      granularity: 'HOUR',
      ...scope,
    }),
  ]);
  // A spring-forward week has 167 hour buckets: an hour past the window's last day is not the window's.
  const inWindow = forecast.demandForecast.hours.filter((hour) => hour.hourStart.slice(0, 10) <= window.lastDay);
  return {
    peakHours: { ...peak.peakHours, byHourOfWeek: week.peakHours.byHourOfWeek },
    zoneFlows: flows.zoneFlows,
    fareTrend: fares.fareTrend.buckets,
    operations: operations.operations.buckets,
    forecast: { ...forecast.demandForecast, hours: inWindow },
    counted: new Map(counted.fareTrend.buckets.map((bucket) => [bucket.start, bucket.trips])),
  };
}

/** Each panel's table as the API's answers would fill it (cells as `data-value` holds them). */
function expectedTables(answers: ApiAnswers): Record<string, string[][]> {
  return {
    'peak-week': answers.peakHours.byHourOfWeek.map((c) => [c.dayOfWeek, WEEKDAYS[c.dayOfWeek - 1], c.hourOfDay, c.trips].map(cell)),
    'peak-top': answers.peakHours.top.map((hour) => [hour.hourStart, hour.trips].map(cell)),
    'zone-flows': answers.zoneFlows.zones.map((zone) =>
      [zone.zoneId, zone.zoneName, zone.borough, zone.pickups, zone.dropoffs, zone.net].map(cell),
    ),
    'fare-buckets': answers.fareTrend.map((b) =>
      [b.start, b.trips, b.averageFare, b.medianFare, b.p90Fare, b.averageFarePerMile, b.averageTip, b.averageTotal].map(cell),
    ),
    'operations-buckets': answers.operations.map((b) =>
      [
        b.start,
        b.trips,
        b.revenue,
        b.averageDurationMinutes,
        b.medianDurationMinutes,
        b.p90DurationMinutes,
        b.averageSpeedMph,
        b.averagePassengers,
        b.cardTipRate,
        ...b.paymentMix.map((entry) => entry.trips),
      ].map(cell),
    ),
    'forecast-hours': answers.forecast.hours.map((h) =>
      [h.hourStart, h.expectedTrips, h.low, h.high, answers.counted.get(h.hourStart) ?? 0].map(cell),
    ),
  };
}

/** Every insight panel's tables, read from the page. */
async function panelTables(page: Page): Promise<Record<string, string[][]>> {
  const tables = ['peak-week', 'peak-top', 'zone-flows', 'fare-buckets', 'operations-buckets', 'forecast-hours'];
  const values = await Promise.all(tables.map((table) => tableValues(page, table)));
  return Object.fromEntries(tables.map((table, index) => [table, values[index]]));
}

/** Every insight panel shows exactly the API's answers for `view`; returns them. */
async function expectPanelsToShowTheApi(page: Page, view: View): Promise<ApiAnswers> {
  const answers = await apiAnswers(view);
  expect(answers.fareTrend.length).toBeGreaterThan(0);
  expect(answers.forecast.hours.length).toBeGreaterThan(0);
  expect(await panelTables(page)).toEqual(expectedTables(answers));
  return answers;
}

function searchOf(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

function instantOf(date: string): number {
  return nyInstant([...date.split('-').map(Number), 0, 0, 0]);
}

describe('the dashboard page', () => {
  it('opens signed in from the printed link on the month that has data, with every panel of the API', async () => {
    const { page, errors } = await open('/');
    await waitForPanels(page);

    expect(page.url()).not.toContain('#');
    expect(page.url()).not.toContain(stack.apiKeys.read);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([stack.apiKeys.read]);
    expect(searchOf(page)).toEqual({ from: '2023-02-01', through: '2023-02-28', granularity: 'DAY', map: 'pickups' });
    // The API has every optional field now, so the page shows all six panels, in this order.
    const schema = await api<{ query: { fields: { name: string }[] }; peakHours: { fields: { name: string }[] } }>(CAPABILITIES_QUERY);
    expect(schema.query.fields.map((field) => field.name)).toEqual(expect.arrayContaining(['operations', 'zoneFlows', 'demandForecast']));
    expect(schema.peakHours.fields.map((field) => field.name)).toContain('byHourOfWeek');
    const panels = await page
      .locator('[data-panel]')
      .evaluateAll((nodes) => nodes.map((node) => (node as unknown as { dataset: Record<string, string> }).dataset.panel));
    expect(panels).toEqual([...INSIGHT_PANELS, 'pipeline']);
    await expect(page.locator('[data-panel="fare-trend"] .panel-title').textContent()).resolves.toBe(
      'Fares per day: average, median to 90th percentile, fare per mile',
    );
    await expect(page.locator('[data-panel="fare-trend"] .panel-subtitle').textContent()).resolves.toContain(
      'New York City, 1–28 Feb 2023',
    );
    await expect(page.locator('[data-panel="forecast"] .panel-subtitle').textContent()).resolves.toContain(
      'New York City, 22–28 Feb 2023 · forecast from the data before 22 Feb 2023',
    );
    await expect(page.locator('[data-panel] .panel-message:not([hidden])').count()).resolves.toBe(0);
    await screenshot(page, 'february-2023-laptop');
    expect(errors).toEqual([]);
  });

  it('leaves out the panel of a field an older API does not have', async () => {
    // An older stack, played by taking demandForecast and zoneFlows out of the real API's introspection answer.
    const { page, errors } = await open('/', {
      beforeGoto: (tab) =>
        void tab.route('**/graphql', async (route) => {
          if (!String(route.request().postData()).includes('__type')) return route.continue();
          const response = await route.fetch();
          const body = (await response.json()) as { data: { query: { fields: { name: string }[] } } };
          body.data.query.fields = body.data.query.fields.filter((field) => !['demandForecast', 'zoneFlows'].includes(field.name));
          return route.fulfill({ response, json: body });
        }),
    });
    await page.locator('[data-panel="fare-trend"][aria-busy="false"]').waitFor();

    const panels = await page
      .locator('[data-panel]')
      .evaluateAll((nodes) => nodes.map((node) => (node as unknown as { dataset: Record<string, string> }).dataset.panel));
    expect(panels).toEqual(['peak-hours', 'fare-trend', 'operations', 'pipeline']);
    expect(errors).toEqual([]);
  });

  it("shows in every panel's table exactly the API's answers, which equal the oracle's from the raw file", async () => {
    const { page, errors } = await open('/', { viewport: { width: 1920, height: 1080 } });
    await waitForPanels(page);
    await screenshot(page, 'february-2023-wall-screen');
    for (const panel of INSIGHT_PANELS) await showTables(page, panel);

    const answers = await expectPanelsToShowTheApi(page, FEBRUARY);

    // The API's answers against the oracle (the insight e2e checks them at length; here: the panels' questions).
    const fromMs = instantOf('2023-02-01');
    const toMs = instantOf('2023-03-01');
    expect(answers.peakHours.totalTrips).toBe(64_555);
    expect(peakHoursDifferences(answers.peakHours, oraclePeakHours(trips, fromMs, toMs, 10))).toEqual([]);
    expect(byHourOfWeekDifferences(answers.peakHours.byHourOfWeek, oracleByHourOfWeek(trips, fromMs, toMs))).toEqual([]);
    expect(zoneFlowsDifferences(answers.zoneFlows, oracleZoneFlows(trips, fromMs, toMs, zonesOfLookup()))).toEqual([]);
    expect(fareTrendDifferences(answers.fareTrend, oracleFareTrend(trips, 'DAY', fromMs, toMs))).toEqual([]);
    expect(operationsDifferences(answers.operations, oracleOperations(trips, 'DAY', fromMs, toMs))).toEqual([]);
    // The forecast: the last week of the range, learned from the three weeks before it, next to the trips counted.
    expect(answers.forecast.hours).toHaveLength(168);
    expect(answers.forecast.hours[0].hourStart).toBe('2023-02-22T00:00:00-05:00');
    expect(answers.forecast.quality).toBe('OK');
    expect(answers.forecast.history).toEqual({ from: '2023-02-01T00:00:00-05:00', to: '2023-02-22T00:00:00-05:00' });
    const countedByOracle = new Map<string, number>();
    for (const trip of trips) {
      const [y, m, d, h] = bucketOf(trip, 'HOUR');
      const start = formatLocalStart(y, m, d, h);
      if (start >= '2023-02-22' && start < '2023-03-01') countedByOracle.set(start, (countedByOracle.get(start) ?? 0) + 1);
    }
    expect(answers.counted).toEqual(countedByOracle);
    await expect(page.locator('[data-panel="forecast"] .panel-note').textContent()).resolves.toBe(
      // The API's note with its `from` named as the day it is.
      `${answers.forecast.note.replace('`from`', '22 Feb 2023')} Model: ${answers.forecast.method}.`,
    );
    expect(errors).toEqual([]);
  });

  it('changes the URL and every panel when a filter changes, and goes back with the browser', async () => {
    const { page, errors } = await open('/');
    await waitForPanels(page);

    await page.selectOption('#filters select[name="borough"]', 'MANHATTAN');
    await page.waitForURL(/borough=MANHATTAN/);
    await page.selectOption('#filters select[name="granularity"]', 'WEEK');
    await page.waitForURL(/granularity=WEEK/);
    await waitForPanels(page);
    await expect(page.locator('[data-panel="fare-trend"] .panel-subtitle').textContent()).resolves.toContain('Manhattan, 1–28 Feb 2023');
    await expect(page.locator('[data-panel="zone-map"] .panel-subtitle').textContent()).resolves.toContain('Manhattan, 1–28 Feb 2023');
    const manhattan = await expectPanelsToShowTheApi(page, { ...FEBRUARY, granularity: 'WEEK', borough: 'MANHATTAN' });
    expect(manhattan.zoneFlows.zones.every((zone) => zone.borough === 'MANHATTAN')).toBe(true);

    await page.fill('#filters input[name="from"]', '2023-02-10');
    await page.locator('#filters input[name="from"]').dispatchEvent('change');
    await page.waitForURL(/from=2023-02-10/);
    await waitForPanels(page);
    await expectPanelsToShowTheApi(page, { from: '2023-02-10', through: '2023-02-28', granularity: 'WEEK', borough: 'MANHATTAN' });

    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get('from') === '2023-02-01');
    await waitForPanels(page);
    await expect(page.locator('#filters input[name="from"]').inputValue()).resolves.toBe('2023-02-01');
    await expectPanelsToShowTheApi(page, { ...FEBRUARY, granularity: 'WEEK', borough: 'MANHATTAN' });
    expect(errors).toEqual([]);
  });

  it('reproduces a view from its link, down to the zone and the hourly buckets', async () => {
    const { page, errors } = await open(`/?from=2023-02-02&through=2023-02-04&granularity=HOUR&zone=${BUSY_ZONE}&map=net`);
    await waitForPanels(page);

    expect(searchOf(page)).toEqual({ from: '2023-02-02', through: '2023-02-04', granularity: 'HOUR', zone: String(BUSY_ZONE), map: 'net' });
    await expect(page.locator('#filters select[name="zone"]').inputValue()).resolves.toBe(String(BUSY_ZONE));
    await expect(page.locator('#filters select[name="granularity"]').inputValue()).resolves.toBe('HOUR');
    await expect(page.locator('[data-panel="zone-map"] select[name="map"]').inputValue()).resolves.toBe('net');
    const answers = await expectPanelsToShowTheApi(page, {
      from: '2023-02-02',
      through: '2023-02-04',
      granularity: 'HOUR',
      zoneId: BUSY_ZONE,
    });
    expect(answers.fareTrend.length).toBeGreaterThan(40);
    // A range shorter than a week is forecast whole.
    expect(answers.forecast.hours).toHaveLength(72);
    await expect(page.locator('[data-panel="fare-trend"] .panel-subtitle').textContent()).resolves.toContain(
      'East Harlem North (Manhattan)',
    );
    await screenshot(page, `zone-${BUSY_ZONE}-hourly`);
    expect(errors).toEqual([]);
  });

  it('filters every panel to a zone clicked on the map', async () => {
    const zones = await api<{ zones: { id: number; name: string }[] }>('{ zones { id name } }');
    const asked: { operation: string; variables: Record<string, unknown> }[] = [];
    const { page, errors } = await open('/', {
      viewport: { width: 1920, height: 1080 },
      beforeGoto: (tab) =>
        tab.on('request', (request: Request) => {
          if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
          const body = request.postDataJSON() as { query: string; variables?: Record<string, unknown> };
          asked.push({ operation: /query (\w+)/.exec(body.query)?.[1] ?? '', variables: body.variables ?? {} });
        }),
    });
    await waitForPanels(page);

    // Hover the map until the tooltip names a zone with pickups, then click it.
    const map = page.locator('[data-panel="zone-map"] .chart-map');
    const box = (await map.boundingBox())!;
    let clicked: number | undefined;
    for (let step = 0; step < 80 && clicked === undefined; step += 1) {
      const x = box.x + box.width * (0.3 + (0.4 * ((step * 7) % 10)) / 10);
      const y = box.y + box.height * (0.15 + (0.7 * ((step * 3) % 10)) / 10);
      await page.mouse.move(x, y);
      const tooltip = map.locator('div', { hasText: /zone \d+/ }).last();
      if (!(await tooltip.isVisible().catch(() => false))) continue;
      const text = (await tooltip.textContent()) ?? '';
      const zone = /zone (\d+)/.exec(text);
      const pickups = /Pickups: ([\d,]+)/.exec(text);
      if (!zone || !pickups || Number(pickups[1].replace(/,/g, '')) < 100) continue;
      clicked = Number(zone[1]);
      asked.length = 0;
      await page.mouse.click(x, y);
    }
    expect(clicked).toBeDefined();
    await page.waitForURL(new RegExp(`zone=${clicked}`));
    await waitForPanels(page);

    expect(searchOf(page)).toMatchObject({ from: '2023-02-01', through: '2023-02-28', zone: String(clicked) });
    await expect(page.locator('#filters select[name="zone"]').inputValue()).resolves.toBe(String(clicked));
    const zone = zones.zones.find((entry) => entry.id === clicked)!;
    for (const panel of ['peak-hours', 'fare-trend', 'operations', 'forecast']) {
      await expect(page.locator(`[data-panel="${panel}"] .panel-subtitle`).textContent()).resolves.toContain(zone.name);
    }
    // Every panel asked again: the insight panels for the zone, the map (zoneFlows has no zone filter) for the city.
    const variablesOf = (operation: string) => asked.filter((entry) => entry.operation === operation).map((entry) => entry.variables);
    for (const operation of ['DashboardPeakHours', 'DashboardFareTrend', 'DashboardOperations', 'DashboardForecast']) {
      expect(variablesOf(operation)).toEqual([expect.objectContaining({ zoneId: clicked })]);
    }
    expect(variablesOf('DashboardZoneFlows')).toEqual([expect.not.objectContaining({ zoneId: expect.anything() })]);
    await expectPanelsToShowTheApi(page, { ...FEBRUARY, zoneId: clicked });
    await screenshot(page, `zone-${clicked}-clicked`);
    expect(errors).toEqual([]);
  });

  it("shows in the live panel's tables exactly the API's pipelineStatus", async () => {
    const { page, errors } = await open('/');
    await waitForPanels(page);
    await showTables(page, 'pipeline');
    const status = (
      await api<{
        pipelineStatus: {
          maxIteratorAgeMs: number;
          lastEventAt: string;
          lastAppliedAt: string;
          shards: Record<string, unknown>[];
          counts: Record<string, number> & { rejectedByReason: { reason: string; trips: number }[] };
        };
      }>(PIPELINE_STATUS)
    ).pipelineStatus;

    expect(status.counts.acceptedTrips).toBe(64_580);
    expect(await tableValues(page, 'pipeline-counts')).toEqual([
      [
        status.counts.acceptedTrips,
        status.counts.duplicateTrips,
        status.counts.rejectedTrips,
        status.counts.poisonRecords,
        status.maxIteratorAgeMs,
        status.lastEventAt,
        status.lastAppliedAt,
      ].map(cell),
    ]);
    expect(await tableValues(page, 'pipeline-shards')).toEqual(
      status.shards.map((shard) =>
        [shard.shardId, shard.iteratorAgeMs, shard.lastAppliedAt, shard.lastRecordArrivedAt, shard.lastSequenceNumber].map(cell),
      ),
    );
    expect(await tableValues(page, 'pipeline-rejections')).toEqual(
      status.counts.rejectedByReason.map((entry) => [entry.reason, entry.trips].map(cell)),
    );
    await expect(page.locator('[data-kpi="accepted"] .kpi-value').textContent()).resolves.toBe('64,580');
    expect(errors).toEqual([]);
  });

  it("offers each table as CSV with the table's numbers", async () => {
    const { page, errors } = await open('/?from=2023-02-01&through=2023-02-28&granularity=WEEK');
    await waitForPanels(page);
    await showTables(page, 'operations');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-table="operations-buckets"] .csv-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('operations-new-york-city-2023-02-01-2023-02-28-week.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'start,trips,revenue,averageDurationMinutes,medianDurationMinutes,p90DurationMinutes,averageSpeedMph,averagePassengers,cardTipRate,' +
        'paymentFLEX_FARE,paymentCARD,paymentCASH,paymentNO_CHARGE,paymentDISPUTE,paymentUNKNOWN,paymentVOIDED',
    );
    expect(rows.map((row) => row.split(','))).toEqual(
      expectedTables(await apiAnswers({ ...FEBRUARY, granularity: 'WEEK' }))['operations-buckets'],
    );
    expect(errors).toEqual([]);
  });

  it('says so when the range has no trips', async () => {
    const { page, errors } = await open('/?from=2015-01-01&through=2015-01-31');
    await page.locator('[data-panel="fare-trend"] .panel-message[data-kind="empty"]').waitFor();
    await page.locator('[data-panel="forecast"] .panel-message[data-kind="empty"]').waitFor();

    await expect(page.locator('[data-panel="fare-trend"] .panel-message').textContent()).resolves.toBe(
      'No trips picked up in New York City between 1–31 Jan 2015.',
    );
    await expect(page.locator('[data-panel="forecast"] .panel-message').textContent()).resolves.toMatch(
      /^No forecast for New York City, 25–31 Jan 2015\. No history: /,
    );
    await screenshot(page, 'no-trips');
    expect(errors).toEqual([]);
  });

  it('asks for a read key when it has none, and opens with the one given', async () => {
    const { page, errors } = await open('/', { key: '' });
    await page.locator('#key-dialog').waitFor({ state: 'visible' });
    await expect(page.locator('#key-dialog .key-message').textContent()).resolves.toBe('Enter a read key to open the dashboard.');

    await page.fill('#key-dialog input[name="key"]', stack.apiKeys.read);
    await page.click('#key-dialog button[type="submit"]');
    await waitForPanels(page);
    await expect(page.locator('#key-dialog').isHidden()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('says that a wrong key and an ingest key are refused, and forgets them', async () => {
    const wrong = await open('/', { key: 'tpr_not-a-key' });
    await wrong.page.locator('#key-dialog').waitFor({ state: 'visible' });
    await expect(wrong.page.locator('#key-dialog .key-message').textContent()).resolves.toContain('The API did not accept this key.');
    expect(await wrong.page.evaluate('sessionStorage.length')).toBe(0);
    await expect(wrong.page.locator('[data-panel]').count()).resolves.toBe(0);
    await screenshot(wrong.page, 'wrong-key');

    const ingest = await open('/', { key: stack.apiKeys.ingest });
    await ingest.page.locator('#key-dialog').waitFor({ state: 'visible' });
    await expect(ingest.page.locator('#key-dialog .key-message').textContent()).resolves.toContain('needs a read key, not an ingest key');
    // The browser logs the API's 401/403 answers as failed resources; nothing else may be an error.
    for (const { errors } of [wrong, ingest]) expect(errors.filter((error) => !/status of 40[13]/.test(error))).toEqual([]);
  });

  // Near the end: the replay adds January 2020, which changes the month a new page opens on.
  it('moves the live panel while a replay streams in', async () => {
    const { page, errors } = await open('/');
    await waitForPanels(page);
    const kpi = async (name: string) => Number((await page.locator(`[data-kpi="${name}"] .kpi-value`).textContent())!.replace(/,/g, ''));
    const before = { accepted: await kpi('accepted'), rejected: await kpi('rejected') };

    const summary = await replayFiles({ files: [LIVE_REPLAY], endpoint: stack.graphqlUrl, headers: fixture.ingestKey() });
    const rejected = Object.values(summary.rejectedByReason).reduce((sum, count) => sum + count, 0);
    expect(summary.accepted).toBeGreaterThan(900);
    await stack.waitForIdle({ timeoutMs: 60_000 });

    await page
      .locator('[data-kpi="accepted"] .kpi-value')
      .filter({ hasText: (before.accepted + summary.accepted).toLocaleString('en-US') })
      .waitFor({ timeout: 15_000 });
    await expect(kpi('rejected')).resolves.toBe(before.rejected + rejected);
    await expect(page.locator('[data-kpi="last-event"] .kpi-value').textContent()).resolves.toMatch(/2020/);
    // The rate the panel plots: some poll saw trips arrive.
    const rates = (await tableValues(page, 'pipeline-rate')).map((row) => Number(row[2]));
    expect(Math.max(...rates)).toBeGreaterThan(0);
    await screenshot(page, 'live-after-replay');
    expect(errors).toEqual([]);
  });

  // Last: it stops the stack.
  it('says so when the stack stops answering, and keeps the numbers it had', async () => {
    const { page } = await open('/?from=2023-02-01&through=2023-02-28');
    await waitForPanels(page);

    await fixture.stop();

    await page.locator('#banner').waitFor({ state: 'visible', timeout: 20_000 });
    await expect(page.locator('#banner').textContent()).resolves.toContain('is not reachable: is the stack running?');
    for (const panel of [...INSIGHT_PANELS, 'pipeline']) {
      await expect(page.locator(`[data-panel="${panel}"] .chart canvas`).count()).resolves.toBeGreaterThan(0);
    }
    await screenshot(page, 'stack-down');
  });
});
