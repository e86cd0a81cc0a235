/**
 * Figure 12: the dashboard page (issue 12's budgets: the first panel within 1.5 s locally, at most
 * 350 KB of gzipped JavaScript).
 *
 *   npx tsx bench/dashboard.ts [--reps 5]
 *
 * Builds the page as `npm start` does (into dist/dashboard, which the stack serves), starts the stack
 * in its own process and loads the shipped month through ingestTrips as `npm start` does (February
 * 2023, 64,809 rows), then opens the page signed in, `--reps` times in a fresh browser context each
 * (cold: nothing cached) and once more reloaded in the same context (warm: scripts and shapes
 * cached). Times are the browser's own: each panel sets a performance mark when it has drawn its
 * first answer (src/dashboard/browser/panels/panel.ts), read against the navigation's start. The
 * browser is the Chromium of @sparticuz/chromium, as in the tests; it shares the 2 cores with the
 * stack and both emulators, as a browser on the machine running `npm start` would.
 */
import './lib/setup';
import type { Browser, Page } from 'playwright-core';
import { replayFiles } from '../src/cli/replay/replay-files';
import { buildDashboard } from '../src/dashboard/build/build-dashboard';
import { launchBrowser } from '../test/support/dashboard-browser';
import { commandLine, flags } from './lib/args';
import type { DashboardLoadFigures } from './lib/result-types';
import { noteStartLoad, writeResult } from './lib/results';
import { median, round } from './lib/stats';
import { startStackProcess } from './lib/stack-process';
import { meets, TARGETS } from './lib/targets';
import { FEB_2023 } from './lib/trips';

const options = flags({ reps: 5 });

/** Every panel the page shows on a stack with every insight. */
const PANELS = ['peak-hours', 'zone-map', 'fare-trend', 'operations', 'forecast', 'pipeline'];
const MARK_PREFIX = 'taxi-pulse:panel-drawn:';

/** One page load: ms from the navigation's start to each panel's first drawing, and to the page's own milestones. */
async function loadOnce(page: Page, url: string, reload: boolean): Promise<DashboardLoadFigures['loads'][number]> {
  if (reload) await page.reload();
  else await page.goto(url);
  // Functions run in the page (its Content-Security-Policy allows no string to be evaluated) declare no
  // named function inside: tsx would wrap it in a helper (__name) that the page does not have.
  const marks = { panels: PANELS, prefix: MARK_PREFIX };
  await page.waitForFunction(
    ({ panels, prefix }) => panels.every((panel) => performance.getEntriesByName(prefix + panel).length > 0),
    marks,
    { timeout: 60_000, polling: 50 },
  );
  const timings = await page.evaluate(({ panels, prefix }) => {
    // Browser entry types: this file is type-checked against Node's performance, which lacks them.
    const navigation = performance.getEntriesByType('navigation' as never)[0] as unknown as { domContentLoadedEventEnd: number };
    return {
      panelMs: panels.map((panel) => performance.getEntriesByName(prefix + panel)[0].startTime),
      domContentLoadedMs: navigation.domContentLoadedEventEnd,
    };
  }, marks);
  const panels = Object.fromEntries(PANELS.map((panel, index) => [panel, timings.panelMs[index]]));
  const drawn = timings.panelMs;
  return {
    cache: reload ? 'warm' : 'cold',
    firstPanelMs: round(Math.min(...drawn), 0),
    allPanelsMs: round(Math.max(...drawn), 0),
    domContentLoadedMs: round(timings.domContentLoadedMs, 0),
    panelMs: Object.fromEntries(Object.entries(panels).map(([panel, ms]) => [panel, round(ms, 0)])),
  };
}

async function measure(browser: Browser, url: string, reps: number): Promise<DashboardLoadFigures['loads']> {
  const loads: DashboardLoadFigures['loads'] = [];
  for (let rep = 0; rep < reps; rep++) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      for (const reload of [false, true]) {
        const load = await loadOnce(page, url, reload);
        loads.push(load);
        console.log(
          `  ${load.cache} load ${rep + 1}/${reps}: first panel ${load.firstPanelMs} ms, all panels ${load.allPanelsMs} ms (DOMContentLoaded ${load.domContentLoadedMs} ms)`,
        );
      }
      if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
  return loads;
}

function summary(loads: DashboardLoadFigures['loads'], cache: 'cold' | 'warm'): DashboardLoadFigures['cold'] {
  const of = loads.filter((load) => load.cache === cache);
  return {
    firstPanelMs: round(median(of.map((load) => load.firstPanelMs)), 0),
    allPanelsMs: round(median(of.map((load) => load.allPanelsMs)), 0),
    panelMs: Object.fromEntries(PANELS.map((panel) => [panel, round(median(of.map((load) => load.panelMs[panel])), 0)])),
  };
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const built = await buildDashboard();
  const kb = (bytes: number) => round(bytes / 1024, 1);
  const build: DashboardLoadFigures['build'] = {
    scriptKb: kb(built.script.bytes),
    scriptGzipKb: kb(built.script.gzipBytes),
    stylesGzipKb: kb(built.styles.gzipBytes),
    zonesKb: kb(built.zones.bytes),
    zonesGzipKb: kb(built.zones.gzipBytes),
    buildMs: built.durationMs,
  };
  console.log(`built the page: script ${build.scriptGzipKb} KB gzipped (${build.scriptKb} KB), zone shapes ${build.zonesKb} KB`);

  const stack = await startStackProcess('dashboard');
  let browser: Browser | undefined;
  try {
    const seedStarted = performance.now();
    const replay = await replayFiles({ files: [FEB_2023], endpoint: stack.graphqlUrl, headers: { 'x-api-key': stack.apiKeys.ingest } });
    await stack.waitForIdle(900_000);
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
    console.log(`loaded February 2023: ${replay.accepted} trips accepted, processed in ${seedSeconds} s`);
    browser = await launchBrowser();
    const url = `${stack.graphqlUrl.replace(/graphql$/, '')}#key=${encodeURIComponent(stack.apiKeys.read)}`;
    // One load first, not counted: the stack's first queries after the seed, and the browser's first start of a renderer.
    await measure(browser, url, 1);
    const loads = await measure(browser, url, options.reps);
    const figures: DashboardLoadFigures = {
      options: { reps: options.reps },
      seed: { trips: replay.accepted, seconds: seedSeconds },
      build,
      loads,
      cold: summary(loads, 'cold'),
      warm: summary(loads, 'warm'),
    };
    const path = writeResult('dashboard', commandLine('bench/dashboard.ts'), startedAt, figures);
    const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
    console.log(
      `first panel (cold, median): ${figures.cold.firstPanelMs} ms (target <= ${TARGETS.dashboardFirstPanelMs.threshold} ms: ${verdict(meets('dashboardFirstPanelMs', figures.cold.firstPanelMs))}); all panels ${figures.cold.allPanelsMs} ms`,
    );
    console.log(
      `script ${build.scriptGzipKb} KB gzipped (target <= ${TARGETS.dashboardScriptGzipKb.threshold} KB: ${verdict(meets('dashboardScriptGzipKb', build.scriptGzipKb))})`,
    );
    console.log(`wrote ${path}`);
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
