import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

// Runs the compiled service (src/main.js next to this bench in the build output) in its own
// process, as in production, so the load generator does not share its event loop. As in
// production it requires a token (every request pays the guard): send `token` as Bearer.

export interface RunningWavewatch {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  stop(): Promise<void>;
  /** ends it with this signal (SIGKILL: the restart tests) and waits for the exit */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** the last 20,000 characters it wrote */
  output(): string;
}

/** `main`: another build's src/main.js (e.g. to compare with the main branch) */
export async function startWavewatch(env: Record<string, string> = {}, main = fileURLToPath(new URL('../src/main.js', import.meta.url))): Promise<RunningWavewatch> {
  const token = benchToken();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', WAVEWATCH_API_TOKENS: token, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
      const match = /wavewatch listening on (http:\/\/\S+?)"/.exec(output);
      if (match) resolve(match[1]!.replace('[::1]', '127.0.0.1'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`wavewatch exited (${code}): ${output}`)));
  });
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, token, pid: child.pid!, stop: () => kill('SIGTERM'), kill, output: () => output };
}

/** A fresh all-scope token for a bench's own wavewatch. */
export const benchToken = (): string => randomBytes(24).toString('base64url');
