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

/** The page's Content-Security-Policy, sent as a header (as the app's session does). */
export const BRIDGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // DNS rebinding: a page of another origin that resolves its name to 127.0.0.1 still sends
    // its own Host; only this server's loopback names are served
    const host = req.headers.host;
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return send(res, 421, {
        ok: false,
        error: { code: 'MISDIRECTED', message: `not served for Host ${host ?? '(none)'}` },
      });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, {
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'malformed percent-encoding in the path' },
      });
    }
    if (pathname.startsWith('/api/')) {
      if (!authorized(req))
        return send(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'token required' } });
      if (req.method !== 'POST')
        return send(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
      const body = await readBody(req);
      if (body === null) return tooLarge(req, res);
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { ok: false, error: { code: 'INVALID_JSON', message: 'body is not JSON' } });
      }
      const result = await dispatch(ctx, pathname.slice('/api/'.length), input);
      return send(res, 200, result);
    }
    return serveStatic(pathname, res);
  }

  /**
   * 413, and the connection closed once the answer is sent: the rest of the body is never read
   * (a client still sending it gets the answer first).
   */
  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Connection', 'close');
    send(res, 413, {
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: `body above ${MAX_BODY} bytes` },
    });
    res.on('finish', () => setTimeout(() => req.destroy(), 50).unref());
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers['authorization'];
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
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
      'Content-Security-Policy': BRIDGE_CSP,
      'Referrer-Policy': 'no-referrer',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    // open keep-alive connections (a browser's) would hold close() for minutes: end them too
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The body as text, or null when it is (or announces to be) above MAX_BODY. */
function readBody(req: IncomingMessage): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // stop keeping it; the caller answers 413 and closes the connection
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve(null);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
