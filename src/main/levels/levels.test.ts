import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionOutcome } from '../engine/decision-types';
import type { PartnerLevelsView, LevelTableView } from '../api/methods/levels.contract';
import { dispatch } from '../api/dispatch';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

let w: World;
afterEach(async () => w?.close());

// decisions run in the engine worker the app uses (dist-cli/engine-worker.mjs): built from these sources
beforeAll(() => {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'scripts', 'build-cli.mjs')]);
}, 120_000);

const asOf = t('2026-06-01 00:00:00');
const admin = actor('adm', 'admin');

async function call<T>(
  name: string,
  input: unknown,
  now = t('2026-05-20 12:00:00'),
  who = admin,
): Promise<T> {
  const r = await dispatch(contextFor(w.store, who, { now: () => now }), name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

/** P1 with one customer in March (O1) and another in May (O2); both ¥1000. */
function twoOrders() {
  w = world()
    .partner('P1')
    .customer('C1')
    .customer('C2')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
    .event('E2', 'P1', 'C2', 'register', '2026-05-10 10:00:00')
    .order('O2', 'C2', '2026-05-11 10:00:00', 1000);
  recomputeFull(w.store, { asOf });
  return w;
}

const ratios = () =>
  Object.fromEntries(
    (
      w.store.sqlite
        .prepare(`SELECT order_id, level, ratio_bp, rebate_fen FROM result_orders ORDER BY order_id`)
        .all() as { order_id: string; level: string; ratio_bp: number; rebate_fen: number }[]
    ).map((r) => [r.order_id, [r.level, r.ratio_bp, r.rebate_fen]]),
  );

describe('level overrides through the one decision path', () => {
  it('R-LVL-2 / R-LVL-3: an override from 1 May gives the later order the new ratio, the earlier keeps its own; the preview shows exactly that', async () => {
    twoOrders();
    expect(ratios()).toEqual({ O1: ['L1', 2000, 20000], O2: ['L1', 2000, 20000] });
    const input = {
      partnerId: 'P1',
      level: 'L3',
      reason: '重点合作伙伴，提前升级',
      effectiveAt: t('2026-05-01 00:00:00'),
    };
    const preview = await call<DecisionOutcome>('levels.overridePreview', input);
    expect(preview.committed).toBe(false);
    expect(preview.orders.rows.map((o) => [o.orderId, o.before?.ratioBp, o.after?.ratioBp])).toEqual([
      ['O2', 2000, 3000],
    ]);
    expect(preview.money).toEqual([{ partnerId: 'P1', beforeFen: 20000, afterFen: 30000 }]);
    // nothing was kept
    expect(ratios()).toEqual({ O1: ['L1', 2000, 20000], O2: ['L1', 2000, 20000] });
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM level_overrides').pluck().get()).toBe(0);

    const applied = await call<DecisionOutcome>('levels.override', input);
    expect(applied.committed).toBe(true);
    expect(applied.orders).toEqual(preview.orders);
    expect(ratios()).toEqual({ O1: ['L1', 2000, 20000], O2: ['L3', 3000, 30000] });
    const overrideId = applied.applied.overrideId as number;
    const audit = w.store.sqlite
      .prepare(
        `SELECT action, operator_id, entity_id, reason, effective_at FROM audit_log WHERE action = 'level.override'`,
      )
      .get();
    expect(audit).toEqual({
      action: 'level.override',
      operator_id: 'adm',
      entity_id: 'P1',
      reason: '重点合作伙伴，提前升级',
      effective_at: t('2026-05-01 00:00:00'),
    });
    // the level history shows it
    const view = await call<PartnerLevelsView>('levels.partner', { partnerId: 'P1' });
    expect(view.level).toBe('L3');
    expect(view.history.map((h) => [h.at, h.level, h.source, h.overrideId])).toEqual([
      [0, 'L1', 'experience', null],
      [t('2026-05-01 00:00:00'), 'L3', 'override', overrideId],
    ]);
    expect(view.overrides).toMatchObject([{ overrideId, level: 'L3', state: 'in_force', createdBy: 'adm' }]);

    // revoked on 20 May: orders after that use the experience level again (none here), O2 keeps L3
    const revoked = await call<DecisionOutcome>('levels.revoke', {
      overrideId,
      reason: '合作调整，恢复原等级',
    });
    expect(revoked.orders.total).toBe(0);
    expect(ratios().O2).toEqual(['L3', 3000, 30000]);
    const after = await call<PartnerLevelsView>('levels.partner', { partnerId: 'P1' });
    expect(after.level).toBe('L1');
    expect(after.overrides[0]).toMatchObject({
      state: 'revoked',
      revokedBy: 'adm',
      revokeReason: '合作调整，恢复原等级',
    });
    await expect(call('levels.revoke', { overrideId, reason: '再撤销一次' })).rejects.toMatchObject({
      code: 'LEVEL_OVERRIDE_REVOKED',
    });
  });

  it('R-LVL-2: an override with an end holds only until it; an unknown level or partner is refused and nothing is written', async () => {
    twoOrders();
    await call('levels.override', {
      partnerId: 'P1',
      level: 'L2',
      reason: '活动期间临时升级',
      effectiveAt: t('2026-03-01 00:00:00'),
      until: t('2026-04-01 00:00:00'),
    });
    expect(ratios()).toEqual({ O1: ['L2', 2500, 25000], O2: ['L1', 2000, 20000] });
    await expect(
      call('levels.override', { partnerId: 'P1', level: 'L9', reason: '没有这个等级' }),
    ).rejects.toMatchObject({ code: 'LEVEL_UNKNOWN' });
    await expect(
      call('levels.override', { partnerId: 'P404', level: 'L2', reason: '没有这个云客' }),
    ).rejects.toMatchObject({ code: 'LEVEL_NO_SUCH_PARTNER' });
    await expect(
      call('levels.override', { partnerId: 'P1', level: 'L2', reason: 'abc' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM level_overrides').pluck().get()).toBe(1);
    // support and finance decide nothing about levels (R-OP-1)
    for (const role of ['support', 'finance'] as const)
      await expect(
        call(
          'levels.override',
          { partnerId: 'P1', level: 'L2', reason: '越权操作' },
          undefined,
          actor('x', role),
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('R-OP-3: an override effective after the engine’s as-of changes no result until a later recompute', async () => {
    twoOrders();
    const r = await call<DecisionOutcome>('levels.override', {
      partnerId: 'P1',
      level: 'L4',
      reason: '下月起升为钻石',
      effectiveAt: t('2026-07-01 00:00:00'),
    });
    expect(r.orders.total).toBe(0);
    expect(ratios()).toEqual({ O1: ['L1', 2000, 20000], O2: ['L1', 2000, 20000] });
    expect((await call<PartnerLevelsView>('levels.partner', { partnerId: 'P1' })).overrides[0].state).toBe(
      'scheduled',
    );
    w.customer('C3').event('E3', 'P1', 'C3', 'register', '2026-07-02 10:00:00');
    w.order('O3', 'C3', '2026-07-03 10:00:00', 1000);
    recomputeFull(w.store, { asOf: t('2026-08-01 00:00:00') });
    expect(ratios().O3).toEqual(['L4', 3500, 35000]);
  });
});

describe('experience ledger and level history', () => {
  it('R-EXP-1 / R-CLAW-1 / R-LVL-1: each credit and deduction with its order or refund and time; the level rises with the credit and falls with the refund', async () => {
    w = world().partner('P1');
    // C1: a 1200-yuan subscription, then another 4800 → 1 + floor(6000/1200) × 2 = 11 experience
    w.customer('C1').event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00');
    w.order('O1', 'C1', '2026-03-02 10:00:00', 1200, { subscription: true });
    w.order('O1b', 'C1', '2026-03-05 10:00:00', 4800, { subscription: true });
    // C2 after: at L2 (≥ 10)
    w.customer('C2').event('E2', 'P1', 'C2', 'register', '2026-03-10 10:00:00');
    w.order('O2', 'C2', '2026-03-11 10:00:00', 1000);
    // O1b refunded in the window: S = 1200 → C1 gives 3; total 4 → back to L1
    w.refund('R1', 'O1b', '2026-03-20 10:00:00', 4800);
    w.customer('C3').event('E3', 'P1', 'C3', 'register', '2026-03-25 10:00:00');
    w.order('O3', 'C3', '2026-03-26 10:00:00', 1000);
    recomputeFull(w.store, { asOf });
    const view = await call<PartnerLevelsView>('levels.partner', { partnerId: 'P1' });
    expect(view.ledger.map((e) => [e.at, e.delta, e.balance, e.orderId, e.sourceId, e.sourceKind])).toEqual([
      [t('2026-03-02 10:00:00'), 3, 3, 'O1', 'O1', 'order'],
      [t('2026-03-05 10:00:00'), 8, 11, 'O1', 'O1b', 'order'],
      [t('2026-03-11 10:00:00'), 1, 12, 'O2', 'O2', 'order'],
      [t('2026-03-20 10:00:00'), -8, 4, 'O1', 'R1', 'refund'],
      [t('2026-03-26 10:00:00'), 1, 5, 'O3', 'O3', 'order'],
    ]);
    expect(view.history.map((h) => [h.at, h.level, h.experience])).toEqual([
      [0, 'L1', 0],
      [t('2026-03-05 10:00:00'), 'L2', 11],
      [t('2026-03-20 10:00:00'), 'L1', 4],
    ]);
    // R-LVL-3: each order at the level of its time
    expect(ratios()).toMatchObject({
      O1: ['L1', 2000, 24000],
      O2: ['L2', 2500, 25000],
      O3: ['L1', 2000, 20000],
    });
    expect(view).toMatchObject({ level: 'L1', experience: 5 });
  });

  it('R-LVL-1: the level table in force with partners per level', async () => {
    w = world().partner('P1').partner('P2').partner('P3').override('P3', 'L4', '2026-01-01 00:00:00');
    recomputeFull(w.store, { asOf });
    const table = await call<LevelTableView>('levels.table', {});
    expect(table.levels.map((l) => [l.id, l.ratioBp, l.cycle, l.partners, l.overridden])).toEqual([
      ['L1', 2000, 'monthly', 2, 0],
      ['L2', 2500, 'monthly', 0, 0],
      ['L3', 3000, 'semi-monthly', 0, 0],
      ['L4', 3500, 'weekly', 1, 1],
    ]);
    expect(table).toMatchObject({ totalPartners: 3, configVersion: 1, asOf });
  });
});
