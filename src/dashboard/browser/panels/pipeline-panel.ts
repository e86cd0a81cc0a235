/**
 * Panel 6, the live pipeline: polls pipelineStatus every few seconds and shows the iterator age of each
 * shard over time, accepted trips per second (the change of acceptedTrips between two polls), and the
 * rejected trips by reason. A replay into the stack visibly moves it.
 */
import { PIPELINE_STATUS_QUERY, type PipelineStatus, type PipelineStatusAnswer } from '../api/queries';
import { formatDateTime, formatElapsed } from '../calendar';
import { chartFontSize, createChart, OKABE_ITO, valueAxis, type Chart } from '../charts';
import type { TableData } from '../table-data';
import { append, element, PanelFrame, type PanelContext } from './panel';

/** How often the panel asks (ms). */
export const PIPELINE_POLL_MS = 3000;
/** Samples kept for the time series: 5 minutes at the poll interval. */
const SAMPLES_KEPT = 100;

interface Sample {
  /** Browser time of the answer (ms since the epoch). */
  readonly at: number;
  readonly status: PipelineStatus;
  /** Accepted trips per second since the previous sample; null for the first. */
  readonly acceptedPerSecond: number | null;
}

export class PipelinePanel {
  readonly frame = new PanelFrame('pipeline', { wide: false });
  private readonly kpis: HTMLDivElement;
  private readonly ageChart: Chart;
  private readonly rateChart: Chart;
  private readonly rejectionChart: Chart;
  private readonly samples: Sample[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;

  constructor(
    private readonly context: PanelContext,
    /** Told when acceptedTrips changed, so that the insight panels can refresh. */
    private readonly onNewTrips: () => void,
  ) {
    this.frame.setTitle(
      'Live pipeline: lag per shard, accepted trips per second, rejections',
      `refreshed every ${PIPELINE_POLL_MS / 1000} s`,
    );
    this.kpis = this.frame.addBlock('kpis');
    const charts = this.frame.addBlock('chart-row');
    this.ageChart = createChart(append(charts, element('div', 'chart chart-small')));
    this.rateChart = createChart(append(charts, element('div', 'chart chart-small')));
    this.rejectionChart = createChart(this.frame.addBlock('chart chart-small'));
  }

  get element(): HTMLElement {
    return this.frame.element;
  }

  /** Polls until stop(); the first answer is drawn as soon as it comes. */
  start(): void {
    this.stopped = false;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The latest status, if any. */
  latest(): PipelineStatus | undefined {
    return this.samples.at(-1)?.status;
  }

  private async poll(): Promise<void> {
    try {
      const { pipelineStatus } = await this.context.client.query<PipelineStatusAnswer>(PIPELINE_STATUS_QUERY);
      this.context.onApiAnswer();
      this.record(pipelineStatus);
      this.render();
    } catch (error) {
      this.context.onApiError(error);
      if (this.samples.length === 0)
        this.frame.showMessage('No pipeline status: the API did not answer (see the message at the top).', 'error');
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), PIPELINE_POLL_MS);
  }

  private record(status: PipelineStatus): void {
    const at = Date.now();
    const previous = this.samples.at(-1);
    const acceptedPerSecond = previous
      ? Math.max(0, status.counts.acceptedTrips - previous.status.counts.acceptedTrips) / Math.max(0.001, (at - previous.at) / 1000)
      : null;
    this.samples.push({ at, status, acceptedPerSecond });
    if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
    if (previous && previous.status.counts.acceptedTrips !== status.counts.acceptedTrips) this.onNewTrips();
  }

  private render(): void {
    const { status } = this.samples.at(-1)!;
    const fontSize = chartFontSize();
    this.renderKpis(status);
    const time = (at: number) => new Date(at).toLocaleTimeString('en-GB', { hour12: false });
    const shardIds = [...new Set(this.samples.flatMap((sample) => sample.status.shards.map((shard) => shard.shardId)))].sort();
    const base = { textStyle: { fontSize }, animation: false, grid: { left: 72, right: 16, top: 36, bottom: 28 } };
    this.ageChart.draw({
      ...base,
      legend: { top: 0, type: 'scroll', textStyle: { fontSize } },
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${Math.round(value).toLocaleString('en-US')} ms` },
      xAxis: { type: 'category', data: this.samples.map((sample) => time(sample.at)), axisLabel: { fontSize, hideOverlap: true } },
      yAxis: valueAxis('Iterator age (ms)', fontSize, { nameGap: 56 }),
      series: shardIds.map((shardId, index) => ({
        name: shortShardId(shardId),
        type: 'line',
        symbol: 'none',
        itemStyle: { color: OKABE_ITO[index % OKABE_ITO.length] },
        data: this.samples.map((sample) => sample.status.shards.find((shard) => shard.shardId === shardId)?.iteratorAgeMs ?? null),
      })),
    });
    this.rateChart.draw({
      ...base,
      legend: { top: 0, textStyle: { fontSize } },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: number | null) => (value === null ? '–' : `${Math.round(value).toLocaleString('en-US')} trips/s`),
      },
      xAxis: { type: 'category', data: this.samples.map((sample) => time(sample.at)), axisLabel: { fontSize, hideOverlap: true } },
      yAxis: valueAxis('Trips per second', fontSize),
      series: [
        {
          name: 'Accepted trips per second',
          type: 'line',
          symbol: 'none',
          areaStyle: { opacity: 0.25 },
          itemStyle: { color: OKABE_ITO[2] },
          data: this.samples.map((sample) => sample.acceptedPerSecond),
        },
      ],
    });
    const reasons = [...status.counts.rejectedByReason].sort((a, b) => a.trips - b.trips || b.reason.localeCompare(a.reason));
    this.rejectionChart.draw({
      ...base,
      grid: { left: 200, right: 48, top: 28, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: number) => `${value.toLocaleString('en-US')} trips`,
      },
      xAxis: { type: 'value', name: 'Rejected trips', minInterval: 1, axisLabel: { fontSize } },
      yAxis: { type: 'category', data: reasons.map((entry) => entry.reason), axisLabel: { fontSize } },
      series: [
        {
          name: 'Rejected trips',
          type: 'bar',
          data: reasons.map((entry) => entry.trips),
          itemStyle: { color: OKABE_ITO[5] },
          label: { show: true, position: 'right', fontSize },
        },
      ],
    });
    this.frame.showContent(this.tables(status));
  }

  private renderKpis(status: PipelineStatus): void {
    const figures: [string, string, string][] = [
      ['accepted', 'Accepted trips', status.counts.acceptedTrips.toLocaleString('en-US')],
      ['duplicates', 'Duplicates', status.counts.duplicateTrips.toLocaleString('en-US')],
      ['rejected', 'Rejected', status.counts.rejectedTrips.toLocaleString('en-US')],
      ['poison', 'Poison records', status.counts.poisonRecords.toLocaleString('en-US')],
      // The processor reports the age at its last batch: once the stream is idle that figure stays, so
      // the time since that batch is shown beside it (an idle pipeline is not a lagging one).
      ['max-age', 'Max iterator age, last batch', `${Math.round(status.maxIteratorAgeMs).toLocaleString('en-US')} ms`],
      ['last-batch', 'Last batch applied', status.lastAppliedAt ? formatElapsed(Date.parse(status.lastAppliedAt), Date.now()) : 'never'],
      ['last-event', 'Newest trip counted', status.lastEventAt ? formatDateTime(status.lastEventAt) : '–'],
    ];
    this.kpis.replaceChildren(
      ...figures.map(([key, label, value]) => {
        const figure = element('div', 'kpi');
        figure.dataset.kpi = key;
        append(figure, element('span', 'kpi-value')).textContent = value;
        append(figure, element('span', 'kpi-label')).textContent = label;
        return figure;
      }),
    );
  }

  private tables(status: PipelineStatus): TableData[] {
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '');
    return [
      {
        key: 'pipeline-counts',
        title: 'What the pipeline took in',
        fileName: `pipeline-counts-${stamp}`,
        columns: [
          { key: 'acceptedTrips', label: 'Accepted trips', kind: 'count' },
          { key: 'duplicateTrips', label: 'Duplicate trips', kind: 'count' },
          { key: 'rejectedTrips', label: 'Rejected trips', kind: 'count' },
          { key: 'poisonRecords', label: 'Poison records', kind: 'count' },
          { key: 'maxIteratorAgeMs', label: 'Max iterator age', kind: 'milliseconds' },
          { key: 'lastEventAt', label: 'Newest trip counted', kind: 'datetime' },
          { key: 'lastAppliedAt', label: 'Last batch applied', kind: 'datetime' },
        ],
        rows: [
          [
            status.counts.acceptedTrips,
            status.counts.duplicateTrips,
            status.counts.rejectedTrips,
            status.counts.poisonRecords,
            status.maxIteratorAgeMs,
            status.lastEventAt,
            status.lastAppliedAt,
          ],
        ],
      },
      {
        key: 'pipeline-shards',
        title: 'Shards',
        fileName: `pipeline-shards-${stamp}`,
        columns: [
          { key: 'shardId', label: 'Shard', kind: 'text' },
          { key: 'iteratorAgeMs', label: 'Iterator age', kind: 'milliseconds' },
          { key: 'lastAppliedAt', label: 'Last batch applied', kind: 'datetime' },
          { key: 'lastRecordArrivedAt', label: 'Last record arrived', kind: 'datetime' },
          { key: 'lastSequenceNumber', label: 'Last sequence number', kind: 'text' },
        ],
        rows: status.shards.map((shard) => [
          shard.shardId,
          shard.iteratorAgeMs,
          shard.lastAppliedAt,
          shard.lastRecordArrivedAt,
          shard.lastSequenceNumber,
        ]),
      },
      {
        key: 'pipeline-rejections',
        title: 'Rejected trips by reason',
        fileName: `pipeline-rejections-${stamp}`,
        columns: [
          { key: 'reason', label: 'Reason', kind: 'text' },
          { key: 'trips', label: 'Trips', kind: 'count' },
        ],
        rows: status.counts.rejectedByReason.map((entry) => [entry.reason, entry.trips]),
      },
      {
        key: 'pipeline-rate',
        title: 'Accepted trips per second (this page’s polls)',
        fileName: `pipeline-rate-${stamp}`,
        columns: [
          { key: 'polledAt', label: 'Polled at', kind: 'text' },
          { key: 'acceptedTrips', label: 'Accepted trips', kind: 'count' },
          { key: 'acceptedPerSecond', label: 'Trips per second', kind: 'decimal' },
        ],
        rows: this.samples.map((sample) => [
          new Date(sample.at).toISOString(),
          sample.status.counts.acceptedTrips,
          sample.acceptedPerSecond,
        ]),
      },
    ];
  }
}

/** `shardId-000000000001` → `shard 1`. */
function shortShardId(shardId: string): string {
  const match = /(\d+)$/.exec(shardId);
  return match ? `shard ${Number(match[1])}` : shardId;
}
