/**
 * Item 18 of Electron's security checklist: the built renderer is served from app://yunke/
 * instead of file://, by a handler that serves only files under the renderer folder.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';
import type { CustomSchemeShape, ProtocolLike } from './shapes';

/** Registered before the app is ready: a standard, secure scheme (module scripts, fetch, cache). */
export const APP_SCHEME_PRIVILEGES: CustomSchemeShape = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/**
 * The file under `root` that an app:// URL names, or null when it names anything else: another
 * host or scheme, an encoded separator or parent step, a NUL byte.
 */
export function appFileFor(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const raw = u.pathname;
  // an encoded "/" or "\" would let one segment climb after decoding
  if (/%2f|%5c|%00/i.test(raw)) return null;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.')) return null;
  if (parts.length === 0) parts.push('index.html');
  const base = normalize(root);
  const file = normalize(join(base, ...parts));
  return file.startsWith(base.endsWith(sep) ? base : base + sep) ? file : null;
}

type ReadFile = (file: string) => Promise<Uint8Array>;

/** The protocol.handle handler: GET/HEAD of our files, with the CSP header; 404 for anything else. */
export function appProtocolHandler(
  root: string,
  read: ReadFile = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const notFound = (): Response =>
      new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = appFileFor(root, request.url);
    if (!file) return notFound();
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}

/** Serves `root` on app://yunke/ (after ready; registerSchemesAsPrivileged ran before it). */
export function serveAppProtocol(protocol: ProtocolLike, root: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(root));
}
