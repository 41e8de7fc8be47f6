import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { exportRows, EXPORT_WHATS, toJson } from '../export/results';
import { rebateFen } from '../rules/rebate';
import { recomputeFull, recomputeIncremental } from './recompute';
import { randomWorld } from '../test-support/random-world';
import { resultSnapshot, t, world, type World } from '../test-support/world';
import { onTeamSuite } from '../test-support/dialect';

function snapshot(w: World): string {
  const db = w.store.sqlite;
  const parts = EXPORT_WHATS.map((what) => toJson(exportRows(db, what)));
  parts.push(resultSnapshot(w.store));
  return parts.join('\n');
}

const AS_OF = t('2026-06-01 00:00:00');
/**
 * Random worlds per property: all of them on SQLite; a quarter again on team databases (each
 * world a database of its own there, vitest.team.config.ts).
 */
const runs = (n: number) => (onTeamSuite ? Math.ceil(n / 4) : n);
const open: World[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});
function fresh(): World {
  const w = world();
  open.push(w);
  return w;
}

describe('engine properties', () => {
  it('R-ORDER-1: at most one valid order per same-person group; R-REB-1: rebate ≤ ratio × paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const w = fresh();
        const { actions, later } = randomWorld(seed);
        for (const a of [...actions, ...later]) a(w);
        recomputeFull(w.store, { asOf: AS_OF });
        const db = w.store.sqlite;
        const perGroup = db
          .prepare(
            "SELECT group_id, COUNT(*) n FROM result_orders WHERE status = 'valid' GROUP BY group_id HAVING COUNT(*) > 1",
          )
          .all();
        expect(perGroup).toEqual([]);
        for (const o of db
          .prepare(
            "SELECT order_id, paid_fen, rebate_fen, ratio_bp FROM result_orders WHERE status = 'valid'",
          )
          .all() as {
          paid_fen: number;
          rebate_fen: number;
          ratio_bp: number;
        }[]) {
          expect(o.rebate_fen).toBeLessThanOrEqual(rebateFen(o.paid_fen, o.ratio_bp));
          expect(o.rebate_fen).toBeGreaterThanOrEqual(0);
        }
        const bad = db
          .prepare(
            "SELECT COUNT(*) FROM result_orders WHERE status <> 'valid' AND (rebate_fen <> 0 OR rebate_status IS NOT NULL)",
          )
          .pluck()
          .get();
        expect(bad).toBe(0);
      }),
      { numRuns: runs(25) },
    );
  });

  it('R-RECALC-1: recompute is idempotent and the order rows were inserted in is irrelevant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (seed, shuffleSeed) => {
          const { actions, later } = randomWorld(seed);
          const all = [...actions, ...later];
          const a = fresh();
          for (const x of all) x(a);
          recomputeFull(a.store, { asOf: AS_OF });
          const first = snapshot(a);
          recomputeFull(a.store, { asOf: AS_OF });
          expect(snapshot(a)).toBe(first);
          // same rows, shuffled insertion order (blacklist/override ids follow insertion, so keep admin rows in order)
          let s = shuffleSeed;
          const order = all.map((x, i) => ({ x, i, k: (s = (Math.imul(s, 48271) + 11) >>> 0) }));
          order.sort((p, q) => p.k - q.k);
          const b = fresh();
          const src = all.map((x) => x.toString());
          const isAdmin = (i: number) => /blacklist|override/.test(src[i]);
          for (const { x, i } of order) if (!isAdmin(i)) x(b);
          for (const [i, x] of all.entries()) if (isAdmin(i)) x(b);
          recomputeFull(b.store, { asOf: AS_OF });
          expect(snapshot(b)).toBe(first);
        },
      ),
      { numRuns: runs(15) },
    );
  });

  // partialGroupMin 2: every group of two or more accounts of which few were touched is
  // re-evaluated for its touched accounts only when it can be (R-SAME-1, recompute.ts PartialScope)
  for (const [label, partialGroupMin] of [
    ['', undefined],
    [' (large groups re-evaluated for their touched accounts only)', 2],
  ] as const) {
    it(`R-RECALC-1: incremental recompute after new orders and refunds equals a full recompute exactly${label}`, () => {
      let partialGroups = 0;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          const w = fresh();
          const { actions, later } = randomWorld(seed, 3);
          for (const a of actions) a(w);
          recomputeFull(w.store, { asOf: AS_OF });
          const db = w.store.sqlite;
          const importId = 77;
          db.prepare(
            "INSERT INTO imports (import_id, source, origin, file_name, operator_id, started_at, status) VALUES (?, 'orders', 'file', 'later.csv', 'test', 0, 'committed')",
          ).run(importId);
          // the rows the later actions add are the later import's (on both dialects: by key)
          const ids = (sql: string) => JSON.stringify(db.prepare(sql).pluck().all());
          const oldOrders = ids('SELECT order_id FROM orders');
          const oldRefunds = ids('SELECT refund_id FROM refunds');
          for (const a of later) a(w);
          db.prepare(
            'UPDATE orders SET import_id = ? WHERE order_id NOT IN (SELECT value FROM json_each(?))',
          ).run(importId, oldOrders);
          db.prepare(
            'UPDATE refunds SET import_id = ? WHERE refund_id NOT IN (SELECT value FROM json_each(?))',
          ).run(importId, oldRefunds);
          const inc = recomputeIncremental(w.store, { importIds: [importId] }, { partialGroupMin });
          expect(inc.mode).toBe('incremental');
          partialGroups += inc.stats.partialGroups ?? 0;
          const incremental = snapshot(w);
          recomputeFull(w.store, { asOf: AS_OF });
          expect(incremental).toBe(snapshot(w));
        }),
        { numRuns: partialGroupMin ? 40 : runs(20) },
      );
      // the default threshold leaves these small worlds' groups whole; the low one did take the partial path
      if (partialGroupMin) expect(partialGroups).toBeGreaterThan(0);
      else expect(partialGroups).toBe(0);
    });
  }

  it('R-DISP-2: incremental recompute after disputes are upheld and revoked equals a full recompute exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const w = fresh();
        const { actions, later } = randomWorld(seed, 2);
        for (const a of [...actions, ...later]) a(w);
        recomputeFull(w.store, { asOf: AS_OF });
        const db = w.store.sqlite;
        let s = seed;
        const rnd = () => (s = (Math.imul(s, 48271) + 11) >>> 0) / 2 ** 32;
        const customers = db
          .prepare('SELECT customer_id FROM customers ORDER BY customer_id')
          .pluck()
          .all() as string[];
        const partners = db
          .prepare('SELECT partner_id FROM partners ORDER BY partner_id')
          .pluck()
          .all() as string[];
        // uphold a few new cases, revoke a few granted ones (what the decisions write)
        const touched: string[] = [];
        for (let i = 0; i < 3; i++) {
          const c = customers[Math.floor(rnd() * customers.length)];
          const p = partners[Math.floor(rnd() * partners.length)];
          const d = 1 + Math.floor(rnd() * 60);
          w.manual(
            1000 + i,
            p,
            c,
            `2026-${String(3 + Math.floor(d / 28)).padStart(2, '0')}-${String((d % 28) + 1).padStart(2, '0')} 08:00:00`,
          );
          touched.push(c);
        }
        for (const [id, c] of db
          .prepare(
            "SELECT dispute_id, customer_id FROM disputes WHERE status = 'upheld' AND dispute_id < 1000",
          )
          .raw(true)
          .all() as [number, string][]) {
          if (rnd() < 0.5) continue;
          db.prepare(
            "UPDATE disputes SET status = 'revoked', revoked_by = 'admin', revoked_at = 3, revoke_reason = 'mistake' WHERE dispute_id = ?",
          ).run(id);
          touched.push(c);
        }
        // odd seeds: large groups re-evaluated for their touched accounts only (PartialScope)
        recomputeIncremental(w.store, { customers: touched }, { partialGroupMin: seed % 2 ? 2 : undefined });
        const incremental = snapshot(w);
        recomputeFull(w.store, { asOf: AS_OF });
        expect(incremental).toBe(snapshot(w));
      }),
      { numRuns: runs(20) },
    );
  });

  it('R-SAME-4, R-SAME-1, R-OP-3: marking or unmarking a shared IP regroups only the groups of the accounts seen on it, and equals a full recompute exactly', () => {
    const IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
    let split = 0;
    let joined = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.subarray(IPS),
        fc.constantFrom(...IPS),
        fc.boolean(),
        (seed, marked, ip, late) => {
          const w = fresh();
          const { actions, later } = randomWorld(seed, 3);
          for (const a of [...actions, ...later]) a(w);
          // some IPs marked before the as-of; one mark only after it (R-OP-3: not in force yet)
          for (const m of marked) w.sharedIp(m, 'campus NAT', { markedAt: '2026-03-01 00:00:00' });
          w.sharedIp('10.0.0.9', 'later', { markedAt: '2026-07-01 00:00:00' });
          recomputeFull(w.store, { asOf: AS_OF });
          const db = w.store.sqlite;
          const members = () =>
            JSON.stringify(
              db.prepare('SELECT * FROM result_same_person ORDER BY member_kind, member_id').all(),
            );
          const membersBefore = members();
          // the decision: unmark an IP marked now, else mark it — effective before the as-of, or
          // (late) after it, when it must change nothing (R-OP-3)
          const at = t(late ? '2026-06-15 00:00:00' : '2026-05-01 00:00:00');
          if (marked.includes(ip))
            db.prepare(
              'UPDATE shared_ips SET unmarked_at = ?, unmarked_by = ? WHERE ip = ? AND unmarked_at IS NULL',
            ).run(at, 'admin', ip);
          else
            db.prepare(
              'INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at) VALUES (?, ?, ?, ?, ?)',
            ).run(ip, 'office NAT', 'admin', at, at);
          const before = snapshot(w);
          const inc = recomputeIncremental(w.store, { sharedIps: [ip] });
          expect(inc.mode).toBe('incremental');
          const incremental = snapshot(w);
          if (late) expect(incremental).toBe(before);
          if (!late && members() !== membersBefore) {
            if (marked.includes(ip)) joined++;
            else split++;
          }
          recomputeFull(w.store, { asOf: AS_OF });
          expect(incremental).toBe(snapshot(w));
        },
      ),
      // all of them on both dialects: fewer worlds may split or join no group (asserted below)
      { numRuns: 40 },
    );
    // the random worlds did split and join groups
    expect(split).toBeGreaterThan(0);
    expect(joined).toBeGreaterThan(0);
  }, 600_000);

  it('R-RECALC-1: incremental recompute for partners whose blacklist changed equals a full recompute', () => {
    const w = fresh();
    const { actions, later } = randomWorld(4242, 3);
    for (const a of [...actions, ...later]) a(w);
    recomputeFull(w.store, { asOf: AS_OF });
    w.blacklist('P1', '2026-03-10 00:00:00');
    recomputeIncremental(w.store, { partners: ['P1'] });
    const incremental = snapshot(w);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(incremental).toBe(snapshot(w));
  });
});
