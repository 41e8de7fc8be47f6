import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
