/**
 * A real HTTP API source on 127.0.0.1 for tests and benchmarks: serves items in pages
 * (`GET /<source>?cursor=N` → `{ items, next }`, Bearer token) and injects the faults a
 * pull must survive: 500, 429 with Retry-After, a response slower than the timeout,
 * malformed JSON, and a connection dropped mid-body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'status500' | 'status429' | 'slow' | 'malformed' | 'drop' | 'status401';

export interface Fault {
  /** Cursor of the request to fault ('' = the first page); any request when omitted. */
  cursor?: string;
  kind: FaultKind;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** slow: delay in ms; status429: Retry-After seconds (default 1). */
  value?: number;
}

export interface TestApiServer {
  url: string;
  port: number;
  token: string;
  /** Items per source path, mutable (append to simulate new data for an incremental pull). */
  items: Map<string, Record<string, unknown>[]>;
  faults: Fault[];
  /** Every request: path, cursor ('' for none), status sent (0 = dropped). */
  requests: { path: string; cursor: string; status: number }[];
  pageSize: number;
  close(): Promise<void>;
}

export async function startTestApiServer(
  options: { token?: string; pageSize?: number; items?: Record<string, Record<string, unknown>[]> } = {},
): Promise<TestApiServer> {
  const token = options.token ?? 'test-token';
  const state = {
    items: new Map(Object.entries(options.items ?? {})),
    faults: [] as Fault[],
    requests: [] as TestApiServer['requests'],
    pageSize: options.pageSize ?? 1000,
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/+/, '');
    const cursor = url.searchParams.get('cursor') ?? '';
    const log = (status: number) => state.requests.push({ path, cursor, status });
    if (req.headers.authorization !== `Bearer ${token}`) {
      log(401);
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const all = state.items.get(path);
    if (!all) {
      log(404);
      res.writeHead(404).end();
      return;
    }
    const fault = state.faults.find(
      (f) => (f.times ?? 1) > 0 && (f.cursor === undefined || f.cursor === cursor),
    );
    if (fault) fault.times = (fault.times ?? 1) - 1;
    const offset = cursor === '' ? 0 : Number(cursor);
    const page = all.slice(offset, offset + state.pageSize);
    const next = offset + state.pageSize < all.length ? String(offset + state.pageSize) : null;
    const body = JSON.stringify({ items: page, next });
    switch (fault?.kind) {
      case 'status500':
        log(500);
        res.writeHead(500).end('internal error');
        return;
      case 'status401':
        log(401);
        res.writeHead(401).end();
        return;
      case 'status429':
        log(429);
        res.writeHead(429, { 'Retry-After': String(fault.value ?? 1) }).end();
        return;
      case 'malformed':
        log(200);
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(body.slice(0, Math.floor(body.length / 2)) + '}}');
        return;
      case 'drop':
        log(0);
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
        });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      case 'slow': {
        log(200);
        const t = setTimeout(() => {
          if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
        }, fault.value ?? 2000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      default:
        log(200);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    get items() {
      return state.items;
    },
    get faults() {
      return state.faults;
    },
    set faults(f: Fault[]) {
      state.faults = f;
    },
    get requests() {
      return state.requests;
    },
    get pageSize() {
      return state.pageSize;
    },
    set pageSize(n: number) {
      state.pageSize = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
