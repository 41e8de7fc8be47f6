import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiContext } from './context';
import { dispatch } from './dispatch';

/**
 * Loopback bridge: serves the built renderer and the contract at POST /api/<method> on
 * 127.0.0.1, guarded by a random per-run token. For tests, browser development and
 * screenshots only; the packaged app never starts it (it uses IPC).
 */
export interface Bridge {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const MAX_BODY = 8 * 1024 * 1024;

export async function startBridge(options: {
  context: Omit<ApiContext, 'transport'>;
  rendererDir: string;
  port?: number;
  token?: string;
}): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const ctx: ApiContext = { ...options.context, transport: 'bridge' };
  const root = normalize(options.rendererDir);

  const server = createServer((req, res) => {
    handle(req, res).catch((e) =>
      send(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(e) } }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (url.pathname.startsWith('/api/')) {
      if (!authorized(req))
        return send(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'token required' } });
      if (req.method !== 'POST')
        return send(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
      const body = await readBody(req);
      if (body === null)
        return send(res, 413, { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: 'body too large' } });
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { ok: false, error: { code: 'INVALID_JSON', message: 'body is not JSON' } });
      }
      const result = await dispatch(ctx, decodeURIComponent(url.pathname.slice('/api/'.length)), input);
      return send(res, 200, result);
    }
    return serveStatic(url.pathname, res);
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers['authorization'];
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        existsSync(join(root, 'index.html'))
          ? 'not found'
          : `renderer not built: run "npm run build" (looked in ${root})`,
      );
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
