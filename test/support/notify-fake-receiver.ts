import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  path: string;
  body: unknown;
}

export interface FakeReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** hold the answer this long (a slow receiver) */
  delayMs?: number;
}

// A local receiver that behaves like Slack, Alertmanager or a webhook endpoint: it records each
// request with its arrival time and answers from a script (then with the default reply).
export class FakeReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: FakeReply[] = [];
  private server: Server | null = null;
  url = '';

  constructor(private readonly fallback: FakeReply = { status: 200, body: 'ok' }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  reply(...replies: FakeReply[]): void {
    this.script.push(...replies);
  }

  bodies<T>(): T[] {
    return this.requests.map((r) => r.body as T);
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep raw text
    }
    this.requests.push({ at, path: req.url ?? '', body });
    const reply = this.script.shift() ?? this.fallback;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body ?? '');
  }
}
