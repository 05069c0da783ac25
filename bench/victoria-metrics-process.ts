import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './prometheus-process.js';
import { startStoreProcess } from './store-process.js';

// Starts Debian's VictoriaMetrics 1.79 single node on 127.0.0.1 with a throw-away data
// directory, for the pull tests and bench. Retention 100y so simulated history of any date is
// kept; the response cache is off because tests load the past after querying it.

export const VICTORIA_METRICS_BINARY = '/usr/bin/victoria-metrics';

export interface RunningVictoriaMetrics {
  readonly url: string;
  readonly pid: number;
  /** makes everything written so far searchable */
  flush(): Promise<void>;
  /** user + system CPU seconds the process has used (from /proc/<pid>/stat) */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export function victoriaMetricsAvailable(binary = VICTORIA_METRICS_BINARY): boolean {
  return spawnSync(binary, ['-version'], { stdio: 'ignore' }).status === 0;
}

export async function startVictoriaMetrics(extraArgs: readonly string[] = []): Promise<RunningVictoriaMetrics> {
  const dir = mkdtempSync(join(tmpdir(), 'wavewatch-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, 'data')}`, '-retentionPeriod=100y', '-search.disableCache', '-loggerLevel=ERROR', ...extraArgs];
  const { pid, stop } = await startStoreProcess('victoria-metrics', VICTORIA_METRICS_BINARY, args, dir, `${url}/health`);
  return {
    url,
    pid,
    flush: async () => {
      await fetch(`${url}/internal/force_flush`);
    },
    cpuSeconds: () => processCpuSeconds(pid),
    stop,
  };
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks) */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}
