/**
 * Panel 5, the demand forecast: expected trips per local hour with the 80% interval, next to the
 * trips actually counted in those hours. It forecasts the last week of the chosen range (its last 7
 * days, or all of a shorter range) from the data before it, which is a backtest for a past range and a
 * forecast for the present. The API learns only from whole days before the window's first day, so the
 * forecast never sees the hours it is compared with. The panel exists only where the API has
 * demandForecast.
 */
import { DEMAND_FORECAST_QUERY, type DemandForecastAnswer } from '../api/queries';
import { addDays, formatBucket, formatDate, formatDateRange, formatDateTime } from '../calendar';
import { chartFontSize, createChart, SERIES, valueAxis, type Chart } from '../charts';
import { scopeOf, type Filters } from '../filters';
import { forecastWindow, hoursInWindow } from '../forecast-window';
import { slug, type TableData } from '../table-data';
import { append, element, InsightPanel, scopeLabel, type PanelContext } from './panel';

export class ForecastPanel extends InsightPanel<DemandForecastAnswer> {
  private readonly chart: Chart;
  private readonly note: HTMLParagraphElement;

  constructor(context: PanelContext) {
    super(context, 'forecast');
    this.chart = createChart(this.frame.addBlock('chart chart-tall'));
    this.note = append(this.frame.addBlock('panel-note'), element('p'));
  }

  protected title(filters: Filters) {
    const { firstDay, lastDay } = forecastWindow(filters);
    return {
      title: 'Demand forecast per hour with its 80% interval, against the trips counted',
      subtitle: `${scopeLabel(filters, this.context.zones)}, ${formatDateRange(firstDay, lastDay)} · forecast from the data before ${formatDateRange(firstDay, firstDay)}`,
    };
  }

  protected load(filters: Filters, signal: AbortSignal): Promise<DemandForecastAnswer> {
    const { firstDay, lastDay, hours } = forecastWindow(filters);
    return this.context.client.query<DemandForecastAnswer>(
      DEMAND_FORECAST_QUERY,
      { from: `${firstDay}T00:00:00`, hours, ...scopeOf(filters), actualRange: { from: firstDay, to: addDays(lastDay, 1) } },
      { signal },
    );
  }

  protected render({ demandForecast, actual }: DemandForecastAnswer, filters: Filters): void {
    const { firstDay, lastDay } = forecastWindow(filters);
    const forecast = hoursInWindow(demandForecast.hours, lastDay);
    // The API's note names its argument (`from`); here that is the window's first day.
    const note = demandForecast.note.replace(/`from`/g, formatDate(firstDay));
    if (forecast.length === 0) {
      // NO_HISTORY: the API's note says there was nothing before the window to learn from.
      this.frame.showMessage(
        `No forecast for ${scopeLabel(filters, this.context.zones)}, ${formatDateRange(firstDay, lastDay)}. ${note}`,
        'empty',
      );
      return;
    }
    // Hours without trips are absent from fareTrend's buckets: they count 0.
    const actualByHour = new Map(actual.buckets.map((bucket) => [bucket.start, bucket.trips]));
    const actualOf = (hourStart: string) => actualByHour.get(hourStart) ?? 0;
    const labels = forecast.map((hour) => formatBucket(hour.hourStart, 'HOUR'));
    const fontSize = chartFontSize();
    this.chart.draw({
      textStyle: { fontSize },
      animation: false,
      grid: { left: 64, right: 16, top: 40, bottom: 36 },
      legend: { top: 0, data: ['Expected trips', '80% interval', 'Trips counted'], textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const hour = forecast[params[0].dataIndex];
          return [
            `<b>${labels[params[0].dataIndex]}</b>`,
            `Expected: ${hour.expectedTrips.toFixed(1)} (80%: ${hour.low}–${hour.high})`,
            `Counted: ${actualOf(hour.hourStart).toLocaleString('en-US')}`,
          ].join('<br>');
        },
      },
      xAxis: { type: 'category', data: labels, axisLabel: { fontSize, hideOverlap: true } },
      yAxis: valueAxis('Trips per hour', fontSize),
      series: [
        {
          name: 'interval-base',
          type: 'line',
          stack: 'interval',
          data: forecast.map((hour) => hour.low),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
        },
        {
          name: '80% interval',
          type: 'line',
          stack: 'interval',
          data: forecast.map((hour) => hour.high - hour.low),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          areaStyle: { color: SERIES.band },
          itemStyle: { color: SERIES.band },
        },
        {
          name: 'Expected trips',
          type: 'line',
          data: forecast.map((hour) => hour.expectedTrips),
          itemStyle: { color: SERIES.primary },
          lineStyle: { width: 2 },
          symbol: 'none',
        },
        {
          name: 'Trips counted',
          type: 'line',
          data: forecast.map((hour) => actualOf(hour.hourStart)),
          itemStyle: { color: SERIES.secondary },
          symbol: 'none',
        },
      ],
    });
    const history = demandForecast.history
      ? `learned from ${formatDateTime(demandForecast.history.from)} to ${formatDateTime(demandForecast.history.to)}`
      : 'no history';
    this.note.textContent = `${note} Model: ${demandForecast.method}.`;
    this.note.dataset.quality = demandForecast.quality;
    const table: TableData = {
      key: 'forecast-hours',
      title: `Forecast (${demandForecast.method}, ${history}) and trips counted`,
      fileName: `forecast-${slug(scopeLabel(filters, this.context.zones))}-${firstDay}-${lastDay}`,
      columns: [
        { key: 'hourStart', label: 'Hour', kind: 'datetime' },
        { key: 'expectedTrips', label: 'Expected trips', kind: 'decimal' },
        { key: 'low', label: '80% low', kind: 'decimal' },
        { key: 'high', label: '80% high', kind: 'decimal' },
        { key: 'actualTrips', label: 'Trips counted', kind: 'count' },
      ],
      rows: forecast.map((hour) => [hour.hourStart, hour.expectedTrips, hour.low, hour.high, actualOf(hour.hourStart)]),
    };
    this.frame.showContent([table]);
  }
}
