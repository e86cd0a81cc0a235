/**
 * Panel 2, the zone map: the 263 TLC taxi zones coloured by pickups, drop-offs or net flow
 * (zoneFlows), with name, borough and counts on hover. Clicking a zone filters every panel to it
 * (clicking it again goes back). Zones 264 and 265 ("Unknown") have no shape: their counts are in the
 * table and in a note under the map.
 */
import { ZONE_FLOWS_QUERY, type ZoneFlow, type ZoneFlowsAnswer } from '../api/queries';
import { formatDateRange } from '../calendar';
import { chartFontSize, createChart, echarts, escapeHtml, PUOR, VIRIDIS, type Chart } from '../charts';
import { MAP_METRICS, rangeOf, withScope, type Filters, type MapMetric } from '../filters';
import { slug, type TableData } from '../table-data';
import { append, element, InsightPanel, type PanelContext } from './panel';

const MAP_NAME = 'nyc-taxi-zones';
const METRIC_LABELS: Record<MapMetric, string> = { pickups: 'Pickups', dropoffs: 'Drop-offs', net: 'Net flow (drop-offs − pickups)' };
// New York's latitude (40.7°): one degree of longitude is cos(40.7°) ≈ 0.76 of a degree of latitude.
const ASPECT_SCALE = 0.76;

interface ZoneShapes {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { id: number; name: string; borough: string }; geometry: unknown }[];
}

