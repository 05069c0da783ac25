import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GrafanaRequest {
  at: number;
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface GrafanaFault {
  status: 401 | 429 | 500;
  retryAfter?: string;
}

// Grafana's annotations HTTP API as documented (grafana.com/docs/grafana/latest/developers/
// http_api/annotations/): POST /api/annotations → 200 {"message":"Annotation added","id":N};
// PATCH /api/annotations/:id → 200 {"message":"Annotation patched"}; a bad token → 401
// {"message":"Unauthorized"}. Faults can be scripted ahead of the normal answers.
export class FakeGrafana {
  readonly requests: GrafanaRequest[] = [];
  readonly annotations = new Map<number, Record<string, unknown>>();
  private readonly faults: GrafanaFault[] = [];
  private nextId = 1;
  private server: Server | null = null;
  url = '';

  constructor(private readonly token: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  fail(...faults: GrafanaFault[]): void {
    this.faults.push(...faults);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} Grafana requests, got ${this.requests.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    this.requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const fault = this.faults.shift();
    if (fault?.status === 429) return send(429, { message: 'Too many requests' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    if (fault?.status === 500) return send(500, { message: 'Internal Server Error' });
    if (fault?.status === 401 || req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Unauthorized' });
    const patch = /^\/api\/annotations\/(\d+)$/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/api/annotations') {
      if (typeof body.text !== 'string' || typeof body.time !== 'number') return send(400, { message: 'bad request data' });
      const id = this.nextId++;
      this.annotations.set(id, body);
      return send(200, { message: 'Annotation added', id });
    }
    if (req.method === 'PATCH' && patch) {
      const existing = this.annotations.get(Number(patch[1]));
      if (!existing) return send(404, { message: 'Annotation not found' });
      this.annotations.set(Number(patch[1]), { ...existing, ...body });
      return send(200, { message: 'Annotation patched' });
    }
    return send(404, { message: 'Not found' });
  }
}
