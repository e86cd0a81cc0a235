/**
 * Panel 4, operations: per bucket the trip duration (median and 90th percentile) with the average
 * speed, the revenue, and how riders paid (share of trips per payment type).
 */
import { OPERATIONS_QUERY, PAYMENT_TYPES, type OperationsAnswer, type PaymentType } from '../api/queries';
import { formatBucket, formatDateRange } from '../calendar';
import { chartFontSize, createChart, OKABE_ITO, SERIES, valueAxis, type Chart } from '../charts';
import { rangeOf, scopeOf, type Filters } from '../filters';
import { slug, type TableData } from '../table-data';
import { append, element, InsightPanel, scopeLabel, type PanelContext } from './panel';

const GRANULARITY_WORDS = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
const PAYMENT_LABELS: Record<PaymentType, string> = {
  FLEX_FARE: 'Flex fare',
  CARD: 'Card',
  CASH: 'Cash',
  NO_CHARGE: 'No charge',
  DISPUTE: 'Dispute',
  UNKNOWN: 'Unknown',
  VOIDED: 'Voided',
};

export class OperationsPanel extends InsightPanel<OperationsAnswer> {
  private readonly durations: Chart;
  private readonly revenue: Chart;
  private readonly payments: Chart;

  constructor(context: PanelContext) {
    super(context, 'operations');
    this.durations = createChart(this.frame.addBlock('chart chart-small'));
    const row = this.frame.addBlock('chart-row');
    this.revenue = createChart(append(row, element('div', 'chart chart-small')));
    this.payments = createChart(append(row, element('div', 'chart chart-small')));
  }

  protected title(filters: Filters) {
    return {
      title: `Operations per ${GRANULARITY_WORDS[filters.granularity]}: trip duration, speed, revenue, payment mix`,
      subtitle: `${scopeLabel(filters, this.context.zones)}, ${formatDateRange(filters.from, filters.through)} · by pickup time`,
    };
  }

  protected load(filters: Filters, signal: AbortSignal): Promise<OperationsAnswer> {
    return this.context.client.query<OperationsAnswer>(
      OPERATIONS_QUERY,
      { range: rangeOf(filters), granularity: filters.granularity, ...scopeOf(filters) },
      { signal },
    );
  }

