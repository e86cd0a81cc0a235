/**
 * The shape of each benchmark's raw results (bench/results/<name>.json, `figures`): what the bench
 * writes (writeResult checks it) and what the report reads (readResult returns it). Older result
 * files may lack the fields marked optional; the report says so instead of failing.
 */
import type { ProfileSummary } from './cpu-profile';
import type { PhaseBreakdown } from './phases';
import type { CostInputs } from './prices';
import type { RunOutput } from './throughput-run';
import type { OperationTally } from './capacity';

/** min / median / max of repeated measurements, and (max - min) / median in percent (stats.spread). */
export interface Spread {
  min: number;
  median: number;
  max: number;
  spreadPct: number;
}

export interface Percentiles {
  p50: number;
  p99: number;
}

// ---- 1. throughput ----

export interface ThroughputModeSummary {
  pipelineTripsPerSecond: Spread;
  floorTripsPerSecond: Spread;
  ratios: number[];
  medianRatio: number;
  pipelineCpuMsPerTrip: { processor: number; emulators: number[] };
  floorCpuMsPerTrip: { bench: number; emulators: number[] };
  peakRssMb: Array<Record<string, number>>;
}

/** The pipeline of another commit, run interleaved with this tree's (bench/throughput.ts --baseline). */
export interface ThroughputBaselineSummary {
  pipelineTripsPerSecond: Spread;
  pipelineCpuMsPerTrip: { processor: number; emulators: number[] };
  /** This tree's pipeline trips/s over the baseline's, per repetition. */
  ratios: number[];
  medianRatio: number;
}

export interface ThroughputFigures {
  options: { trips: number; reps: number; modes: string; profile: boolean; baseline?: string };
  runs: RunOutput[];
  summary: { e2e?: ThroughputModeSummary; drain?: ThroughputModeSummary };
  baseline?: {
    ref: string;
    commit: string;
    subject: string;
    runs: RunOutput[];
    summary: { e2e?: ThroughputBaselineSummary; drain?: ThroughputBaselineSummary };
  };
  profile?: Record<string, ProfileSummary>;
  phases?: PhaseBreakdown[];
}

// ---- 2. write units ----

export interface DesignFigures {
  design: string;
  batchSize?: number;
  shards?: number;
  trips: number;
  writeUnits: number;
  writeUnitsPerTrip: number;
  readUnitsPerTrip: number;
  /** UpdateItem units recomputed from item sizes by AWS's rules; null when not checked. */
  awsRuleUpdateUnits: number | null;
  dynaliteUpdateUnits: number;
  byOperation: Record<string, Omit<OperationTally, 'itemSizes'> & { unitsPerTrip: number }>;
  itemsWrittenPerTrip: number;
  updatedItemBytes?: { p50: number; p90: number; max: number };
  invocationMs?: { median: number; p90: number };
  seconds: number;
  /** By item kind (`ZONE#DAY`...): sizes by AWS's rules, and how much of them is exactly-once marks. */
  aggregateItems?: Record<string, { count: number; medianBytes: number; maxBytes: number; markBytesPerItem: number }>;
  /** The processor's own sum of write units (BatchReport.writeUnits); the meter adds the status put. */
  batchReportWriteUnits?: number;
}

export interface CostFigures {
  batchSize?: number;
  shards?: number;
  inputs: CostInputs;
  /** Dollars per million trips, by service, and `total`. */
  perMillionTrips: Record<string, number>;
}

export interface WriteUnitsFigures {
  options: { trips: number; shards: number; naiveTrips: number; awsShards: number; batchSizes: string; baseline?: string };
  designs: DesignFigures[];
  costs: CostFigures[];
  apiMsPerCallSource: string;
  /** The same bench of another commit, with the same flags (write-units.ts --baseline). */
  baseline?: { ref: string; commit: string; subject: string; designs: DesignFigures[]; costs: CostFigures[] };
}

// ---- 3. query latency ----

export interface QueryLatencyRound {
  bare: Percentiles & { mean: number; count: number };
  http: Percentiles & { mean: number; requests: number; errors: number; non2xx: number };
}

export interface QueryCaseFigures {
  name: string;
  /** A one-year range (the 400-item budget). */
  year: boolean;
  /** Hours of partial first and last days a zoneFlows range reads besides whole days (the budget allows them). */
  partialDayHours?: number;
  itemsRead: number;
  readUnits: number;
  answerBytes: number;
  rounds: QueryLatencyRound[];
  httpP50: number;
  httpP99: number;
  httpMean: number;
  bareP50: number;
  bareP99: number;
  bareMean: number;
  ratioP50: number;
  ratioMean: number;
}

