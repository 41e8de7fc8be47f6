import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/open-store';
import type { ApiContext } from '../context';
import { dispatch } from '../dispatch';
import type { DashboardSummary, DemoLoadResult } from './app.contract';
import { actor, contextFor } from '../../test-support/actors';

let store: Store;
let ctx: ApiContext;
beforeAll(() => {
  // the engine runs in its bundled worker thread, as in the app: build it from these sources
  const root = resolve(import.meta.dirname, '../../../..');
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
  store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-demo-api-')), 'store.db'));
  ctx = contextFor(store, actor('tester'), { transport: 'ipc' });
});
afterAll(async () => store.close());

describe('first run: demo.load', () => {
  it('fills an empty store and runs the engine, so the dashboard shows results at once', async () => {
    const before = await dispatch(ctx, 'app.info', {});
    expect(before).toMatchObject({ ok: true, value: { isEmpty: true } });

    const loaded = await dispatch(ctx, 'demo.load', { scale: 0.05, seed: 7 });
    expect(loaded.ok).toBe(true);
    const result = (loaded as { value: DemoLoadResult }).value;
    expect(result.partners).toBe(50);
    expect(result.validOrders).toBeGreaterThan(0);

    const summary = (await dispatch(ctx, 'dashboard.summary', {})) as { ok: true; value: DashboardSummary };
    expect(summary.value.counts.partners).toBe(50);
    expect(summary.value.results.validOrders).toBe(result.validOrders);
    expect(summary.value.results.computedAt).not.toBeNull();
    expect(summary.value.ordersByStatus.map((s) => s.status)).toContain('valid');
    const after = await dispatch(ctx, 'app.info', {});
    expect(after).toMatchObject({ ok: true, value: { isEmpty: false } });
  });

  it('refuses to load the demo a second time into a store that holds data', async () => {
    const again = await dispatch(ctx, 'demo.load', { scale: 0.05, seed: 7 });
    expect(again).toMatchObject({ ok: false, error: { code: 'DEMO_STORE_NOT_EMPTY' } });
  });
});

describe('app.setLanguage', () => {
  it('tells the desktop shell the page language (the menu follows it), before anyone signs in', async () => {
    const told: string[] = [];
    const anonymous: ApiContext = {
      ...ctx,
      session: { actor: null },
      shell: { setLanguage: (l) => told.push(l) },
    };
    expect(await dispatch(anonymous, 'app.setLanguage', { language: 'en' })).toEqual({
      ok: true,
      value: { language: 'en' },
    });
    expect(told).toEqual(['en']);
    const bad = await dispatch(anonymous, 'app.setLanguage', { language: 'fr' });
    expect(bad.ok).toBe(false);
    expect(told).toEqual(['en']);
    // on the loopback bridge and in the CLI there is no shell: nothing happens
    expect(
      await dispatch({ ...ctx, shell: undefined }, 'app.setLanguage', { language: 'zh-CN' }),
    ).toMatchObject({
      ok: true,
    });
  });
});