  protected render({ operations }: OperationsAnswer, filters: Filters): void {
    const { buckets, granularity } = operations;
    if (buckets.length === 0) {
      this.frame.showMessage(
        `No trips picked up in ${scopeLabel(filters, this.context.zones)} between ${formatDateRange(filters.from, filters.through)}.`,
        'empty',
      );
      return;
    }
    const labels = buckets.map((bucket) => formatBucket(bucket.start, granularity));
    const fontSize = chartFontSize();
    const base = { textStyle: { fontSize }, animation: false };
    const xAxis = { type: 'category', data: labels, axisLabel: { fontSize, hideOverlap: true } };
    const minutes = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} min`);
    this.durations.draw({
      ...base,
      grid: { left: 64, right: 64, top: 40, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const bucket = buckets[params[0].dataIndex];
          return [
            `<b>${labels[params[0].dataIndex]}</b> · ${bucket.trips.toLocaleString('en-US')} trips`,
            `Median duration: ${minutes(bucket.medianDurationMinutes)}`,
            `90th percentile: ${minutes(bucket.p90DurationMinutes)}`,
            `Average duration: ${minutes(bucket.averageDurationMinutes)}`,
            `Average speed: ${bucket.averageSpeedMph === null ? '–' : `${bucket.averageSpeedMph.toFixed(1)} mph`}`,
          ].join('<br>');
        },
      },
      xAxis,
      yAxis: [valueAxis('Minutes', fontSize), valueAxis('mph', fontSize, { splitLine: { show: false } })],
      series: [
        {
          name: 'Median duration',
          type: 'line',
          data: buckets.map((b) => b.medianDurationMinutes),
          itemStyle: { color: SERIES.primary },
          lineStyle: { width: 3 },
          symbolSize: 4,
        },
        {
          name: 'p90 duration',
          type: 'line',
          data: buckets.map((b) => b.p90DurationMinutes),
          itemStyle: { color: SERIES.primary },
          lineStyle: { type: 'dashed' },
          symbolSize: 4,
        },
        {
          name: 'Average speed',
          type: 'line',
          yAxisIndex: 1,
          data: buckets.map((b) => b.averageSpeedMph),
          itemStyle: { color: SERIES.secondary },
          symbolSize: 4,
        },
      ],
    });
    this.revenue.draw({
      ...base,
      grid: { left: 80, right: 16, top: 40, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: number) => `$${Math.round(value).toLocaleString('en-US')}`,
      },
      xAxis,
      yAxis: valueAxis('Revenue ($)', fontSize, { nameGap: 56 }),
      series: [
        { name: 'Revenue (total charged)', type: 'bar', data: buckets.map((b) => b.revenue), itemStyle: { color: SERIES.tertiary } },
      ],
    });
    const tripsOf = (bucket: (typeof buckets)[number], type: PaymentType) =>
      bucket.paymentMix.find((entry) => entry.paymentType === type)?.trips ?? 0;
    const share = (bucket: (typeof buckets)[number], type: PaymentType) => (bucket.trips === 0 ? 0 : tripsOf(bucket, type) / bucket.trips);
    // The chart stacks only the payment types riders used in the range (the table lists all seven);
    // each keeps its colour whatever the range, so that a colour always means the same type.
    const used = PAYMENT_TYPES.map((type, index) => ({ type, index })).filter(({ type }) =>
      buckets.some((bucket) => tripsOf(bucket, type) > 0),
    );
    this.payments.draw({
      ...base,
      // Up to seven names: the legend wraps onto a second line rather than hiding some behind arrows.
      grid: { left: 64, right: 16, top: 60, bottom: 28 },
      legend: { top: 0, left: 8, right: 8, itemGap: 8, textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: number) => `${(value * 100).toFixed(1)}%`,
      },
      xAxis,
      yAxis: valueAxis('Share of trips', fontSize, {
        max: 1,
        axisLabel: { fontSize, formatter: (value: number) => `${Math.round(value * 100)}%` },
      }),
      series: used.map(({ type, index }) => ({
        name: PAYMENT_LABELS[type],
        type: 'bar',
        stack: 'mix',
        itemStyle: { color: OKABE_ITO[index % OKABE_ITO.length] },
        data: buckets.map((bucket) => share(bucket, type)),
      })),
    });
    this.frame.showContent([this.table(operations, filters)]);
  }

  private table({ buckets, granularity }: OperationsAnswer['operations'], filters: Filters): TableData {
    return {
      key: 'operations-buckets',
      title: `Operations per ${GRANULARITY_WORDS[granularity]}`,
      fileName: `operations-${slug(scopeLabel(filters, this.context.zones))}-${filters.from}-${filters.through}-${granularity.toLowerCase()}`,
      granularity,
      columns: [
        { key: 'start', label: 'Bucket', kind: 'bucket' },
        { key: 'trips', label: 'Trips', kind: 'count' },
        { key: 'revenue', label: 'Revenue', kind: 'money' },
        { key: 'averageDurationMinutes', label: 'Average duration (min)', kind: 'decimal' },
        { key: 'medianDurationMinutes', label: 'Median duration (min)', kind: 'decimal' },
        { key: 'p90DurationMinutes', label: 'p90 duration (min)', kind: 'decimal' },
        { key: 'averageSpeedMph', label: 'Average speed (mph)', kind: 'decimal' },
        { key: 'averagePassengers', label: 'Average passengers', kind: 'decimal' },
        { key: 'cardTipRate', label: 'Card tip rate', kind: 'percent' },
        ...PAYMENT_TYPES.map((type) => ({ key: `payment${type}`, label: `${PAYMENT_LABELS[type]} trips`, kind: 'count' as const })),
      ],
      rows: buckets.map((b) => [
        b.start,
        b.trips,
        b.revenue,
        b.averageDurationMinutes,
        b.medianDurationMinutes,
        b.p90DurationMinutes,
        b.averageSpeedMph,
        b.averagePassengers,
        b.cardTipRate,
        ...PAYMENT_TYPES.map((type) => b.paymentMix.find((entry) => entry.paymentType === type)?.trips ?? 0),
      ]),
    };
  }
}