export interface QueryWhatIf {
  name: string;
  items: number;
  /** Decoding every item read (aggregateFromItem, or flowsFromItem for flow items), ms. */
  aggregateFromItemMs: number;
  bareQueryMs?: number;
  projectedQueryMs?: number;
  useCaseMs?: { read: number; compute: number; json: number };
}

export interface QueryLatencyFigures {
  options: { seconds: number; yearRequests: number; rounds: number; zone: number; profile: boolean };
  seed: { trips: number; items: number; seconds: number };
  results: QueryCaseFigures[];
  profile?: ProfileSummary;
  whatIf?: QueryWhatIf[];
}

// ---- 4. freshness ----

export interface FreshnessRun {
  pollIntervalMs: number;
  calls: number;
  trips: number;
  tripsPerSecondSent: number;
  callLatencyMs: Percentiles;
  freshnessMs: Percentiles & { p90: number; max: number };
  freshnessLowerBoundMs: Percentiles;
  callCompleteMs: Percentiles;
  pollLatencyMs: Percentiles;
  polls: number;
  uncounted: number;
}

export interface FreshnessFigures {
  options: {
    seconds: number;
    reps: number;
    pollMs: number;
    lambdaPoll: boolean;
    tripsPerCall: number;
    callsPerSecond: number;
    warmupSeconds: number;
    profile: boolean;
    sweep: string;
    warmupRun: number;
  };
  shardPoll: FreshnessRun[];
  lambdaPoll: FreshnessRun[];
  sweep?: FreshnessRun[];
  summary: { p50: number; p99: number; lowerBoundP99: number; lambdaPollP50?: number; lambdaPollP99?: number };
  profile?: Record<string, ProfileSummary>;
}

// ---- 5. ingest ----

export interface IngestRun {
  order: string;
  api: { tripsPerSecond: number; seconds: number; callMs: Percentiles };
  bare: { tripsPerSecond: number; seconds: number };
}

export interface IngestFigures {
  options: { trips: number; reps: number; concurrency: number; singleCalls: number; profile: boolean };
  apiMsPerCall: number;
  singleCallMs: Percentiles;
  runs: IngestRun[];
  summary: { apiTripsPerSecond: Spread; bareTripsPerSecond: Spread; ratios: number[]; medianRatio: number };
  profile?: ProfileSummary;
}

// ---- 6. bundles ----

export interface BundleFigures {
  name: string;
  variant: string;
  entry: string;
  outfile: string;
  bytes: number;
  kb: number;
  gzipKb: number;
  sourceMapKb: number;
  limitKb: number;
  withinLimit: boolean;
  topInputs: Array<{ place: string; kb: number }>;
}

export interface ColdInitFigures {
  name: string;
  variant: string;
  sourceMaps: boolean;
  reps: number;
  nodeStartMs: number;
  loadMs: Spread;
  firstInvokeMs: Spread;
  initMs: Spread;
  warmInvokeMs: Spread;
}

export interface BundlesFigures {
  options: { reps: number; target: string; recordsPerEvent: number; profile: boolean };
  esbuildVersion: string;
  bundles: BundleFigures[];
  coldInits: ColdInitFigures[];
  profiles?: Record<string, ProfileSummary>;
}

// ---- 7. memory ----

export interface ProcessMemory {
  main: number;
  emulators: number[];
}

export interface MemoryFigures {
  options?: { trips: number; maxBacklog: number; concurrency: number; keepDataDir: boolean };
  trips: number;
  seconds: number;
  tripsPerSecond: number;
  baselineRssMb: ProcessMemory;
  peakRssMb: ProcessMemory & { tree: number };
  rssAtMb: Record<'25%' | '50%' | '75%' | '100%', ProcessMemory>;
  slopeMbPer100kTrips: ProcessMemory & { mainAnon?: number; emulatorsAnon?: number[]; emulatorsFile?: number[] };
  peakAnonMb?: ProcessMemory;
  dataDirMb: number;
}

// ---- 8. the API under abuse ----

export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface ApiLoadRound {
  order: string;
  /** The well-behaved readers alone. */
  alone: LatencyFigures;
  /** The same readers beside the abusive client. */
  beside: LatencyFigures;
  abuser: LatencyFigures & { statusCodes: Record<string, { count: number }> };
  p99Ratio: number;
}

export interface ApiLoadFigures {
  options: { seconds: number; rounds: number; readers: number; abusers: number };
  limits: Record<string, number>;
  readerQueries: string[];
  abusiveOperations: Array<{ name: string; allowed: boolean; estimatedItems: number; bytes: number }>;
  rounds: ApiLoadRound[];
  medianP99Ratio: number;
}

