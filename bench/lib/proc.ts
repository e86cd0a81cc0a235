/**
 * Resident memory and CPU time of processes from /proc (Linux): the bench and the emulator children
 * it forks, or the whole tree of `npm start`.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcSample {
  pid: number;
  command: string;
  rssBytes: number;
  /** Peak RSS so far (VmHWM). */
  hwmBytes: number;
  /** Anonymous resident memory (heap, stacks, malloc): what a leak grows. */
  rssAnonBytes: number;
  /** File-backed resident pages (e.g. memory-mapped database files), which the kernel can drop. */
  rssFileBytes: number;
  /** user + system CPU time, ms. */
  cpuMs: number;
}

export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
    return {
      pid,
      command: cmdline,
      rssBytes: kb('VmRSS'),
      hwmBytes: kb('VmHWM'),
      rssAnonBytes: kb('RssAnon'),
      rssFileBytes: kb('RssFile'),
      cpuMs: (cpuTicks * 1000) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every descendant of `root` (children, grandchildren...), not `root` itself. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(pid);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** A short role for a process of the stack: dynalite / kinesalite child, or the node running the stack. */
export function roleOf(sample: ProcSample): string {
  if (sample.command.includes('emulator-process.cjs')) return 'emulator';
  return sample.command.split(' ').slice(0, 3).join(' ').slice(0, 80);
}

/** Samples RSS and CPU of a set of processes every `intervalMs` until stopped. */
export class ProcMonitor {
  readonly series: Array<{ atMs: number; samples: ProcSample[] }> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();

  constructor(
    private readonly pids: () => number[],
    private readonly intervalMs = 500,
  ) {}

  start(): this {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  tick(): { atMs: number; samples: ProcSample[] } {
    const entry = { atMs: Date.now() - this.startedAt, samples: this.pids().flatMap((pid) => sampleProc(pid) ?? []) };
    this.series.push(entry);
    return entry;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.tick();
  }

  /** Peak RSS per pid over the samples, and CPU time used between the first and last sample. */
  summary(): Array<{ pid: number; command: string; peakRssMb: number; cpuMs: number }> {
    const byPid = new Map<number, { command: string; peak: number; firstCpu: number; lastCpu: number }>();
    for (const { samples } of this.series) {
      for (const sample of samples) {
        const entry = byPid.get(sample.pid);
        if (!entry)
          byPid.set(sample.pid, { command: sample.command, peak: sample.rssBytes, firstCpu: sample.cpuMs, lastCpu: sample.cpuMs });
        else {
          entry.peak = Math.max(entry.peak, sample.rssBytes, sample.hwmBytes);
          entry.lastCpu = sample.cpuMs;
        }
      }
    }
    return [...byPid].map(([pid, entry]) => ({
      pid,
      command: entry.command.slice(0, 120),
      peakRssMb: Math.round((entry.peak / 2 ** 20) * 10) / 10,
      cpuMs: Math.round(entry.lastCpu - entry.firstCpu),
    }));
  }
}
