import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import type { RiskDetail, RiskRow } from '../api/methods/blacklist.contract';
import { recomputeFull, recomputeIncremental } from '../engine/recompute';
import { resultSnapshot, t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';

const AS_OF = t('2026-11-01 00:00:00');
const open: World[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

const admin = actor('ADM1', 'admin');
async function call<T>(w: World, method: string, input: unknown, who = admin): Promise<T> {
  const r = await dispatch(contextFor(w.store, who, { now: () => t('2026-11-02 10:00:00') }), method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

/** P1 brought five customers in Sep/Oct; three of their valid orders were refunded within days. */
function refunder(): World {
  const w = world().partner('P1').partner('P2');
  const days = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-10-01', '2026-10-02'];
  days.forEach((d, i) => {
    const k = `K${i + 1}`;
    w.customer(k, { registeredAt: `${d} 08:00:00` })
      .event(`E${i + 1}`, 'P1', k, 'register', `${d} 08:00:00`)
      .order(`O${i + 1}`, k, `${d} 10:00:00`, 1000);
  });
  w.refund('R1', 'O1', '2026-09-05 10:00:00', 1000)
    .refund('R2', 'O2', '2026-09-06 10:00:00', 1000)
    .refund('R3', 'O3', '2026-09-07 10:00:00', 400, 'downgrade');
  open.push(w);
  recomputeFull(w.store, { asOf: AS_OF });
  return w;
}

const riskOf = async (w: World) =>
  (await call<{ rows: RiskRow[] }>(w, 'risk.list', {}, actor('S', 'support'))).rows.find(
    (r) => r.partnerId === 'P1',
  );

describe('risk review (R-CLAW-4)', () => {
  it('R-CLAW-4: a partner with ≥ 3 clawed-back valid orders and ≥ 30% of the window is flagged open; the flag never blacklists by itself', async () => {
    const w = refunder();
    expect(await riskOf(w)).toMatchObject({
      validOrders: 5,
      clawedBack: 3,
      refundRateBp: 6000,
      status: 'open',
    });
    const p = w.store.sqlite
      .prepare("SELECT blacklisted, frozen_fen FROM result_partners WHERE partner_id = 'P1'")
      .get();
    expect(p).toEqual({ blacklisted: 0, frozen_fen: 0 });
    const detail = await call<RiskDetail>(w, 'risk.partner', { partnerId: 'P1' });
    expect(detail.window).toMatchObject({ days: 90, to: AS_OF });
    expect(detail.series.reduce((s, b) => s + b.validOrders, 0)).toBe(5);
    expect(detail.series.reduce((s, b) => s + b.clawedBack, 0)).toBe(3);
    expect(detail.clawed.map((c) => [c.orderId, c.clawedAt])).toEqual([
      ['O1', t('2026-09-05 10:00:00')],
      ['O2', t('2026-09-06 10:00:00')],
      ['O3', t('2026-09-07 10:00:00')],
    ]);
  });

  it('R-CLAW-4, R-OP-3: a dismissed flag stays dismissed until a clawback dated after the dismissal flags the partner again; a late clawback dated before it does not', async () => {
    const w = refunder();
    await call(w, 'risk.decide', {
      partnerId: 'P1',
      decision: 'dismiss',
      reason: '退款均为客户误购，已核实',
      effectiveAt: t('2026-10-10 00:00:00'),
    });
    expect((await riskOf(w))?.status).toBe('dismissed');
    // R-OP-3: as of before the dismissal, the flag is still open
    recomputeFull(w.store, { asOf: t('2026-10-09 00:00:00') });
    expect((await riskOf(w))?.status).toBe('open');
    recomputeFull(w.store, { asOf: AS_OF });
    // a refund arriving late but dated before the dismissal: still dismissed
    w.refund('R4', 'O4', '2026-10-05 10:00:00', 1000);
    recomputeIncremental(w.store, { customers: ['K4'] });
    expect(await riskOf(w)).toMatchObject({ clawedBack: 4, status: 'dismissed' });
    // one dated after it: open again
    w.refund('R5', 'O5', '2026-10-20 10:00:00', 500);
    recomputeIncremental(w.store, { customers: ['K5'] });
    expect(await riskOf(w)).toMatchObject({ clawedBack: 5, status: 'open' });
    const incremental = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(resultSnapshot(w.store)).toBe(incremental);
  });

  it('R-CLAW-4, R-BL-1: deciding blacklist creates the entry and freezes the rewards; lifting it later counts as the review', async () => {
    const w = refunder();
    await call(w, 'risk.decide', {
      partnerId: 'P1',
      decision: 'blacklist',
      reason: '多名客户首单退款，纳入黑名单',
      effectiveAt: t('2026-10-10 00:00:00'),
    });
    expect((await riskOf(w))?.status).toBe('blacklisted');
    const p = w.store.sqlite
      .prepare("SELECT blacklisted, frozen_fen FROM result_partners WHERE partner_id = 'P1'")
      .get() as {
      blacklisted: number;
      frozen_fen: number;
    };
    expect(p.blacklisted).toBe(1);
    expect(p.frozen_fen).toBeGreaterThan(0);
    const decision = w.store.sqlite
      .prepare('SELECT decision, blacklist_entry_id, reflag_after FROM risk_decisions')
      .get();
    expect(decision).toEqual({ decision: 'blacklist', blacklist_entry_id: 1, reflag_after: null });
    await call(w, 'blacklist.lift', {
      partnerId: 'P1',
      reason: '申诉核实，解除',
      effectiveAt: t('2026-10-20'),
    });
    expect((await riskOf(w))?.status).toBe('dismissed');
  });

  it('R-CLAW-4, R-OP-1: only admins decide, with a reason, and only on a flagged partner', async () => {
    const w = refunder();
    const input = { partnerId: 'P1', decision: 'dismiss', reason: '退款均为客户误购' };
    for (const who of [actor('S', 'support'), actor('F', 'finance')]) {
      const r = await dispatch(contextFor(w.store, who), 'risk.decide', input);
      expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    }
    const unflagged = await dispatch(contextFor(w.store, admin), 'risk.decide', {
      ...input,
      partnerId: 'P2',
    });
    expect(unflagged.ok ? null : unflagged.error.code).toBe('RISK_NOT_FLAGGED');
    const short = await dispatch(contextFor(w.store, admin), 'risk.decide', { ...input, reason: 'ok' });
    expect(short.ok ? null : short.error.code).toBe('INVALID_INPUT');
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM risk_decisions').pluck().get()).toBe(0);
  });
});