// ---- 9. fuzzing ----

export interface FuzzFigures {
  options: { runs: number; seed: number };
  tried: number;
  failure?: { input: string; reason: string };
  statusCounts: Record<string, number>;
  maxMs: number;
  p99Ms: number;
  servesAfterwards: boolean;
  seconds: number;
}

// ---- 10. forecast and pressure latency ----

export interface ForecastCaseFigures {
  name: string;
  itemsRead: number;
  queries: number;
  answerBytes: number;
  rounds: Array<{ httpP50: number; bareP50: number; useCaseP50: number; useCaseReadP50: number }>;
  httpP50: number;
  bareP50: number;
  /** The use case in-process (read + model), and its read alone. */
  useCaseP50: number;
  useCaseReadP50: number;
}

export interface PressureCaseFigures {
  name: string;
  itemsRead: number;
  keys: number;
  /** Zones with a pickup or drop-off in the items. */
  zones: number;
  answerBytes: number;
  rounds: Array<{ httpP50: number; bareP50: number; useCaseP50: number; computeP50: number }>;
  /** The GraphQL query over HTTP (autocannon, one connection). */
  httpP50: number;
  /** Bare BatchGetItem of the keys. */
  bareP50: number;
  /** BatchGetItem, decoding and the pressure of every zone, in-process. */
  useCaseP50: number;
  /** The pressure of every zone alone (computeDemandPressure). */
  computeP50: number;
}

export interface ForecastLatencyFigures {
  options: { seconds: number; rounds: number; zone: number; samples: number };
  seed: { trips: number; items: number; flowItems: number; seconds: number };
  forecasts: ForecastCaseFigures[];
  pressures: PressureCaseFigures[];
}

/** One pass of a month through the processor (history bench). */
export interface HistoryStreamRun {
  label: string;
  trips: number;
  seconds: number;
  tripsPerSecond: number;
  writeUnitsPerTrip: number;
}

/** One rebuild of the month from its lake (history bench). */
export interface HistoryRebuildRun {
  ledger: boolean;
  trips: number;
  seconds: number;
  tripsPerSecond: number;
  /** Reading the lake and summing (the rest is writing). */
  readSeconds: number;
  /** Every write of the rebuild (ledger included when written). */
  writeUnitsPerTrip: number;
  /** Aggregate, flow and counters items and the stamp only. */
  aggregateWriteUnitsPerTrip: number;
  items: number;
}

export interface HistoryFigures {
  options: Record<string, number>;
  monthTrips: number;
  ordered: HistoryStreamRun;
  shuffledDefault: HistoryStreamRun;
  shuffledKeepOrder: HistoryStreamRun;
  rebuildAggregates: HistoryRebuildRun;
  rebuildWithLedger: HistoryRebuildRun;
  shuffledVsOrdered: number;
  rebuildVsOrdered: number;
  sql: {
    reps: number;
    lakeFiles: number;
    savedQueryP50Ms: number;
    savedQueryMaxMs: number;
    tripsViewP50Ms: number;
    tripsViewMaxMs: number;
  };
}

// ---- 12. the dashboard page ----

/** The page's first drawing of each panel, ms from the navigation's start (medians over the loads). */
export interface DashboardLoadSummary {
  firstPanelMs: number;
  allPanelsMs: number;
  panelMs: Record<string, number>;
}

export interface DashboardLoadFigures {
  options: { reps: number };
  /** The shipped month, loaded through ingestTrips and processed before the page opens. */
  seed: { trips: number; seconds: number };
  build: { scriptKb: number; scriptGzipKb: number; stylesGzipKb: number; zonesKb: number; zonesGzipKb: number; buildMs: number };
  loads: Array<DashboardLoadSummary & { cache: 'cold' | 'warm'; domContentLoadedMs: number }>;
  /** A fresh browser context each time (nothing cached). */
  cold: DashboardLoadSummary;
  /** Reloaded in the same context (scripts and zone shapes cached). */
  warm: DashboardLoadSummary;
}

/** Each result file's figures, by the file's name. */
export interface ResultFigures {
  throughput: ThroughputFigures;
  'write-units': WriteUnitsFigures;
  'query-latency': QueryLatencyFigures;
  freshness: FreshnessFigures;
  ingest: IngestFigures;
  bundles: BundlesFigures;
  memory: MemoryFigures;
  'memory-1m': MemoryFigures;
  'api-load': ApiLoadFigures;
  fuzz: FuzzFigures;
  'forecast-latency': ForecastLatencyFigures;
  history: HistoryFigures;
  dashboard: DashboardLoadFigures;
}

export type ResultName = keyof ResultFigures;
