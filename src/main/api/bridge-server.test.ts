import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import { startBridge, type Bridge } from './bridge-server';
import { actor } from '../test-support/actors';

let store: Store;
let bridge: Bridge;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-bridge-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>云客工作台</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  store = openStore(join(dir, 'store.db'));
  bridge = await startBridge({
    context: { store, session: { actor: actor('tester') }, version: 'test' },
    rendererDir: renderer,
  });
});
afterAll(async () => {
  await bridge.close();
  await store.close();
});

const call = (method: string, body: unknown, token?: string) =>
  fetch(`http://127.0.0.1:${bridge.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 only and prints a URL with its per-run token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(bridge.url).toContain(bridge.token);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    expect((await call('dashboard.summary', {})).status).toBe(401);
    expect((await call('dashboard.summary', {}, 'wrong-token')).status).toBe(401);
  });

  it('serves the contract with the token, and structured errors for bad input', async () => {
    const ok = await call('dashboard.summary', {}, bridge.token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { counts: { partners: 0 } } });
    const bad = await (await call('demo.load', { scale: 'lots' }, bridge.token)).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const notJson = await fetch(`http://127.0.0.1:${bridge.port}/api/dashboard.summary`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bridge.token}` },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('serves the built renderer but nothing outside it', async () => {
    const index = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(await index.text()).toContain('云客工作台');
    const escape = await fetch(`http://127.0.0.1:${bridge.port}/..%2Fsecret.txt`);
    expect(escape.status).toBe(404);
  });
});

/** A raw HTTP request (fetch will not send a forged Host header or a broken body). */
function raw(options: {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
}): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  reset?: boolean;
}> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: bridge.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', () => resolve({ status: 0, headers: {}, body: '', reset: true }));
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

describe('loopback bridge, hostile callers (issue 12)', () => {
  it('serves only Host 127.0.0.1:PORT or localhost:PORT (DNS rebinding is refused)', async () => {
    const auth = { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' };
    for (const host of [
      'evil.example',
      `evil.example:${bridge.port}`,
      `127.0.0.1:${bridge.port + 1}`,
      '127.0.0.1',
    ]) {
      const api = await raw({
        method: 'POST',
        path: '/api/dashboard.summary',
        headers: { ...auth, Host: host },
        body: '{}',
      });
      expect(api.status, host).toBe(421);
      const page = await raw({ path: '/', headers: { Host: host } });
      expect(page.status, host).toBe(421);
    }
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`]) {
      const ok = await raw({
        method: 'POST',
        path: '/api/dashboard.summary',
        headers: { ...auth, Host: host },
        body: '{}',
      });
      expect(ok.status, host).toBe(200);
    }
  });

  it('answers malformed percent-encoding with 400, not 500', async () => {
    const api = await raw({
      method: 'POST',
      path: '/api/%E0%A4%A',
      headers: { Authorization: `Bearer ${bridge.token}`, Host: `127.0.0.1:${bridge.port}` },
      body: '{}',
    });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const page = await raw({ path: '/%E0%A4%A', headers: { Host: `127.0.0.1:${bridge.port}` } });
    expect(page.status).toBe(400);
  });

  it('answers a body above the limit with 413 (announced, or streamed) instead of resetting the connection', async () => {
    const headers = {
      Authorization: `Bearer ${bridge.token}`,
      Host: `127.0.0.1:${bridge.port}`,
      'Content-Type': 'application/json',
    };
    const announced = await raw({
      method: 'POST',
      path: '/api/dashboard.summary',
      headers: { ...headers, 'Content-Length': 200 * 1024 * 1024 },
      body: '{}',
    });
    expect(announced.status).toBe(413);
    const big = Buffer.alloc(20 * 1024 * 1024, 0x20);
    const streamed = await raw({ method: 'POST', path: '/api/dashboard.summary', headers, body: big });
    expect(streamed.reset ?? false).toBe(false);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('sends a Content-Security-Policy header with the page, not only a meta tag', async () => {
    const page = await raw({ path: '/', headers: { Host: `127.0.0.1:${bridge.port}` } });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});
