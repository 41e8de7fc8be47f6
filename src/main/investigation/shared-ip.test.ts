import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import type { SharedIpOutcome } from '../api/methods/investigation.contract';
import type { DecisionOutcome } from '../engine/decision-types';
import { randomWorld } from '../test-support/random-world';
import { recomputeFull } from '../engine/recompute';
import { resultSnapshot, t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';

const AS_OF = t('2026-06-01 00:00:00');
const open: World[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});
function fresh(): World {
  const w = world();
  open.push(w);
  return w;
}

const admin = actor('ADM1', 'admin');
const support = actor('SUP1', 'support');
const call = async <T>(w: World, who: typeof admin, method: string, input: unknown): Promise<T> => {
  const r = await dispatch(contextFor(w.store, who, { now: () => t('2026-06-02 10:00:00') }), method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
};
const refused = async (w: World, who: typeof admin, method: string, input: unknown) => {
  const r = await dispatch(contextFor(w.store, who), method, input);
  return r.ok ? null : r.error.code;
};

/**
 * K2 registered through P1 and bought first; K3, a colleague behind the same office NAT, came
 * through P2 and bought later: one IP joins them, so K3's order is not first (R-SAME-1, R-ORDER-1a).
 */
function office(): World {
  return fresh()
    .partner('P1')
    .partner('P2')
    .customer('K2', { ip: '36.112.10.20', registeredAt: '2026-03-01 09:00:00' })
    .customer('K3', { ip: '36.112.10.20', registeredAt: '2026-03-05 09:00:00' })
    .event('E2', 'P1', 'K2', 'register', '2026-03-01 09:00:00')
    .event('E3', 'P2', 'K3', 'register', '2026-03-05 09:00:00')
    .order('O2', 'K2', '2026-03-02 10:00:00', 1000)
    .order('O3', 'K3', '2026-03-06 10:00:00', 2000);
}

const orderRow = (w: World, id: string) =>
  w.store.sqlite
    .prepare('SELECT status, rebate_fen, group_id FROM result_orders WHERE order_id = ?')
    .get(id) as {
    status: string;
    rebate_fen: number;
    group_id: string;
  };

describe('shared IPs: what-if, then mark or unmark (R-SAME-4)', () => {
  it('R-SAME-4, R-OP-2: marking an office IP shared splits the group and makes the colleague’s order valid; the what-if said so first', async () => {
    const w = office();
    recomputeFull(w.store, { asOf: AS_OF });
    expect(orderRow(w, 'O3')).toMatchObject({ status: 'not_first', group_id: 'customer:K2' });
    const at = t('2026-05-01 00:00:00');
    const preview = await call<SharedIpOutcome>(w, admin, 'ips.preview', {
      ip: '36.112.10.20',
      effectiveAt: at,
    });
    expect(preview).toMatchObject({ committed: false, action: 'mark', takesEffectLater: false });
    expect(preview.orders.rows.map((o) => [o.orderId, o.before?.status, o.after?.status])).toEqual([
      ['O3', 'not_first', 'valid'],
    ]);
    expect(preview.money).toEqual([{ partnerId: 'P2', beforeFen: 0, afterFen: 40000 }]);
    expect(preview.groups).toEqual([
      {
        kind: 'split',
        groupId: 'customer:K2',
        parts: [
          { groupId: 'customer:K2', accounts: 1 },
          { groupId: 'customer:K3', accounts: 1 },
        ],
      },
    ]);
    // nothing was written by the what-if
    expect(orderRow(w, 'O3').status).toBe('not_first');
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM shared_ips').pluck().get()).toBe(0);
    const audits = () => w.store.sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
    const before = audits();

    const applied = await call<SharedIpOutcome>(w, admin, 'ips.mark', {
      ip: '36.112.10.20',
      reason: '写字楼共享出口',
      effectiveAt: at,
    });
    expect(applied.committed).toBe(true);
    expect(applied.run?.mode).toBe('incremental');
    expect(applied.orders.rows).toEqual(preview.orders.rows);
    expect(orderRow(w, 'O3')).toMatchObject({ status: 'valid', rebate_fen: 40000, group_id: 'customer:K3' });
    expect(audits()).toBe(before + 1);
    const entry = w.store.sqlite
      .prepare('SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT 1')
      .get() as Record<string, unknown>;
    expect(entry).toMatchObject({
      operator_id: 'ADM1',
      role: 'admin',
      action: 'shared_ip.mark',
      entity: 'ip',
      entity_id: '36.112.10.20',
      reason: '写字楼共享出口',
      effective_at: at,
    });
    // the applied decision's results are exactly a full recompute's
    const incremental = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(resultSnapshot(w.store)).toBe(incremental);

    // unmarking joins them again
    const unmark = await call<SharedIpOutcome>(w, admin, 'ips.unmark', {
      ip: '36.112.10.20',
      reason: '误标，恢复为证据',
      effectiveAt: t('2026-05-20 00:00:00'),
    });
    expect(unmark.groups).toEqual([
      {
        kind: 'merge',
        groupId: 'customer:K2',
        parts: [
          { groupId: 'customer:K2', accounts: 1 },
          { groupId: 'customer:K3', accounts: 1 },
        ],
      },
    ]);
    expect(orderRow(w, 'O3').status).toBe('not_first');
    const list = await call<{ rows: { ip: string; active: boolean; unmarkedAt: number | null }[] }>(
      w,
      support,
      'ips.list',
      { status: 'all' },
    );
    expect(list.rows).toMatchObject([
      { ip: '36.112.10.20', active: false, unmarkedAt: t('2026-05-20 00:00:00') },
    ]);
  });

  it('R-OP-3: a mark effective after the results’ as-of changes nothing now; a recompute with a later as-of applies it, an earlier one ignores it', async () => {
    const w = office();
    recomputeFull(w.store, { asOf: AS_OF });
    const later = t('2026-07-01 00:00:00');
    const r = await call<SharedIpOutcome>(w, admin, 'ips.mark', {
      ip: '36.112.10.20',
      reason: '七月起共享',
      effectiveAt: later,
    });
    expect(r.takesEffectLater).toBe(true);
    expect(r.orders.total).toBe(0);
    expect(orderRow(w, 'O3').status).toBe('not_first');
    recomputeFull(w.store, { asOf: t('2026-08-01 00:00:00') });
    expect(orderRow(w, 'O3').status).toBe('valid');
    recomputeFull(w.store, { asOf: AS_OF });
    expect(orderRow(w, 'O3').status).toBe('not_first');
  });

  it('R-OP-1: support and finance may preview but not mark; refusals leave nothing behind', async () => {
    const w = office();
    recomputeFull(w.store, { asOf: AS_OF });
    const input = { ip: '36.112.10.20', reason: '写字楼共享出口' };
    expect(await refused(w, support, 'ips.mark', input)).toBe('FORBIDDEN');
    expect(await refused(w, actor('FIN1', 'finance'), 'ips.unmark', input)).toBe('FORBIDDEN');
    expect((await call<SharedIpOutcome>(w, support, 'ips.preview', { ip: '36.112.10.20' })).committed).toBe(
      false,
    );
    expect(await refused(w, admin, 'ips.unmark', input)).toBe('SHARED_IP_NOT_MARKED');
    await call(w, admin, 'ips.mark', input);
    expect(await refused(w, admin, 'ips.mark', input)).toBe('SHARED_IP_ALREADY_MARKED');
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM shared_ips').pluck().get()).toBe(1);
  });

  it('R-SAME-4: what is not an IP address is neither marked nor previewed, and leaves nothing behind; a mark an older version let through may still be ended', async () => {
    const w = office();
    recomputeFull(w.store, { asOf: AS_OF });
    for (const ip of ['hello', '999.1.1.1', '10.0.0', '2001:db8::g1']) {
      expect(await refused(w, admin, 'ips.mark', { ip, reason: '写字楼共享出口' })).toBe('IP_INVALID');
      expect(await refused(w, admin, 'ips.preview', { ip })).toBe('IP_INVALID');
    }
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM shared_ips').pluck().get()).toBe(0);
    expect(
      w.store.sqlite.prepare("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'ips.%'").pluck().get(),
    ).toBe(0);
    w.sharedIp('office-gw', 'written before the check', { markedAt: '2026-03-01 00:00:00' });
    const ended = await call<SharedIpOutcome>(w, admin, 'ips.unmark', {
      ip: 'office-gw',
      reason: '清理无效标记',
    });
    expect(ended.action).toBe('unmark');
  });

  it('R-SAME-4, R-RECALC-1: on random worlds, a what-if predicts exactly the changes the applied decision makes, and the result is a full recompute’s', async () => {
    const IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(...IPS),
        async (seed, ip) => {
          const w = fresh();
          const { actions, later } = randomWorld(seed, 2);
          for (const a of [...actions, ...later]) a(w);
          if (seed % 2 === 0) w.sharedIp(ip, 'campus NAT', { markedAt: '2026-03-01 00:00:00' });
          recomputeFull(w.store, { asOf: AS_OF });
          const input = { ip, reason: '共享出口复核', effectiveAt: t('2026-04-01 00:00:00'), limit: 100_000 };
          const preview = await call<SharedIpOutcome>(w, admin, 'ips.preview', input);
          const applied = await call<SharedIpOutcome>(
            w,
            admin,
            seed % 2 === 0 ? 'ips.unmark' : 'ips.mark',
            input,
          );
          const strip = (o: SharedIpOutcome) => ({
            orders: o.orders,
            partners: o.partners,
            events: o.events,
            members: o.members,
            money: o.money,
            cycles: o.cycles,
            groups: o.groups,
            action: o.action,
          });
          expect(strip(applied)).toEqual(strip(preview));
          const incremental = resultSnapshot(w.store);
          recomputeFull(w.store, { asOf: AS_OF });
          expect(resultSnapshot(w.store)).toBe(incremental);
          await w.close();
          open.splice(open.indexOf(w), 1);
        },
      ),
      { numRuns: 10 },
    );
  }, 180_000);

  it('R-BL-1, R-BL-2, R-RECALC-1: on random worlds, a blacklist what-if predicts exactly what adding and then lifting the entry do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 60 }),
        async (seed, p, restrictPromotion, day) => {
          const w = fresh();
          const { actions, later } = randomWorld(seed, 2);
          for (const a of [...actions, ...later]) a(w);
          // the random world may have blacklisted the partner already: start from no entry
          w.store.sqlite.prepare('DELETE FROM blacklist_entries').run();
          recomputeFull(w.store, { asOf: AS_OF });
          const partnerId = `P${p}`;
          const effectiveAt = t('2026-03-01 00:00:00') + day * 86_400_000;
          const strip = (o: DecisionOutcome) => ({
            orders: o.orders,
            partners: o.partners,
            events: o.events,
            members: o.members,
            money: o.money,
          });
          const add = {
            partnerId,
            restrictPromotion,
            reason: '随机世界：加入黑名单',
            effectiveAt,
            limit: 100_000,
          };
          const preview = await call<DecisionOutcome>(w, admin, 'blacklist.preview', add);
          expect(strip(await call<DecisionOutcome>(w, admin, 'blacklist.add', add))).toEqual(strip(preview));
          const lift = {
            partnerId,
            reason: '随机世界：解除',
            effectiveAt: effectiveAt + 10 * 86_400_000,
            limit: 100_000,
          };
          const liftPreview = await call<DecisionOutcome>(w, admin, 'blacklist.preview', lift);
          expect(strip(await call<DecisionOutcome>(w, admin, 'blacklist.lift', lift))).toEqual(
            strip(liftPreview),
          );
          const incremental = resultSnapshot(w.store);
          recomputeFull(w.store, { asOf: AS_OF });
          expect(resultSnapshot(w.store)).toBe(incremental);
          await w.close();
          open.splice(open.indexOf(w), 1);
        },
      ),
      { numRuns: 10 },
    );
  }, 180_000);
});
