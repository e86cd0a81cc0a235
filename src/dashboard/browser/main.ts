/**
 * The dashboard page: signs in with the read key (from the link's fragment, or asked once), learns
 * which insights the API has, opens on the month that has data (or on the view the URL holds), and
 * keeps the panels, the filters and the URL in step. The page never goes blank: a refused key, an
 * unreachable stack and an empty range each get a message.
 */
import './styles.css';
import { detectCapabilities, type Capabilities } from './api/capabilities';
import { ApiUnreachableError, GraphQLClient, KeyRejectedError } from './api/graphql';
import {
  MONTHLY_TRIPS_QUERY,
  PIPELINE_STATUS_QUERY,
  ZONES_QUERY,
  type MonthlyTripsAnswer,
  type PipelineStatusAnswer,
  type ZonesAnswer,
} from './api/queries';
import { addDays, monthOf, previousMonth } from './calendar';
import { FilterBar } from './filter-bar';
import { filtersProblem, filtersToSearch, parseFilters, type Filters } from './filters';
import { FareTrendPanel } from './panels/fare-trend-panel';
import { ForecastPanel } from './panels/forecast-panel';
import { OperationsPanel } from './panels/operations-panel';
import type { PanelContext } from './panels/panel';
import { PeakHoursPanel } from './panels/peak-hours-panel';
import { PipelinePanel } from './panels/pipeline-panel';
import { loadZoneShapes, ZoneMapPanel } from './panels/zone-map-panel';
import { forgetKey, storedKey, storeKey, takeKeyFromFragment } from './read-key';
import { ZoneDirectory } from './zones';

/** The month `npm start` loads (green taxis, February 2023): where an empty or new stack opens. */
const SHIPPED_MONTH = '2023-02-01';
const RETRY_MS = 5000;
/** The insight panels refresh at most this often while new trips stream in. */
const INSIGHT_REFRESH_MS = 15_000;

interface InsightPanelHandle {
  readonly element: HTMLElement;
  update(filters: Filters): Promise<void>;
}

