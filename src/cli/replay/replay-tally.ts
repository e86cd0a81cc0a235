/**
 * The running counts of a replay, and the progress reports and summary made from them. Trips count
 * as sent once their call is answered, so sent = accepted + rejected at every moment.
 */
import type { IngestAnswer } from '../api-client/ingest-client';
import type { TlcUnreadableRow } from '../tlc/tlc-row';

/** How far a replay is, as its progress display shows it. */
export interface ReplayProgress {
  file: string;
  sent: number;
  accepted: number;
  rejected: number;
  unreadable: number;
  totalRows?: number;
  tripsPerSecond: number;
}

/** What a replay did, once it ends (or is stopped). */
export interface ReplaySummary {
  files: string[];
  sent: number;
  accepted: number;
  rejectedByReason: Record<string, number>;
  unreadable: number;
  unreadableSamples: Array<{ file: string; row: number; field: string; reason: string }>;
  elapsedMs: number;
}

/** Enough unreadable rows to show what is wrong with a file without flooding the summary. */
export const UNREADABLE_SAMPLE_LIMIT = 20;

export class ReplayTally {
  private sent = 0;
  private accepted = 0;
  private rejected = 0;
  private unreadable = 0;
  private readonly rejectedByReason: Record<string, number> = {};
  private readonly unreadableSamples: ReplaySummary['unreadableSamples'] = [];
  private readonly startedAt: number;

  constructor(
    private readonly files: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Counts a row that could not be a trip, keeping the first few as samples. */
  addUnreadable(file: string, row: TlcUnreadableRow): void {
    this.unreadable += 1;
    if (this.unreadableSamples.length < UNREADABLE_SAMPLE_LIMIT) {
      this.unreadableSamples.push({ file, row: row.row, field: row.field, reason: row.reason });
    }
  }

  /** Counts an answered call of `sent` trips. */
  addAnswer(sent: number, answer: IngestAnswer): void {
    this.sent += sent;
    this.accepted += answer.accepted;
    this.rejected += answer.rejected.length;
    for (const rejection of answer.rejected) this.rejectedByReason[rejection.reason] = (this.rejectedByReason[rejection.reason] ?? 0) + 1;
  }

  private elapsedMs(): number {
    return Math.max(0, this.now() - this.startedAt);
  }

  /** A progress report for the file being replayed; totalRows counts the rows of all files. */
  progress(file: string, totalRows: number | undefined): ReplayProgress {
    const elapsedSeconds = this.elapsedMs() / 1000;
    return {
      file,
      sent: this.sent,
      accepted: this.accepted,
      rejected: this.rejected,
      unreadable: this.unreadable,
      totalRows,
      tripsPerSecond: elapsedSeconds > 0 ? this.sent / elapsedSeconds : 0,
    };
  }

  summary(): ReplaySummary {
    return {
      files: [...this.files],
      sent: this.sent,
      accepted: this.accepted,
      rejectedByReason: { ...this.rejectedByReason },
      unreadable: this.unreadable,
      unreadableSamples: this.unreadableSamples.map((sample) => ({ ...sample })),
      elapsedMs: this.elapsedMs(),
    };
  }
}
