import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { exportRows, EXPORT_WHATS, toJson } from './export';
import { rebateFen } from './rebate';
import { recomputeFull, recomputeIncremental } from './recompute';
import { resultSnapshot, t, world, type World } from './test-fixtures';

/** A small random world as a list of insert actions (so that it can be replayed in any order). */
type Action = (w: World) => void;

function randomWorld(seed: number, size = 1): { actions: Action[]; later: Action[] } {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const day = (d: number, h = 10) =>
    `2026-${String(3 + Math.floor(d / 28)).padStart(2, '0')}-${String((d % 28) + 1).padStart(2, '0')} ${String(h).padStart(2, '0')}:00:00`;
  const actions: Action[] = [];
  const later: Action[] = [];
  const np = 3 + Math.floor(rnd() * 3);
  const nc = Math.floor((6 + rnd() * 12) * size);
  const phones = ['13700000001', '13700000002', '13700000003'];
  const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
  for (let p = 0; p < np; p++) {
    const status = rnd() < 0.15 ? 'applied' : 'active';
    const phone = rnd() < 0.15 ? pick(phones) : `1380000${String(p).padStart(4, '0')}`;
    const idNumber = `1101011990${String(p).padStart(8, '0')}`;
    actions.push((w) => w.partner(`P${p}`, { status, phone, idNumber }));
    if (rnd() < 0.3) {
      const ip = pick(ips);
      actions.push((w) => w.loginIp(`A-P${p}`, ip));
    }
    if (rnd() < 0.15) {
      const from = day(Math.floor(rnd() * 40));
      const restrictPromotion = rnd() < 0.5;
      actions.push((w) => w.blacklist(`P${p}`, from, { restrictPromotion }));
    }
    if (rnd() < 0.15) {
      const lvl = pick(['L2', 'L3', 'L4']);
      const end = rnd() < 0.5 ? day(30) : null;
      actions.push((w) => w.override(`P${p}`, lvl, day(0), end));
    }
  }
  let ev = 0;
  let or = 0;
  for (let c = 0; c < nc; c++) {
    const id = `C${String(c).padStart(3, '0')}`;
    const phone = rnd() < 0.2 ? pick(phones) : `1390000${String(c).padStart(4, '0')}`;
    const ip = rnd() < 0.2 ? pick(ips) : undefined;
    const channel = rnd() < 0.1 ? 'agent' : 'none';
    actions.push((w) => w.customer(id, { phone, ip, channel }));
    const nev = Math.floor(rnd() * 4);
    for (let e = 0; e < nev; e++) {
      const eid = `E${String(ev++).padStart(4, '0')}`;
      const p = `P${Math.floor(rnd() * np)}`;
      const kind = pick(['register', 'login', 'login', 'visit'] as const);
      const d = Math.floor(rnd() * 60);
      const eip = rnd() < 0.15 ? pick(ips) : null;
      actions.push((w) => w.event(eid, p, id, kind, day(d), eip));
    }
    const nor = Math.floor(rnd() * 4);
    for (let o = 0; o < nor; o++) {
      const oid = `O${String(or++).padStart(4, '0')}`;
      const d = Math.floor(rnd() * 70);
      const amount = pick([0, 100, 600, 1200, 2500, 30000]);
      const line = pick(['ecs', 'ecs', 'rds', 'cdn']);
      const billing = rnd() < 0.15 ? 'postpaid' : 'prepaid';
      const subscription = rnd() < 0.5;
      const target = rnd() < 0.25 ? later : actions;
      target.push((w) => w.order(oid, id, day(d, 12), amount, { line, billing, subscription }));
      if (rnd() < 0.2) {
        const rd = d + Math.floor(rnd() * 40);
        const amt = rnd() < 0.5 ? amount : Math.floor(amount / 3);
        target.push((w) => w.refund(`R-${oid}`, oid, day(rd, 13), amt));
      }
    }
  }
  return { actions, later };
}

function snapshot(w: World): string {
  const db = w.store.sqlite;
  const parts = EXPORT_WHATS.map((what) => toJson(exportRows(db, what)));
  parts.push(resultSnapshot(w.store));
  return parts.join('\n');
}

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
            "SELECT group_id, COUNT(*) n FROM result_orders WHERE status = 'valid' GROUP BY group_id HAVING n > 1",
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
      { numRuns: 25 },
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
      { numRuns: 15 },
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
          const maxOrder = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM orders').pluck().get();
          const maxRefund = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM refunds').pluck().get();
          for (const a of later) a(w);
          db.prepare('UPDATE orders SET import_id = ? WHERE rowid > ?').run(importId, maxOrder);
          db.prepare('UPDATE refunds SET import_id = ? WHERE rowid > ?').run(importId, maxRefund);
          const inc = recomputeIncremental(w.store, { importIds: [importId] }, { partialGroupMin });
          expect(inc.mode).toBe('incremental');
          partialGroups += inc.stats.partialGroups ?? 0;
          const incremental = snapshot(w);
          recomputeFull(w.store, { asOf: AS_OF });
          expect(incremental).toBe(snapshot(w));
        }),
        { numRuns: partialGroupMin ? 40 : 20 },
      );
      // the default threshold leaves these small worlds' groups whole; the low one did take the partial path
      if (partialGroupMin) expect(partialGroups).toBeGreaterThan(0);
      else expect(partialGroups).toBe(0);
    });
  }

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
      { numRuns: 40 },
    );
    // the random worlds did split and join groups
    expect(split).toBeGreaterThan(0);
    expect(joined).toBeGreaterThan(0);
  });

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