class DashboardPage {
  private readonly client = new GraphQLClient(new URL('graphql', window.location.href).toString(), () => storedKey() ?? '');
  private readonly banner: HTMLDivElement;
  private readonly keyDialog: HTMLElement;
  private readonly main: HTMLElement;
  private readonly toolbar: HTMLElement;
  private filterBar?: FilterBar;
  private panels: InsightPanelHandle[] = [];
  private pipeline?: PipelinePanel;
  private filters?: Filters;
  private opened = false;
  private opening = false;
  private unreachable = false;
  private lastInsightRefresh = 0;
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(root: HTMLElement) {
    this.toolbar = root.querySelector<HTMLElement>('#toolbar')!;
    this.banner = root.querySelector<HTMLDivElement>('#banner')!;
    this.keyDialog = root.querySelector<HTMLElement>('#key-dialog')!;
    this.main = root.querySelector<HTMLElement>('#panels')!;
    const form = this.keyDialog.querySelector('form')!;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = new FormData(form).get('key');
      if (typeof key !== 'string' || key.trim() === '') return;
      storeKey(key.trim());
      form.reset();
      if (this.opened) window.location.reload();
      else void this.open();
    });
    root.querySelector('#sign-out')?.addEventListener('click', () => {
      forgetKey();
      window.location.reload();
    });
    window.addEventListener('popstate', () => {
      if (!this.filters) return;
      const { filters } = parseFilters(window.location.search, this.filters);
      this.apply(filters, false);
    });
  }

  /** Signs in (or asks for the key) and builds the page. */
  async open(): Promise<void> {
    if (this.opening || this.opened) return;
    if (!storedKey()) {
      this.askForKey('Enter a read key to open the dashboard.');
      return;
    }
    this.opening = true;
    this.keyDialog.hidden = true;
    this.setStatus('Connecting…');
    try {
      const [capabilities, zonesAnswer, status] = await Promise.all([
        detectCapabilities(this.client),
        this.client.query<ZonesAnswer>(ZONES_QUERY),
        this.client.query<PipelineStatusAnswer>(PIPELINE_STATUS_QUERY),
      ]);
      const zones = new ZoneDirectory(zonesAnswer.zones);
      const shaped = capabilities.zoneFlows ? await loadZoneShapes() : new Set<number>();
      const defaults = await this.defaultFilters(status.pipelineStatus.lastEventAt);
      this.build(capabilities, zones, shaped);
      this.unreachable = false;
      this.banner.hidden = true;
      this.opened = true;
      const { filters, ignored } = parseFilters(window.location.search, defaults);
      if (ignored.length > 0) this.filterBar?.showProblem(`Ignored what the link said about: ${ignored.join(', ')}.`);
      this.apply(filters, false);
      this.setStatus('');
    } catch (error) {
      this.onApiError(error);
      if (!(error instanceof KeyRejectedError)) {
        this.setStatus('');
        if (!(error instanceof ApiUnreachableError))
          this.showBanner(`The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`);
        setTimeout(() => void this.open(), RETRY_MS);
      }
    } finally {
      this.opening = false;
    }
  }

  private build(capabilities: Capabilities, zones: ZoneDirectory, shaped: ReadonlySet<number>): void {
    const context: PanelContext = {
      client: this.client,
      zones,
      navigate: (change) => this.filters && this.apply(change(this.filters), true),
      onApiError: (error) => this.onApiError(error),
      onApiAnswer: () => this.recovered(),
    };
    this.filterBar = new FilterBar(zones, context.navigate);
    this.toolbar.prepend(this.filterBar.element);
    // Panels of fields the API does not have are left out, not shown empty.
    const panels: InsightPanelHandle[] = [];
    if (capabilities.byHourOfWeek) panels.push(new PeakHoursPanel(context));
    if (capabilities.zoneFlows) panels.push(new ZoneMapPanel(context, shaped));
    panels.push(new FareTrendPanel(context));
    if (capabilities.operations) panels.push(new OperationsPanel(context));
    if (capabilities.demandForecast) panels.push(new ForecastPanel(context));
    this.panels = panels;
    this.pipeline = new PipelinePanel(context, () => this.scheduleInsightRefresh());
    this.main.replaceChildren(...panels.map((panel) => panel.element), this.pipeline.element);
    this.pipeline.start();
  }

  /** Shows `filters` everywhere: the form, the URL (a new history entry when `push`), every panel. */
  private apply(filters: Filters, push: boolean): void {
    this.filters = filters;
    this.filterBar?.show(filters);
    const search = filtersToSearch(filters);
    // The same view twice (a field reporting one change twice) makes no second history entry.
    if (push && search !== window.location.search) window.history.pushState(null, '', `${window.location.pathname}${search}`);
    else window.history.replaceState(null, '', `${window.location.pathname}${search}`);
    const problem = filtersProblem(filters);
    this.filterBar?.showProblem(problem);
    if (problem) return;
    this.refreshInsights();
  }

  private refreshInsights(): void {
    if (!this.filters) return;
    this.lastInsightRefresh = Date.now();
    for (const panel of this.panels) void panel.update(this.filters);
  }

  /** New trips arrived: refresh the insight panels, at most every INSIGHT_REFRESH_MS. */
  private scheduleInsightRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastInsightRefresh + INSIGHT_REFRESH_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshInsights();
    }, wait);
  }

  /** The month with the most trips among the newest trip's month and the one before; else the shipped month. */
  private async defaultFilters(lastEventAt: string | null): Promise<Filters> {
    const anchor = monthOf(lastEventAt?.slice(0, 10) ?? SHIPPED_MONTH);
    const earlier = previousMonth(anchor.first);
    const { fareTrend } = await this.client.query<MonthlyTripsAnswer>(MONTHLY_TRIPS_QUERY, {
      range: { from: earlier, to: addDays(anchor.last, 1) },
    });
    const busiest = [...fareTrend.buckets].sort((a, b) => b.trips - a.trips)[0];
    const month = busiest ? monthOf(busiest.start.slice(0, 10)) : anchor;
    return { from: month.first, through: month.last, granularity: 'DAY', mapMetric: 'pickups' };
  }

  /** Sorts a failed call into the page's states: key refused, stack unreachable. */
  private onApiError(error: unknown): void {
    if (error instanceof KeyRejectedError) {
      this.pipeline?.stop();
      forgetKey();
      this.askForKey(
        error.reason === 'not-a-read-key'
          ? 'This key may not read insights: the dashboard needs a read key, not an ingest key.'
          : 'The API did not accept this key. Enter a read key (`npm start` prints one; on AWS it is in the API-keys secret).',
      );
    } else if (error instanceof ApiUnreachableError) {
      this.unreachable = true;
      this.showBanner(
        `The taxi-pulse API at ${this.client.endpoint} is not reachable: is the stack running? The page tries again every few seconds and keeps the last numbers it had.`,
      );
    }
  }

  /** The API answered: if it had been unreachable, say it is back and refresh. */
  private recovered(): void {
    if (!this.unreachable) return;
    this.unreachable = false;
    this.banner.hidden = true;
    this.refreshInsights();
  }

  private askForKey(message: string): void {
    this.keyDialog.hidden = false;
    this.keyDialog.querySelector('.key-message')!.textContent = message;
    this.keyDialog.querySelector<HTMLInputElement>('input[name="key"]')?.focus();
  }

  private showBanner(text: string): void {
    this.banner.textContent = text;
    this.banner.hidden = false;
  }

  private setStatus(text: string): void {
    const status = document.querySelector('#page-status');
    if (status) status.textContent = text;
  }
}

function start(): void {
  takeKeyFromFragment();
  const root = document.querySelector<HTMLElement>('#app');
  if (!root) return;
  const page = new DashboardPage(root);
  void page.open();
}

start();
