import { afterEach, describe, expect, it } from 'vitest';
import { world, type World } from '../../test-support/world';
import { dispatch } from '../dispatch';
import { actor, contextFor } from '../../test-support/actors';

let w: World;
afterEach(async () => w?.close());

describe('rules contract', () => {
  it('recomputes, searches, explains and shows a partner through the contract', async () => {
    w = world().partner('P1').customer('C1').event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00');
    w.order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const ctx = contextFor(w.store, actor('admin'));
    const run = await dispatch(ctx, 'engine.recompute', { asOf: '2026-11-01 00:00:00' });
    expect(run).toMatchObject({ ok: true, value: { mode: 'full', configVersion: 1 } });
    const search = await dispatch(ctx, 'orders.search', { status: 'valid' });
    expect(search).toMatchObject({
      ok: true,
      value: { total: 1, rows: [{ order_id: 'O1', rebate_fen: 20000 }] },
    });
    const ex = await dispatch(ctx, 'orders.explain', { orderId: 'O1', lang: 'en' });
    expect(ex).toMatchObject({ ok: true, value: { status: 'valid', consistent: true } });
    expect(await dispatch(ctx, 'orders.explain', { orderId: 'X' })).toMatchObject({
      ok: false,
      error: { code: 'ORDER_NOT_FOUND' },
    });
    expect(await dispatch(ctx, 'partners.get', { partnerId: 'P1' })).toMatchObject({
      ok: true,
      value: {
        experience: 1,
        level: 'L1',
        confirmed_fen: 20000,
        payouts: [{ cycle_key: '2026-04', amount_fen: 20000 }],
      },
    });
    expect(await dispatch(ctx, 'engine.recompute', { asOf: 'soon' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_AS_OF' },
    });
  });
});