/** Loads the simplified zone shapes the build wrote (their URL is in the page's <meta name="taxi-pulse:zones">). */
export async function loadZoneShapes(): Promise<Set<number>> {
  const url = document.querySelector<HTMLMetaElement>('meta[name="taxi-pulse:zones"]')?.content;
  if (!url) throw new Error('the page does not say where the zone shapes are');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the zone shapes did not load (HTTP ${response.status})`);
  const shapes = (await response.json()) as ZoneShapes;
  // ECharts matches regions to data by `properties.name`; zone names repeat (three islands share one), ids do not.
  const keyed = {
    ...shapes,
    features: shapes.features.map((zone) => ({ ...zone, properties: { ...zone.properties, name: String(zone.properties.id) } })),
  };
  echarts.registerMap(MAP_NAME, keyed as unknown as Parameters<typeof echarts.registerMap>[1]);
  return new Set(shapes.features.map((zone) => zone.properties.id));
}

export class ZoneMapPanel extends InsightPanel<ZoneFlowsAnswer> {
  private readonly chart: Chart;
  private readonly note: HTMLParagraphElement;
  private readonly metricPicker: HTMLSelectElement;
  private filters?: Filters;

  constructor(
    context: PanelContext,
    /** The zones that have a shape. */
    private readonly shaped: ReadonlySet<number>,
  ) {
    super(context, 'zone-map');
    const label = element('label', 'control');
    append(label, element('span')).textContent = 'Colour by ';
    this.metricPicker = append(label, element('select'));
    this.metricPicker.name = 'map';
    for (const metric of MAP_METRICS) {
      const option = append(this.metricPicker, element('option'));
      option.value = metric;
      option.textContent = metric === 'net' ? 'Net flow' : METRIC_LABELS[metric];
    }
    this.metricPicker.addEventListener('change', () =>
      this.context.navigate((filters) => ({ ...filters, mapMetric: this.metricPicker.value as MapMetric })),
    );
    this.frame.addControl(label);
    this.chart = createChart(this.frame.addBlock('chart chart-map'));
    this.note = append(this.frame.addBlock('panel-note'), element('p'));
    this.chart.on('click', (params: { name?: string }) => {
      const zoneId = Number(params.name);
      if (!Number.isInteger(zoneId)) return;
      this.context.navigate((filters) =>
        withScope(filters, filters.zoneId === zoneId ? (filters.borough ? { borough: filters.borough } : {}) : { zoneId }),
      );
    });
  }

  private mapBorough(filters: Filters) {
    return filters.zoneId !== undefined ? undefined : filters.borough;
  }

  protected title(filters: Filters) {
    const borough = this.mapBorough(filters);
    const where = borough ? this.context.zones.boroughName(borough) : 'New York City';
    return {
      title: `Taxi zones by ${METRIC_LABELS[filters.mapMetric].toLowerCase()}`,
      subtitle: `${where}, ${formatDateRange(filters.from, filters.through)} · click a zone to filter every panel to it`,
    };
  }

  protected load(filters: Filters, signal: AbortSignal): Promise<ZoneFlowsAnswer> {
    this.metricPicker.value = filters.mapMetric;
    const borough = this.mapBorough(filters);
    return this.context.client.query<ZoneFlowsAnswer>(
      ZONE_FLOWS_QUERY,
      { range: rangeOf(filters), ...(borough ? { borough } : {}) },
      { signal },
    );
  }

  protected render({ zoneFlows }: ZoneFlowsAnswer, filters: Filters): void {
    this.filters = filters;
    if (zoneFlows.zones.length === 0) {
      this.frame.showMessage(`No pickups or drop-offs between ${formatDateRange(filters.from, filters.through)} here.`, 'empty');
      return;
    }
    const metric = filters.mapMetric;
    const scale = metric === 'net' ? signedLog : log;
    const values = zoneFlows.zones.filter((zone) => this.shaped.has(zone.zoneId)).map((zone) => scale(zone[metric]));
    const extent = Math.max(1e-9, ...values.map(Math.abs));
    const fontSize = chartFontSize();
    const flowsById = new Map(zoneFlows.zones.map((zone) => [zone.zoneId, zone]));
    this.chart.draw({
      textStyle: { fontSize },
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (params: { name: string }) => this.tooltip(Number(params.name), flowsById.get(Number(params.name))),
      },
      visualMap: {
        type: 'continuous',
        min: metric === 'net' ? -extent : 0,
        max: extent,
        left: 8,
        bottom: 8,
        calculable: false,
        itemHeight: 140,
        text: metric === 'net' ? ['cabs pile up', 'cabs leave'] : [`more ${METRIC_LABELS[metric].toLowerCase()}`, 'fewer'],
        formatter: (value: number) => Math.round(metric === 'net' ? signedUnlog(value) : unlog(value)).toLocaleString('en-US'),
        inRange: { color: metric === 'net' ? PUOR : VIRIDIS },
        textStyle: { fontSize },
      },
      series: [
        {
          name: METRIC_LABELS[metric],
          type: 'map',
          map: MAP_NAME,
          roam: true,
          aspectScale: ASPECT_SCALE,
          layoutCenter: ['50%', '50%'],
          layoutSize: '95%',
          selectedMode: false,
          label: { show: false },
          itemStyle: { areaColor: '#e5e5e5', borderColor: '#ffffff', borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#F0E442', borderColor: '#000000', borderWidth: 1.5 } },
          data: zoneFlows.zones
            .filter((zone) => this.shaped.has(zone.zoneId))
            .map((zone) => ({
              name: String(zone.zoneId),
              value: scale(zone[metric]),
              ...(zone.zoneId === filters.zoneId ? { itemStyle: { borderColor: '#D55E00', borderWidth: 3 } } : {}),
            })),
        },
      ],
    });
    const unshaped = zoneFlows.zones.filter((zone) => !this.shaped.has(zone.zoneId));
    this.note.textContent =
      `${zoneFlows.totalPickups.toLocaleString('en-US')} pickups, ${zoneFlows.totalDropoffs.toLocaleString('en-US')} drop-offs. ` +
      (unshaped.length > 0
        ? `Not on the map (no shape): ${unshaped.map((zone) => `${zone.zoneName} (zone ${zone.zoneId}): ${zone.pickups.toLocaleString('en-US')} pickups, ${zone.dropoffs.toLocaleString('en-US')} drop-offs`).join('; ')}.`
        : '') +
      ' Colours on a logarithmic scale.';
    this.frame.showContent([this.table(zoneFlows, filters)]);
  }

  private tooltip(zoneId: number, flow: ZoneFlow | undefined): string {
    const zone = this.context.zones.get(zoneId);
    const name = escapeHtml(flow?.zoneName ?? zone?.name ?? `zone ${zoneId}`);
    const borough = escapeHtml(zone ? this.context.zones.boroughName(zone.borough) : '');
    const head = `<b>${name}</b><br>${borough} · zone ${zoneId}`;
    if (!flow) return `${head}<br>no pickups or drop-offs in the range`;
    const signed = (value: number) => (value > 0 ? `+${value.toLocaleString('en-US')}` : value.toLocaleString('en-US'));
    const selected = this.filters?.zoneId === zoneId ? 'click to show all zones again' : 'click to filter every panel to this zone';
    return `${head}<br>Pickups: ${flow.pickups.toLocaleString('en-US')}<br>Drop-offs: ${flow.dropoffs.toLocaleString('en-US')}<br>Net: ${signed(flow.net)}<br><i>${selected}</i>`;
  }

  private table(zoneFlows: ZoneFlowsAnswer['zoneFlows'], filters: Filters): TableData {
    const borough = this.mapBorough(filters);
    return {
      key: 'zone-flows',
      title: `Pickups, drop-offs and net flow per zone (${zoneFlows.totalPickups.toLocaleString('en-US')} pickups, ${zoneFlows.totalDropoffs.toLocaleString('en-US')} drop-offs)`,
      fileName: `zone-flows-${slug(borough ?? 'new-york-city')}-${filters.from}-${filters.through}`,
      columns: [
        { key: 'zoneId', label: 'Zone', kind: 'count' },
        { key: 'zoneName', label: 'Name', kind: 'text' },
        { key: 'borough', label: 'Borough', kind: 'text' },
        { key: 'pickups', label: 'Pickups', kind: 'count' },
        { key: 'dropoffs', label: 'Drop-offs', kind: 'count' },
        { key: 'net', label: 'Net', kind: 'count' },
      ],
      rows: zoneFlows.zones.map((zone) => [zone.zoneId, zone.zoneName, zone.borough, zone.pickups, zone.dropoffs, zone.net]),
    };
  }
}

// Counts per zone span four orders of magnitude (airports and Midtown against the outer boroughs):
// a logarithmic colour scale keeps the quiet zones apart.
function log(value: number): number {
  return Math.log10(1 + Math.max(0, value));
}
function unlog(value: number): number {
  return 10 ** value - 1;
}
function signedLog(value: number): number {
  return Math.sign(value) * Math.log10(1 + Math.abs(value));
}
function signedUnlog(value: number): number {
  return Math.sign(value) * (10 ** Math.abs(value) - 1);
}
