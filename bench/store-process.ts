import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// A metrics store (Prometheus, VictoriaMetrics) run as a child process on a throw-away
// directory: started, polled until `readyUrl` answers, stopped by its own pid only.

export interface StoreProcess {
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

export async function startStoreProcess(name: string, binary: string, args: readonly string[], dir: string, readyUrl: string): Promise<StoreProcess> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(name, readyUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, stop };
}

async function waitReady(name: string, url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not ready after 15 s: ${stderr()}`);
}
