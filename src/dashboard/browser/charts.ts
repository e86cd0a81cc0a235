/**
 * Apache ECharts, with only the parts the panels draw (tree-shaken through echarts/core: heatmap,
 * map, line and bar charts, their axes, tooltips, legends and colour scales, on canvas), and the
 * palettes: colour-blind-safe throughout (viridis for counts, PuOr for net flows, Okabe–Ito for
 * categories).
 */
import { BarChart, HeatmapChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  HeatmapChart,
  MapChart,
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;

/** A chart in a host element that may be hidden (a panel showing its table, or its message). */
export interface Chart {
  /** Draws `option` (replacing what was drawn); while the host is hidden, as soon as it shows. */
  draw(option: ChartOption): void;
  on(event: 'click', handler: (params: { name?: string }) => void): void;
}

/** Viridis, dark (few) to bright (many): sequential, perceptually even, readable with any colour vision. */
export const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

/** PuOr, purple (negative) through white to orange (positive): a diverging scale safe for colour-blind readers. */
export const PUOR = [
  '#2d004b',
  '#542788',
  '#8073ac',
  '#b2abd2',
  '#d8daeb',
  '#f7f7f7',
  '#fee0b6',
  '#fdb863',
  '#e08214',
  '#b35806',
  '#7f3b08',
];

/** Okabe–Ito: categories distinguishable under every common colour-vision deficiency. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** The colours of the line charts' series, in order. */
export const SERIES = {
  primary: OKABE_ITO[0],
  secondary: OKABE_ITO[1],
  tertiary: OKABE_ITO[2],
  band: 'rgba(0, 114, 178, 0.18)',
} as const;

/**
 * Starts a chart in `host`, resized with it. ECharts lays a chart out at its host's size: drawn while
 * hidden (size 0) a map's projection cannot be inverted, so a hidden host keeps the option until it
 * shows again.
 */
export function createChart(host: HTMLElement): Chart {
  const chart = echarts.init(host, null, { renderer: 'canvas' });
  let pending: ChartOption | undefined;
  const visible = () => host.clientWidth > 0 && host.clientHeight > 0;
  const fit = () => {
    if (chart.getWidth() !== host.clientWidth || chart.getHeight() !== host.clientHeight) chart.resize();
  };
  new ResizeObserver(() => {
    if (!visible()) return;
    fit();
    if (pending) {
      const option = pending;
      pending = undefined;
      chart.setOption(option, { notMerge: true });
    }
  }).observe(host);
  return {
    draw(option) {
      if (!visible()) {
        pending = option;
        return;
      }
      pending = undefined;
      fit();
      chart.setOption(option, { notMerge: true });
    },
    on: (event, handler) => chart.on(event, handler as (params: unknown) => void),
  };
}

/** Text sizes that stay readable from across a room on a 1080p wall screen and on a laptop alike. */
export function chartFontSize(): number {
  return window.innerWidth >= 1800 ? 14 : 12;
}

/** A value axis from 0, its name written along it (a name on top would collide with the legend). */
export function valueAxis(name: string, fontSize: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 48,
    nameTextStyle: { fontSize },
    min: 0,
    axisLabel: { fontSize },
    ...extra,
  };
}

/** HTML-escapes text from the API before it goes into a tooltip. */
export function escapeHtml(text: string): string {
  return echarts.format.encodeHTML(text);
}
