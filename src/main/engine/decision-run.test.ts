import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import { verifyAudit } from '../audit/verify';
import { defaultRuleConfig, type RuleConfig } from '../rules/config';
import { recomputeFull } from './recompute';
import { compute, resultSnapshot, smallWorld, t, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';
import { runDecisionOnFile, type DecisionJob } from './decision-run';

let w: World;
afterEach(async () => w?.close());

const admin = actor('ADM1', 'admin');

/** L1 pays 30% instead of 20%. */
const richer = (): RuleConfig => ({
  ...defaultRuleConfig,
  levels: defaultRuleConfig.levels.map((l) => (l.id === 'L1' ? { ...l, ratio_bp: 3000 } : l)),
});

function small() {
  w = smallWorld();
}

const job = (over: Partial<DecisionJob>): DecisionJob => ({
  change: { kind: 'config', config: richer() },
  actor: admin,
  reason: 'L1 比例调整试点',
  effectiveAt: t('2026-01-01 00:00:00'),
  recordedAt: t('2026-06-01 09:00:00'),
  commit: false,
  ...over,
});

describe('a decision and its what-if run one engine code path', () => {
  it('R-OP-2: a what-if reports the changes and writes nothing; applying makes exactly those changes, with its audit entry', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    const before = resultSnapshot(w.store);
    const audit = verifyAudit(w.store.sqlite).entries;
    const preview = await runDecisionOnFile(w.store.file, job({ commit: false }));
    expect(preview.committed).toBe(false);
    expect(preview.orders.total).toBe(3);
    const o1 = preview.orders.rows.find((o) => o.orderId === 'O1')!;
    expect(o1.before).toMatchObject({ status: 'valid', rebateFen: 20000, ratioBp: 2000 });
    expect(o1.after).toMatchObject({ status: 'valid', rebateFen: 30000, ratioBp: 3000 });
    expect(preview.money).toEqual(
      expect.arrayContaining([
        { partnerId: 'P1', beforeFen: 60000, afterFen: 90000 },
        { partnerId: 'P2', beforeFen: 10000, afterFen: 15000 },
      ]),
    );
    expect(preview.cycles.map((c) => c.cycleKey)).toEqual(['2026-04', '2026-06']);
    // nothing written
    expect(resultSnapshot(w.store)).toBe(before);
    expect(verifyAudit(w.store.sqlite).entries).toBe(audit);
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM rule_configs').pluck().get()).toBe(1);

    const applied = await runDecisionOnFile(w.store.file, job({ commit: true }));
    expect(applied.committed).toBe(true);
    // the same report, because it is the same run
    expect({ ...applied, committed: false, durationMs: 0 }).toEqual({ ...preview, durationMs: 0 });
    const v = verifyAudit(w.store.sqlite);
    expect(v).toMatchObject({ intact: true, entries: audit + 1 });
    const entry = w.store.sqlite
      .prepare('SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT 1')
      .get() as Record<string, unknown>;
    expect(entry).toMatchObject({
      action: 'config.save',
      operator_id: 'ADM1',
      role: 'admin',
      reason: 'L1 比例调整试点',
      entity_id: '2',
    });
    // and the applied results are what a full recompute gives
    const afterApply = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: t('2026-06-30 00:00:00') });
    expect(resultSnapshot(w.store)).toBe(afterApply);
  });

  it('R-OP-3: a config version counts from its effective instant; a recompute as of an earlier time ignores it', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    await runDecisionOnFile(w.store.file, job({ commit: true, effectiveAt: t('2026-07-01 00:00:00') }));
    const rebate = (id: string) =>
      w.store.sqlite.prepare('SELECT rebate_fen FROM result_orders WHERE order_id = ?').pluck().get(id);
    // as of 2026-06-30 version 2 is not in effect yet
    expect(
      w.store.sqlite.prepare('SELECT config_version FROM engine_runs ORDER BY run_id DESC').pluck().get(),
    ).toBe(1);
    expect(rebate('O1')).toBe(20000);
    recomputeFull(w.store, { asOf: t('2026-07-02 00:00:00') });
    expect(
      w.store.sqlite.prepare('SELECT config_version FROM engine_runs ORDER BY run_id DESC').pluck().get(),
    ).toBe(2);
    expect(rebate('O1')).toBe(30000);
    recomputeFull(w.store, { asOf: t('2026-06-30 00:00:00') });
    expect(rebate('O1')).toBe(20000);
  });

  it('R-OP-1: the config preview and save are the admin’s; support and finance are refused', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    const input = { config: richer(), reason: '试点调整比例' };
    for (const role of ['support', 'finance'] as const) {
      const r = await dispatch(contextFor(w.store, actor(`X-${role}`, role)), 'config.save', input);
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const short = await dispatch(contextFor(w.store, admin), 'config.save', { ...input, reason: '改' });
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const ok = await dispatch(contextFor(w.store, admin), 'config.save', input);
    expect(ok).toMatchObject({ ok: true, value: { committed: true } });
    const versions = await dispatch(contextFor(w.store, actor('S', 'support')), 'config.versions', {});
    expect(versions).toMatchObject({ ok: true, value: { inForce: 2 } });
  });

  it('R-OP-2: a preview asks for no reason and leaves no audit entry; saving still needs one', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    const chain = () => {
      const { intact, entries, head } = verifyAudit(w.store.sqlite);
      return { intact, entries, head };
    };
    const before = chain();
    const r = await dispatch(contextFor(w.store, actor('S', 'support')), 'config.preview', {
      config: richer(),
      effectiveAt: t('2026-01-01 00:00:00'),
    });
    expect(r).toMatchObject({ ok: true, value: { committed: false } });
    if (r.ok) expect((r.value as { orders: { total: number } }).orders.total).toBe(3);
    expect(chain()).toEqual(before);
    const save = await dispatch(contextFor(w.store, admin), 'config.save', { config: richer() });
    expect(save).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await dispatch(contextFor(w.store, admin), 'config.save', { config: richer(), reason: '试点调整比例' });
    expect(chain()).toMatchObject({ intact: true, entries: before.entries + 1 });
  });
});
