/**
 * Panel 5, the demand forecast: expected trips per local hour with the 80% interval, next to the
 * trips actually counted in those hours. It forecasts the last week of the chosen range (up to 168
 * hours) from the data before it, which is a backtest for a past range and a forecast for the present.
 * The panel exists only where the API has demandForecast.
 */
import { DEMAND_FORECAST_QUERY, type DemandForecastAnswer } from '../api/queries';
import { addDays, daysBetween, formatBucket, formatDateRange, formatDateTime } from '../calendar';
import { chartFontSize, createChart, SERIES, valueAxis, type Chart } from '../charts';
import { scopeOf, type Filters } from '../filters';
import { slug, type TableData } from '../table-data';
import { InsightPanel, scopeLabel, type PanelContext } from './panel';

const FORECAST_DAYS = 7;

/** The forecast window of the filters: the last (up to) 7 days of the range. */
export function forecastWindow(filters: Filters): { firstDay: string; lastDay: string; hours: number } {
  const days = Math.min(FORECAST_DAYS, daysBetween(filters.from, filters.through) + 1);
  const firstDay = addDays(filters.through, 1 - days);
  return { firstDay, lastDay: filters.through, hours: days * 24 };
}

export class ForecastPanel extends InsightPanel<DemandForecastAnswer> {
  private readonly chart: Chart;

  constructor(context: PanelContext) {
    super(context, 'forecast');
    this.chart = createChart(this.frame.addBlock('chart chart-tall'));
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
    const forecast = demandForecast.hours;
    if (forecast.length === 0) {
      this.frame.showMessage('The API returned no forecast hours for this range.', 'empty');
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
            `Expected: ${hour.expectedTrips.toFixed(1)} (80%: ${hour.low.toFixed(1)}–${hour.high.toFixed(1)})`,
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
    const { firstDay, lastDay } = forecastWindow(filters);
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
