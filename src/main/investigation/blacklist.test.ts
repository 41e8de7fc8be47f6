import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import type { BlacklistHistory, BlacklistOutcome, BlacklistRow } from '../api/methods/blacklist.contract';
import { recomputeFull } from '../engine/recompute';
import { resultSnapshot, t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';

const AS_OF = t('2026-11-01 00:00:00');
const NOW = t('2026-11-02 10:00:00');
const open: World[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

const admin = actor('ADM1', 'admin');
async function call<T>(w: World, method: string, input: unknown, who = admin): Promise<T> {
  const r = await dispatch(contextFor(w.store, who, { now: () => NOW }), method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}
async function code(w: World, method: string, input: unknown, who = admin): Promise<string | null> {
  const r = await dispatch(contextFor(w.store, who, { now: () => NOW }), method, input);
  return r.ok ? null : r.error.code;
}

/** P2 brought K1 (registered 1 May, bought 2 May) and K2 (registered 20 May, bought 21 May). */
function p01(): World {
  const w = world()
    .partner('P1')
    .partner('P2')
    .customer('K1', { registeredAt: '2026-05-01 09:00:00' })
    .customer('K2', { registeredAt: '2026-05-20 09:00:00' })
    .event('V1', 'P2', 'K1', 'register', '2026-05-01 09:00:00')
    .event('V2', 'P2', 'K2', 'register', '2026-05-20 09:00:00')
    .order('Q1', 'K1', '2026-05-02 09:00:00', 800)
    .order('Q2', 'K2', '2026-05-21 09:00:00', 600);
  open.push(w);
  recomputeFull(w.store, { asOf: AS_OF });
  return w;
}

const order = (w: World, id: string) =>
  w.store.sqlite
    .prepare('SELECT status, reasons_json, rebate_fen, rebate_status FROM result_orders WHERE order_id = ?')
    .get(id) as { status: string; reasons_json: string; rebate_fen: number; rebate_status: string | null };
const partner = (w: World, id: string) =>
  w.store.sqlite
    .prepare('SELECT blacklisted, frozen_fen, confirmed_fen FROM result_partners WHERE partner_id = ?')
    .get(id) as { blacklisted: number; frozen_fen: number; confirmed_fen: number };

describe('blacklist through the decision run (R-BL-1..3, R-OP-1..3)', () => {
  it('R-BL-1, R-BL-2, R-OP-3: the preview names the rewards that freeze and the events that fail; events before the start keep their attribution', async () => {
    const w = p01();
    const at = t('2026-05-10 00:00:00');
    const preview = await call<BlacklistOutcome>(w, 'blacklist.preview', {
      partnerId: 'P2',
      effectiveAt: at,
    });
    expect(preview).toMatchObject({
      committed: false,
      action: 'add',
      takesEffectLater: false,
      summary: {
        frozenBeforeFen: 0,
        frozenAfterFen: 16000,
        confirmedBeforeFen: 28000,
        confirmedAfterFen: 0,
        eventsFailing: 1,
        eventsReleased: 0,
      },
    });
    expect(preview.events.rows).toMatchObject([
      { eventId: 'V2', after: { status: 'failed', reasons: ['PARTNER_BLACKLISTED'] } },
    ]);
    expect(order(w, 'Q1').rebate_status).toBe('confirmed'); // nothing written

    const added = await call<BlacklistOutcome>(w, 'blacklist.add', {
      partnerId: 'P2',
      reason: '退款率偏高，待复核',
      effectiveAt: at,
    });
    expect(added.summary).toEqual(preview.summary);
    // R-BL-2: K1's registration of 1 May, before the start, keeps its attribution; the reward is frozen
    expect(order(w, 'Q1')).toMatchObject({ status: 'valid', rebate_status: 'frozen', rebate_fen: 16000 });
    expect(JSON.parse(order(w, 'Q1').reasons_json)).toContain('PARTNER_FROZEN');
    expect(order(w, 'Q2').status).toBe('not_attributed');
    expect(JSON.parse(order(w, 'Q2').reasons_json)).toContain('PARTNER_BLACKLISTED');
    expect(partner(w, 'P2')).toMatchObject({ blacklisted: 1, frozen_fen: 16000 });
    const list = await call<{ rows: BlacklistRow[]; total: number }>(w, 'blacklist.list', {});
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({
      partnerId: 'P2',
      since: at,
      recordedAt: NOW,
      status: 'active',
      restrictPromotion: true,
      frozenFen: 16000,
      addedBy: 'ADM1',
    });

    // R-OP-3: a recompute as of 9 May sees no blacklist
    recomputeFull(w.store, { asOf: t('2026-05-09 00:00:00') });
    expect(order(w, 'Q1').rebate_status).toBe('pending');
    // and the engine's own incremental result equals a full recompute (R-RECALC-1)
    recomputeFull(w.store, { asOf: AS_OF });
    expect(order(w, 'Q1').rebate_status).toBe('frozen');
  });

  it('R-BL-3: lifting needs a reason, is logged, releases the frozen rewards into the payouts; the history shows both', async () => {
    const w = p01();
    await call(w, 'blacklist.add', {
      partnerId: 'P2',
      reason: '退款率偏高，待复核',
      effectiveAt: t('2026-05-10'),
    });
    expect(await code(w, 'blacklist.lift', { partnerId: 'P2', reason: 'ok' })).toBe('INVALID_INPUT');
    expect(
      await code(w, 'blacklist.lift', { partnerId: 'P2', reason: '提前解除', effectiveAt: t('2026-05-01') }),
    ).toBe('BLACKLIST_LIFT_BEFORE_ADD');
    const lifted = await call<BlacklistOutcome>(w, 'blacklist.lift', {
      partnerId: 'P2',
      reason: '复核通过',
      effectiveAt: t('2026-06-01 00:00:00'),
    });
    expect(lifted.summary).toMatchObject({
      frozenBeforeFen: 16000,
      frozenAfterFen: 0,
      confirmedAfterFen: 16000,
    });
    expect(order(w, 'Q1').rebate_status).toBe('confirmed');
    // K2's event happened while the entry was in force: it still fails (R-BL-2)
    expect(order(w, 'Q2').status).toBe('not_attributed');
    // the released rebate is due in the cycle it confirmed in (R-BL-3, R-PAY-1)
    const due = w.store.sqlite
      .prepare("SELECT cycle_key, amount_fen, status FROM result_payouts WHERE partner_id = 'P2'")
      .all();
    expect(due).toEqual([{ cycle_key: '2026-06', amount_fen: 16000, status: 'due' }]);
    const history = await call<BlacklistHistory>(
      w,
      'blacklist.history',
      { partnerId: 'P2' },
      actor('S', 'support'),
    );
    expect(history.entries).toMatchObject([
      {
        status: 'lifted',
        until: t('2026-06-01 00:00:00'),
        liftReason: '复核通过',
        liftedBy: 'ADM1',
        liftRecordedAt: NOW,
      },
    ]);
    const actions = w.store.sqlite
      .prepare("SELECT action, reason FROM audit_log WHERE entity = 'partner' ORDER BY audit_id")
      .all();
    expect(actions).toEqual([
      { action: 'blacklist.add', reason: '退款率偏高，待复核' },
      { action: 'blacklist.lift', reason: '复核通过' },
    ]);
    // reversible (R-BL-3): blacklisted again later, a new entry
    await call(w, 'blacklist.add', { partnerId: 'P2', reason: '再次违规推广', effectiveAt: t('2026-07-01') });
    expect((await call<BlacklistHistory>(w, 'blacklist.history', { partnerId: 'P2' })).entries).toHaveLength(
      2,
    );
  });

  it('R-BL-3, R-PAY-1: a reward frozen while its cycle was paid out goes into the next payout after the lift', async () => {
    const w = p01();
    await call(w, 'blacklist.add', {
      partnerId: 'P2',
      reason: '退款率偏高，待复核',
      effectiveAt: t('2026-05-10'),
    });
    // June's batch was prepared and approved while P2 was frozen: no line of P2 in it
    w.store.sqlite
      .prepare(
        `INSERT INTO payout_batches (batch_id, cycle_key, cycle_start, cycle_end, status, config_version, as_of, run_id, prepared_by, prepared_at, decided_by)
         VALUES (1, '2026-06', ?, ?, 'approved', 1, ?, 1, 'FIN1', ?, 'FIN2')`,
      )
      .run(t('2026-06-01'), t('2026-07-01'), t('2026-07-02'), t('2026-07-02'));
    await call(w, 'blacklist.lift', { partnerId: 'P2', reason: '复核通过', effectiveAt: t('2026-07-15') });
    const rows = () =>
      w.store.sqlite
        .prepare(
          "SELECT cycle_key, carried_fen, amount_fen, status FROM result_payouts WHERE partner_id = 'P2' ORDER BY cycle_start",
        )
        .all();
    expect(rows()).toEqual([
      { cycle_key: '2026-06', carried_fen: 0, amount_fen: 0, status: 'closed' },
      { cycle_key: '2026-07', carried_fen: 16000, amount_fen: 16000, status: 'due' },
    ]);
    const incremental = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(resultSnapshot(w.store)).toBe(incremental);
  });

  it('R-BL-1: a freeze-only entry freezes rewards but lets events attribute; the incremental run equals a full one', async () => {
    const w = p01();
    await call(w, 'blacklist.add', {
      partnerId: 'P2',
      reason: '冻结返利，保留推广',
      effectiveAt: t('2026-05-10'),
      restrictPromotion: false,
    });
    expect(order(w, 'Q2')).toMatchObject({ status: 'valid', rebate_status: 'frozen' });
    expect(partner(w, 'P2').frozen_fen).toBe(28000);
    const incremental = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(resultSnapshot(w.store)).toBe(incremental);
  });

  it('R-OP-1: support and finance cannot blacklist or lift; an unknown partner or a second entry is refused', async () => {
    const w = p01();
    const input = { partnerId: 'P2', reason: '退款率偏高，待复核' };
    expect(await code(w, 'blacklist.add', input, actor('S', 'support'))).toBe('FORBIDDEN');
    expect(await code(w, 'blacklist.lift', input, actor('F', 'finance'))).toBe('FORBIDDEN');
    expect(await code(w, 'blacklist.add', { ...input, partnerId: 'NOPE' })).toBe('PARTNER_NOT_FOUND');
    await call(w, 'blacklist.add', input);
    expect(await code(w, 'blacklist.add', input)).toBe('BLACKLIST_ALREADY');
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM blacklist_entries').pluck().get()).toBe(1);
  });
});
