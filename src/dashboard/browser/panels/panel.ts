/**
 * What every panel shares: a frame with a title that says what it shows, its charts, a message in
 * place of the charts when there is nothing to draw (no trips in the range, a failed query), and a
 * table view of its numbers with a CSV download per table. InsightPanel adds the query cycle: the
 * latest filters win, a field the API lacks removes the panel, and a refused key or an unreachable
 * stack goes to the page, which says so once for all panels.
 */
import { isMissingField } from '../api/capabilities';
import { QueryFailedError, type GraphQLClient } from '../api/graphql';
import type { Zone } from '../api/queries';
import type { Filters } from '../filters';
import { formatCell, toCsv, type TableData } from '../table-data';
import type { ZoneDirectory } from '../zones';

export interface PanelContext {
  readonly client: GraphQLClient;
  readonly zones: ZoneDirectory;
  /** Changes the filters (and the URL) and refreshes every panel. */
  readonly navigate: (change: (filters: Filters) => Filters) => void;
  /** A refused key or an unreachable API: the page shows it. */
  readonly onApiError: (error: unknown) => void;
  /** The API answered (after an outage, the page says it is back). */
  readonly onApiAnswer: () => void;
}

export type MessageKind = 'empty' | 'error';

/**
 * The name of the performance mark a panel sets each time it has drawn an answer (charts and tables,
 * or a message), e.g. `taxi-pulse:panel-drawn:fare-trend`: how bench/dashboard.ts times the page from
 * navigation to its first and to its last panel, with the browser's own clock.
 */
export function panelDrawnMark(panelId: string): string {
  return `taxi-pulse:panel-drawn:${panelId}`;
}

/** The DOM of one panel. */
export class PanelFrame {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly subtitle: HTMLParagraphElement;
  private readonly controls: HTMLDivElement;
  private readonly message: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly tables: HTMLDivElement;
  private readonly toggle: HTMLButtonElement;
  private showingTables = false;
  private hasContent = false;

  constructor(
    readonly id: string,
    options: { wide?: boolean } = {},
  ) {
    this.element = element('section', `panel${options.wide ? ' panel-wide' : ''}`);
    this.element.dataset.panel = id;
    this.element.setAttribute('aria-labelledby', `${id}-title`);
    const header = append(this.element, element('header', 'panel-header'));
    const titles = append(header, element('div', 'panel-titles'));
    this.heading = append(titles, element('h2', 'panel-title'));
    this.heading.id = `${id}-title`;
    this.subtitle = append(titles, element('p', 'panel-subtitle'));
    this.controls = append(header, element('div', 'panel-controls'));
    this.toggle = append(header, element('button', 'panel-toggle'));
    this.toggle.type = 'button';
    this.toggle.dataset.action = 'toggle-table';
    this.toggle.addEventListener('click', () => this.setTableView(!this.showingTables));
    this.message = append(this.element, element('div', 'panel-message'));
    this.message.setAttribute('role', 'status');
    this.body = append(this.element, element('div', 'panel-body'));
    this.tables = append(this.element, element('div', 'panel-tables'));
    this.setTableView(false);
    this.message.hidden = true;
  }

  setTitle(title: string, subtitle = ''): void {
    this.heading.textContent = title;
    this.subtitle.textContent = subtitle;
    this.subtitle.hidden = subtitle === '';
  }

  /** A control in the header (e.g. the map's metric). */
  addControl(control: HTMLElement): void {
    this.controls.append(control);
  }

  /** A container in the panel body, e.g. for a chart. */
  addBlock(className: string): HTMLDivElement {
    return append(this.body, element('div', className));
  }

  setBusy(busy: boolean): void {
    this.element.setAttribute('aria-busy', String(busy));
  }

  /** Shows a message instead of the charts and tables. */
  showMessage(text: string, kind: MessageKind): void {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
    this.message.hidden = false;
    this.hasContent = false;
    this.body.hidden = true;
    this.tables.hidden = true;
    this.toggle.hidden = true;
    performance.mark(panelDrawnMark(this.id));
  }

  /** Shows the charts (or the tables, if the reader chose them), and sets the tables' content. */
  showContent(tables: readonly TableData[]): void {
    this.message.hidden = true;
    this.hasContent = true;
    this.toggle.hidden = false;
    this.renderTables(tables);
    this.setTableView(this.showingTables);
    performance.mark(panelDrawnMark(this.id));
  }

