/**
 * The filters form at the top of the page: date range, bucket size, borough or zone. It shows the
 * current filters and reports every change; the page turns changes into the URL and the panels.
 */
import { BOROUGHS, GRANULARITIES, type Borough, type Granularity } from './api/queries';
import { withScope, type Filters } from './filters';
import { append, element } from './panels/panel';
import type { ZoneDirectory } from './zones';

const GRANULARITY_LABELS: Record<Granularity, string> = { HOUR: 'Hours', DAY: 'Days', WEEK: 'Weeks', MONTH: 'Months' };

export class FilterBar {
  readonly element: HTMLFormElement;
  private readonly from: HTMLInputElement;
  private readonly through: HTMLInputElement;
  private readonly granularity: HTMLSelectElement;
  private readonly borough: HTMLSelectElement;
  private readonly zone: HTMLSelectElement;
  private readonly problem: HTMLParagraphElement;
  private current?: Filters;

  constructor(
    zones: ZoneDirectory,
    private readonly onChange: (change: (filters: Filters) => Filters) => void,
  ) {
    this.element = element('form', 'filters');
    this.element.id = 'filters';
    this.element.setAttribute('aria-label', 'Filters');
    this.element.addEventListener('submit', (event) => event.preventDefault());
    this.from = this.input('from', 'From');
    this.through = this.input('through', 'Through');
    this.granularity = this.select('granularity', 'Buckets');
    for (const value of GRANULARITIES) this.option(this.granularity, value, GRANULARITY_LABELS[value]);
    this.borough = this.select('borough', 'Borough');
    this.option(this.borough, '', 'All boroughs');
    for (const value of BOROUGHS) this.option(this.borough, value, zones.boroughName(value));
    this.zone = this.select('zone', 'Pickup zone');
    this.option(this.zone, '', 'All zones');
    for (const [borough, list] of zones.byBorough()) {
      const group = append(this.zone, element('optgroup'));
      group.label = zones.boroughName(borough);
      for (const zone of list) this.option(group, String(zone.id), `${zone.name} (${zone.id})`);
    }
    this.problem = append(this.element, element('p', 'filters-problem'));
    this.problem.setAttribute('role', 'alert');
    this.problem.hidden = true;

    const dates = () => {
      if (!this.from.value || !this.through.value) return;
      const [from, through] =
        this.from.value <= this.through.value ? [this.from.value, this.through.value] : [this.through.value, this.from.value];
      this.onChange((filters) => ({ ...filters, from, through }));
    };
    this.from.addEventListener('change', dates);
    this.through.addEventListener('change', dates);
    this.granularity.addEventListener('change', () =>
      this.onChange((filters) => ({ ...filters, granularity: this.granularity.value as Granularity })),
    );
    this.borough.addEventListener('change', () =>
      this.onChange((filters) => withScope(filters, this.borough.value ? { borough: this.borough.value as Borough } : {})),
    );
    this.zone.addEventListener('change', () =>
      this.onChange((filters) => withScope(filters, this.zone.value ? { zoneId: Number(this.zone.value) } : {})),
    );
  }

  /** Shows `filters` in the form. */
  show(filters: Filters): void {
    this.current = filters;
    this.from.value = filters.from;
    this.through.value = filters.through;
    this.granularity.value = filters.granularity;
    this.borough.value = filters.borough ?? '';
    this.zone.value = filters.zoneId === undefined ? '' : String(filters.zoneId);
  }

  /** A problem with the filters, or undefined to clear it. */
  showProblem(text: string | undefined): void {
    this.problem.textContent = text ?? '';
    this.problem.hidden = text === undefined;
  }

  get filters(): Filters | undefined {
    return this.current;
  }

  private input(name: string, label: string): HTMLInputElement {
    const input = append(this.field(label), element('input'));
    input.type = 'date';
    input.name = name;
    input.required = true;
    return input;
  }

  private select(name: string, label: string): HTMLSelectElement {
    const select = append(this.field(label), element('select'));
    select.name = name;
    return select;
  }

  private field(label: string): HTMLLabelElement {
    const field = append(this.element, element('label', 'control'));
    append(field, element('span')).textContent = label;
    return field;
  }

  private option(parent: HTMLElement, value: string, label: string): void {
    const option = append(parent, element('option'));
    option.value = value;
    option.textContent = label;
  }
}
