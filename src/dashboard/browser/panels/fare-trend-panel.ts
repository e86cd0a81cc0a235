/**
 * Panel 3, fare trends: per bucket the average fare, the median with the band up to the 90th
 * percentile, and the fare per mile (right axis).
 */
import { FARE_TREND_QUERY, type FareTrendAnswer } from '../api/queries';
import { formatBucket, formatDateRange } from '../calendar';
import { chartFontSize, createChart, SERIES, valueAxis, type Chart } from '../charts';
import { rangeOf, scopeOf, type Filters } from '../filters';
import { slug, type TableData } from '../table-data';
import { InsightPanel, scopeLabel, type PanelContext } from './panel';

const GRANULARITY_WORDS = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

export class FareTrendPanel extends InsightPanel<FareTrendAnswer> {
  private readonly chart: Chart;

  constructor(context: PanelContext) {
    super(context, 'fare-trend');
    this.chart = createChart(this.frame.addBlock('chart chart-tall'));
  }

  protected title(filters: Filters) {
    return {
      title: `Fares per ${GRANULARITY_WORDS[filters.granularity]}: average, median to 90th percentile, fare per mile`,
      subtitle: `${scopeLabel(filters, this.context.zones)}, ${formatDateRange(filters.from, filters.through)} · metered fare in dollars, by pickup time`,
    };
  }

  protected load(filters: Filters, signal: AbortSignal): Promise<FareTrendAnswer> {
    return this.context.client.query<FareTrendAnswer>(
      FARE_TREND_QUERY,
      { range: rangeOf(filters), granularity: filters.granularity, ...scopeOf(filters) },
      { signal },
    );
  }

  protected render({ fareTrend }: FareTrendAnswer, filters: Filters): void {
    const { buckets, granularity } = fareTrend;
    if (buckets.length === 0) {
      this.frame.showMessage(
        `No trips picked up in ${scopeLabel(filters, this.context.zones)} between ${formatDateRange(filters.from, filters.through)}.`,
        'empty',
      );
      return;
    }
    const labels = buckets.map((bucket) => formatBucket(bucket.start, granularity));
    const fontSize = chartFontSize();
    const money = (value: number | null) => (value === null ? '–' : `$${value.toFixed(2)}`);
    this.chart.draw({
      textStyle: { fontSize },
      animation: false,
      grid: { left: 64, right: 64, top: 40, bottom: 36 },
      // The invisible base of the band has no legend entry.
      legend: { top: 0, data: ['Average fare', 'Median fare', 'Median to p90', 'Fare per mile'], textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const bucket = buckets[params[0].dataIndex];
          return [
            `<b>${labels[params[0].dataIndex]}</b> · ${bucket.trips.toLocaleString('en-US')} trips`,
            `Average fare: ${money(bucket.averageFare)}`,
            `Median fare: ${money(bucket.medianFare)}`,
            `90th percentile: ${money(bucket.p90Fare)}`,
            `Fare per mile: ${money(bucket.averageFarePerMile)}`,
            `Average tip: ${money(bucket.averageTip)} · average total: ${money(bucket.averageTotal)}`,
          ].join('<br>');
        },
      },
      xAxis: { type: 'category', data: labels, axisLabel: { fontSize, hideOverlap: true } },
      yAxis: [
        valueAxis('Fare', fontSize, { axisLabel: { fontSize, formatter: '${value}' } }),
        valueAxis('Fare per mile', fontSize, { axisLabel: { fontSize, formatter: '${value}' }, splitLine: { show: false } }),
      ],
      series: [
        // The band: an invisible base at the median, stacked with the distance up to p90.
        {
          name: 'band-base',
          type: 'line',
          stack: 'band',
          data: buckets.map((b) => b.medianFare),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
          tooltip: { show: false },
        },
        {
          name: 'Median to p90',
          type: 'line',
          stack: 'band',
          data: buckets.map((b) => b.p90Fare - b.medianFare),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          areaStyle: { color: SERIES.band },
          itemStyle: { color: SERIES.band },
        },
        {
          name: 'Median fare',
          type: 'line',
          data: buckets.map((b) => b.medianFare),
          itemStyle: { color: SERIES.primary },
          lineStyle: { type: 'dashed' },
          symbolSize: 4,
        },
        {
          name: 'Average fare',
          type: 'line',
          data: buckets.map((b) => b.averageFare),
          itemStyle: { color: SERIES.primary },
          lineStyle: { width: 3 },
          symbolSize: 5,
        },
        {
          name: 'Fare per mile',
          type: 'line',
          yAxisIndex: 1,
          data: buckets.map((b) => b.averageFarePerMile),
          itemStyle: { color: SERIES.secondary },
          symbolSize: 4,
        },
      ],
    });
    this.frame.showContent([this.table(fareTrend, filters)]);
  }

  private table({ buckets, granularity }: FareTrendAnswer['fareTrend'], filters: Filters): TableData {
    return {
      key: 'fare-buckets',
      title: `Fares per ${GRANULARITY_WORDS[granularity]}`,
      fileName: `fares-${slug(scopeLabel(filters, this.context.zones))}-${filters.from}-${filters.through}-${granularity.toLowerCase()}`,
      granularity,
      columns: [
        { key: 'start', label: 'Bucket', kind: 'bucket' },
        { key: 'trips', label: 'Trips', kind: 'count' },
        { key: 'averageFare', label: 'Average fare', kind: 'money' },
        { key: 'medianFare', label: 'Median fare', kind: 'money' },
        { key: 'p90Fare', label: '90th percentile fare', kind: 'money' },
        { key: 'averageFarePerMile', label: 'Fare per mile', kind: 'money' },
        { key: 'averageTip', label: 'Average tip', kind: 'money' },
        { key: 'averageTotal', label: 'Average total', kind: 'money' },
      ],
      rows: buckets.map((b) => [
        b.start,
        b.trips,
        b.averageFare,
        b.medianFare,
        b.p90Fare,
        b.averageFarePerMile,
        b.averageTip,
        b.averageTotal,
      ]),
    };
  }
}
