/**
 * Panel 1, peak hours: trips by weekday and local hour as a heatmap (peakHours.byHourOfWeek), and the
 * ten busiest hours of the range.
 */
import { PEAK_HOURS_QUERY, type PeakHoursAnswer } from '../api/queries';
import { formatDateRange, formatDateTime, weekdayName } from '../calendar';
import { chartFontSize, createChart, OKABE_ITO, VIRIDIS, type Chart } from '../charts';
import { rangeOf, scopeOf, type Filters } from '../filters';
import { slug, type TableData } from '../table-data';
import { InsightPanel, scopeLabel, type PanelContext } from './panel';

const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);
const DAYS = [1, 2, 3, 4, 5, 6, 7];

export class PeakHoursPanel extends InsightPanel<PeakHoursAnswer> {
  private readonly heatmap: Chart;
  private readonly topHours: Chart;

  constructor(context: PanelContext) {
    super(context, 'peak-hours');
    this.heatmap = createChart(this.frame.addBlock('chart chart-tall'));
    this.topHours = createChart(this.frame.addBlock('chart chart-small'));
  }

  protected title(filters: Filters) {
    return {
      title: 'Trips by weekday and hour, and the 10 busiest hours',
      subtitle: `${scopeLabel(filters, this.context.zones)}, ${formatDateRange(filters.from, filters.through)} · pickups, New York local time`,
    };
  }

  protected load(filters: Filters, signal: AbortSignal): Promise<PeakHoursAnswer> {
    return this.context.client.query<PeakHoursAnswer>(PEAK_HOURS_QUERY, { range: rangeOf(filters), ...scopeOf(filters) }, { signal });
  }

  protected render({ peakHours }: PeakHoursAnswer, filters: Filters): void {
    if (peakHours.totalTrips === 0) {
      this.frame.showMessage(
        `No trips picked up in ${scopeLabel(filters, this.context.zones)} between ${formatDateRange(filters.from, filters.through)}.`,
        'empty',
      );
      return;
    }
    const fontSize = chartFontSize();
    const max = Math.max(1, ...peakHours.byHourOfWeek.map((cell) => cell.trips));
    this.heatmap.draw({
      textStyle: { fontSize },
      animation: false,
      grid: { left: 48, right: 16, top: 8, bottom: 72 },
      tooltip: {
        formatter: (params: { value: [number, number, number] }) => {
          const [hour, day, trips] = params.value;
          return `${weekdayName(DAYS[day])} ${HOURS[hour]}–${HOURS[(hour + 1) % 24]}<br><b>${trips.toLocaleString('en-US')}</b> trips`;
        },
      },
      xAxis: { type: 'category', data: HOURS, splitArea: { show: true }, axisLabel: { fontSize, interval: 2 } },
      // Monday at the top, as a week is read.
      yAxis: { type: 'category', data: DAYS.map(weekdayName), inverse: true, axisLabel: { fontSize } },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 180,
        text: ['more trips', 'fewer'],
        inRange: { color: VIRIDIS },
        textStyle: { fontSize },
      },
      series: [
        {
          name: 'Trips',
          type: 'heatmap',
          data: peakHours.byHourOfWeek.map((cell) => [cell.hourOfDay, cell.dayOfWeek - 1, cell.trips]),
          emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
        },
      ],
    });
    const top = [...peakHours.top].reverse();
    this.topHours.draw({
      textStyle: { fontSize },
      animation: false,
      grid: { left: 156, right: 56, top: 8, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: number) => `${value.toLocaleString('en-US')} trips`,
      },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
      yAxis: {
        type: 'category',
        data: top.map((hour) => formatDateTime(hour.hourStart).replace(/ \d{4} /, ' ')),
        axisLabel: { fontSize },
      },
      series: [
        {
          name: 'Trips',
          type: 'bar',
          data: top.map((hour) => hour.trips),
          itemStyle: { color: OKABE_ITO[0] },
          label: { show: true, position: 'right', fontSize },
        },
      ],
    });
    const name = `${slug(scopeLabel(filters, this.context.zones))}-${filters.from}-${filters.through}`;
    const tables: TableData[] = [
      {
        key: 'peak-week',
        title: 'Trips by weekday and hour',
        fileName: `trips-by-weekday-hour-${name}`,
        columns: [
          { key: 'dayOfWeek', label: 'Weekday (1 = Monday)', kind: 'count' },
          { key: 'weekday', label: 'Weekday', kind: 'text' },
          { key: 'hourOfDay', label: 'Hour', kind: 'count' },
          { key: 'trips', label: 'Trips', kind: 'count' },
        ],
        rows: peakHours.byHourOfWeek.map((cell) => [cell.dayOfWeek, weekdayName(cell.dayOfWeek), cell.hourOfDay, cell.trips]),
      },
      {
        key: 'peak-top',
        title: `The ${peakHours.top.length} busiest hours (of ${peakHours.totalTrips.toLocaleString('en-US')} trips)`,
        fileName: `busiest-hours-${name}`,
        columns: [
          { key: 'hourStart', label: 'Hour', kind: 'datetime' },
          { key: 'trips', label: 'Trips', kind: 'count' },
        ],
        rows: peakHours.top.map((hour) => [hour.hourStart, hour.trips]),
      },
    ];
    this.frame.showContent(tables);
  }
}
