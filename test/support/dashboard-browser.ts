/**
 * A real browser for the dashboard tests: the Chromium that the @sparticuz/chromium npm package ships,
 * driven by playwright-core (no system browser, no download: `npm ci` is enough). Pages collect their
 * console errors and uncaught exceptions, so that a test can require none.
 */
import chromium from '@sparticuz/chromium';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Screenshots for people to look at (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-results', 'dashboard');

/** The shipped Chromium, with the package's flags except `--single-process` (made for Lambda, where one page lives and dies with the browser: here closing a test's context would end the browser). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  const args = chromium.args.filter((arg) => arg !== '--single-process');
  return playwright.launch({ executablePath, args, headless: true });
}

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** A new browser context (its own sessionStorage) with one page, at a laptop's or a wall screen's size. */
export async function openPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) =>
    errors.push(`uncaught: ${error.message}${error.stack ? ` (${error.stack.split('\n').slice(1, 4).join(' | ').trim()})` : ''}`),
  );
  return { context, page, errors, close: () => context.close() };
}

/** Saves a full-page screenshot as test-results/dashboard/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The rows of a panel's table, as the `data-value` of each cell (the API's values, unrounded). */
export async function tableValues(page: Page, table: string): Promise<string[][]> {
  return page
    .locator(`[data-table="${table}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('td')).map((cell) => (cell as unknown as { dataset: Record<string, string> }).dataset.value ?? ''),
      ),
    );
}

/** A value as a table cell holds it: numbers and strings as String() writes them, null as ''. */
export function cell(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Shows a panel's tables (its Table button) and waits for them. */
export async function showTables(page: Page, panel: string): Promise<void> {
  const toggle = page.locator(`[data-panel="${panel}"] [data-action="toggle-table"]`);
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await page.locator(`[data-panel="${panel}"] .panel-tables`).waitFor({ state: 'visible' });
}