  private setTableView(tables: boolean): void {
    this.showingTables = tables;
    this.toggle.textContent = tables ? 'Chart' : 'Table';
    this.toggle.setAttribute('aria-pressed', String(tables));
    this.toggle.title = tables ? 'Show the chart' : 'Show the numbers as a table (with CSV download)';
    this.body.hidden = !this.hasContent || tables;
    this.tables.hidden = !this.hasContent || !tables;
  }

  private renderTables(tables: readonly TableData[]): void {
    this.tables.replaceChildren(...tables.map(renderTable));
  }
}

function renderTable(data: TableData): HTMLElement {
  const figure = element('figure', 'data-table');
  figure.dataset.table = data.key;
  const caption = append(figure, element('figcaption', 'data-table-caption'));
  append(caption, element('span')).textContent = data.title;
  const download = append(caption, element('button', 'csv-download'));
  download.type = 'button';
  download.textContent = 'Download CSV';
  download.addEventListener('click', () => downloadCsv(data));
  const scroller = append(figure, element('div', 'data-table-scroll'));
  const table = append(scroller, element('table'));
  const headRow = append(append(table, element('thead')), element('tr'));
  for (const column of data.columns) {
    const th = append(headRow, element('th'));
    th.textContent = column.label;
    th.dataset.key = column.key;
    th.scope = 'col';
  }
  const body = append(table, element('tbody'));
  for (const row of data.rows) {
    const tr = append(body, element('tr'));
    row.forEach((value, index) => {
      const column = data.columns[index];
      const td = append(
        tr,
        element('td', column.kind === 'text' || column.kind === 'bucket' || column.kind === 'datetime' ? '' : 'numeric'),
      );
      td.dataset.key = column.key;
      td.dataset.value = value === null ? '' : String(value);
      td.textContent = formatCell(value, column.kind, data.granularity);
    });
  }
  return figure;
}

function downloadCsv(data: TableData): void {
  const url = URL.createObjectURL(new Blob([toCsv(data)], { type: 'text/csv;charset=utf-8' }));
  const link = element('a');
  link.href = url;
  link.download = `${data.fileName}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A panel fed by one query per change of the filters. Subclasses say what to ask (`load`) and how to
 * draw the answer (`render`); answers to filters that were since replaced are dropped.
 */
export abstract class InsightPanel<Answer> {
  readonly frame: PanelFrame;
  private generation = 0;
  /** Set when the API turned out not to have the panel's field: the panel left the page. */
  removed = false;

  constructor(
    protected readonly context: PanelContext,
    id: string,
    options: { wide?: boolean } = {},
  ) {
    this.frame = new PanelFrame(id, options);
  }

  get element(): HTMLElement {
    return this.frame.element;
  }

  protected abstract load(filters: Filters, signal: AbortSignal): Promise<Answer>;
  protected abstract render(answer: Answer, filters: Filters): void;
  /** The title for these filters, shown while loading too. */
  protected abstract title(filters: Filters): { title: string; subtitle?: string };

  private controller?: AbortController;

  /** Asks for the filters' numbers and draws them. Never throws. */
  async update(filters: Filters): Promise<void> {
    if (this.removed) return;
    const generation = ++this.generation;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { title, subtitle } = this.title(filters);
    this.frame.setTitle(title, subtitle);
    this.frame.setBusy(true);
    try {
      const answer = await this.load(filters, controller.signal);
      this.context.onApiAnswer();
      if (generation !== this.generation) return;
      this.render(answer, filters);
    } catch (error) {
      if (generation !== this.generation) return;
      if (isMissingField(error)) {
        this.removed = true;
        this.element.remove();
        return;
      }
      if (error instanceof QueryFailedError) {
        this.frame.showMessage(`The API could not answer this: ${error.message}`, 'error');
      } else {
        this.frame.showMessage('No numbers: the API did not answer (see the message at the top).', 'error');
        this.context.onApiError(error);
      }
    } finally {
      if (generation === this.generation) this.frame.setBusy(false);
    }
  }
}

/** `Manhattan`, `JFK Airport (Queens)`, `New York City`: the scope as a title names it. */
export function scopeLabel(filters: Filters, zones: ZoneDirectory): string {
  if (filters.zoneId !== undefined) {
    const zone: Zone | undefined = zones.get(filters.zoneId);
    return zone ? `${zone.name} (${zones.boroughName(zone.borough)})` : `zone ${filters.zoneId}`;
  }
  if (filters.borough !== undefined) return zones.boroughName(filters.borough);
  return 'New York City';
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = ''): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  return created;
}

export function append<T extends Node>(parent: Node, child: T): T {
  parent.appendChild(child);
  return child;
}
