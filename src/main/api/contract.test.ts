import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store';
import type { ApiContext } from './context';
import { contract, dispatch } from './contract';
import { methodNames, spec } from './spec';

let store: Store;
let ctx: ApiContext;

beforeAll(() => {
  store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-api-')), 'store.db'));
  ctx = { store, operatorId: 'tester', transport: 'bridge', version: 'test' };
});
afterAll(async () => store.close());

describe('the contract', () => {
  it('maps every method to a schema, a handler and the tables it writes', () => {
    for (const name of methodNames) {
      const entry = contract[name];
      expect(typeof entry.handler, name).toBe('function');
      expect(entry.input, name).toBe(spec[name].input);
      expect(Array.isArray(entry.writes), name).toBe(true);
      expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
    }
  });

  it('answers the dashboard with real counts from the store', async () => {
    store.sqlite
      .prepare(`INSERT INTO partners (partner_id, status) VALUES ('P1', 'active'), ('P2', 'applied')`)
      .run();
    store.sqlite
      .prepare(
        `INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at) VALUES ('O1', 'C1', 'ecs', 'prepaid', 0, 100000, 0)`,
      )
      .run();
    const r = await dispatch(ctx, 'dashboard.summary', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const summary = r.value as { counts: { partners: number; orders: number; customers: number } };
    expect(summary.counts).toMatchObject({ partners: 2, orders: 1, customers: 0 });
    const info = await dispatch(ctx, 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { isEmpty: false, transport: 'bridge' } });
  });

  it('returns a structured INVALID_INPUT error naming the field, never throwing', async () => {
    const r = await dispatch(ctx, 'demo.load', { scale: -1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    const issues = (r.error.details as { issues: { path: string[] }[] }).issues;
    expect(issues[0].path).toEqual(['scale']);
  });

  it('rejects unknown fields (strict inputs) and unknown methods', async () => {
    const extra = await dispatch(ctx, 'dashboard.summary', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await dispatch(ctx, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const proto = await dispatch(ctx, '__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});
