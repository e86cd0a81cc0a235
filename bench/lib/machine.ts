/** The machine a benchmark ran on, as BENCHMARKS.md reports it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memory: string;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  date: string;
}

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1].trim();
  } catch {
    // not Linux: os.cpus() is as good
  }
  const free = run('free', ['-h']);
  const memLine = free?.split('\n').find((line) => line.startsWith('Mem:'));
  return {
    nproc: Number(run('nproc', []) ?? cpus().length),
    cpuModel,
    memory: memLine ? memLine.replace(/\s+/g, ' ') : `${Math.round(totalmem() / 2 ** 30)} GiB`,
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
