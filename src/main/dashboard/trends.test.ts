import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate';
import { decide, markPaid, prepareBatch } from '../payouts/batches';
import { rebateFen } from '../rules/rebate';
import { recomputeFull } from '../engine/recompute';
import { t } from '../test-support/world';
import { openStore, type Store } from '../store/open-store';
import { actor } from '../test-support/actors';
import { onDialect, onPostgres, testDialect, type TestDb } from '../test-support/dialect';
import { dashboardTrends } from './trends';

let dir: string;
let store: Store;
/** the store on the dialect under test (issue 13: YUNKE_TEST_DB=postgres, a copy on PostgreSQL) */
let d: TestDb;
const asOf = t('2026-11-25 00:00:00');
const WEEK = 7 * 86_400_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-trends-'));
  store = openStore(join(dir, 'store.db'));
  await generateDemo(store, { scale: 0.2, seed: 11, actor: actor('tester') });
  recomputeFull(store, { asOf });
  // one cycle paid
  const b = await prepareBatch(store.db, { cycleKey: '2026-09', actor: actor('m', 'finance') });
  await decide(store.db, {
    batchId: b.batchId,
    decision: 'approve',
    reason: '核对无误',
    actor: actor('c', 'finance'),
  });
  await markPaid(store.db, { batchId: b.batchId, actor: actor('c', 'finance') });
  d = await onDialect(store);
}, 120_000);
afterAll(async () => {
  await d?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same figures, row by row in plain code (the reference the store's sums must equal). */
function reference(from: number, weeks: number) {
  const orders = store.sqlite
    .prepare(
      `SELECT partner_id, cycle_key, ordered_at, rebate_fen, rebate_status, confirm_at, clawed, paid_fen, ratio_bp, gross_rebate_fen
       FROM result_orders WHERE status = 'valid'`,
    )
    .all() as {
    partner_id: string;
    cycle_key: string;
    ordered_at: number;
    rebate_fen: number;
    rebate_status: string;
    confirm_at: number;
    clawed: number;
    paid_fen: number;
    ratio_bp: number;
    gross_rebate_fen: number;
  }[];
  const paid = new Set(
    (
      store.sqlite
        .prepare(
          `SELECT l.partner_id, b.cycle_key FROM payout_lines l JOIN payout_batches b ON b.batch_id = l.batch_id WHERE b.status = 'approved' AND l.status = 'paid'`,
        )
        .all() as { partner_id: string; cycle_key: string }[]
    ).map((r) => `${r.partner_id}|${r.cycle_key}`),
  );
  const out = Array.from({ length: weeks }, () => ({
    validOrders: 0,
    pendingFen: 0,
    confirmedFen: 0,
    paidFen: 0,
    frozenFen: 0,
    clawedOrders: 0,
    clawedFen: 0,
    levels: {} as Record<string, number>,
  }));
  for (const o of orders) {
    const i = Math.floor((o.ordered_at - from) / WEEK);
    if (i < 0 || i >= weeks) continue;
    const w = out[i];
    w.validOrders++;
    if (o.rebate_status === 'frozen') w.frozenFen += o.rebate_fen;
    else if (o.confirm_at > asOf) w.pendingFen += o.rebate_fen;
    else if (paid.has(`${o.partner_id}|${o.cycle_key}`)) w.paidFen += o.rebate_fen;
    else w.confirmedFen += o.rebate_fen;
    if (o.clawed) {
      w.clawedOrders++;
      w.clawedFen += rebateFen(o.paid_fen, o.ratio_bp) - o.gross_rebate_fen;
    }
  }
  const partners = store.sqlite.prepare('SELECT partner_id, joined_at FROM partners').all() as {
    partner_id: string;
    joined_at: number | null;
  }[];
  const levelsOf = store.sqlite.prepare(
    'SELECT at, level FROM result_levels WHERE partner_id = ? ORDER BY at',
  );
  for (let i = 0; i < weeks; i++) {
    const end = from + (i + 1) * WEEK;
    if (end - WEEK > asOf) break;
    for (const p of partners) {
      if (p.joined_at !== null && p.joined_at >= end) continue;
      const rows = levelsOf.all(p.partner_id) as { at: number; level: string }[];
      const last = rows.filter((r) => r.at < end).pop();
      if (last) out[i].levels[last.level] = (out[i].levels[last.level] ?? 0) + 1;
    }
  }
  return out;
}

const onSqlite = it.skipIf(onPostgres);

describe(`dashboard trends on ${testDialect}`, () => {
  it('R-REB-3 / R-CLAW-1 / R-LVL-1: week by week, the store’s sums equal the figures counted order by order and partner by partner', async () => {
    const from = t('2026-06-01 00:00:00'); // a Monday
    const tr = await dashboardTrends(d.db, { from, until: t('2026-12-07 00:00:00') });
    expect(tr.weeks[0].week).toBe('2026-W23');
    const ref = reference(from, tr.weeks.length);
    for (const [i, w] of tr.weeks.entries()) {
      const { levels, ...rest } = ref[i];
      expect(
        { ...w, levels: Object.fromEntries(Object.entries(w.levels).filter(([, n]) => n > 0)) },
        w.week,
      ).toMatchObject({
        ...rest,
        levels,
      });
    }
    expect(tr.weeks.some((w) => w.paidFen > 0)).toBe(true);
    expect(tr.weeks.some((w) => w.clawedOrders > 0)).toBe(true);
    expect(tr.weeks.some((w) => Object.keys(w.levels).filter((l) => w.levels[l] > 0).length >= 3)).toBe(true);
    // weeks after the as-of know no level
    expect(Object.values(tr.weeks.at(-1)!.levels).every((n) => n === 0)).toBe(true);
  });

  // a payment and a recompute: the engine runs on SQLite only until issue 13's storage interface
  onSqlite('R-PAY-3: the weeks kept with the results follow a payment and a recompute', async () => {
    const from = t('2026-06-01 00:00:00');
    const until = t('2026-12-07 00:00:00');
    const before = await dashboardTrends(store.db, { from, until });
    const state = () => store.sqlite.prepare('SELECT run_id, paid_lines FROM result_trend_state').get();
    const kept = state();
    expect(kept).toBeDefined();
    // a later cycle paid: the kept weeks are computed again, with the new payments
    const b = await prepareBatch(store.db, { cycleKey: '2026-10', actor: actor('m', 'finance') });
    await decide(store.db, {
      batchId: b.batchId,
      decision: 'approve',
      reason: '核对无误',
      actor: actor('c', 'finance'),
    });
    await markPaid(store.db, { batchId: b.batchId, actor: actor('c', 'finance') });
    const after = await dashboardTrends(store.db, { from, until });
    expect(state()).not.toEqual(kept);
    const paid = (x: typeof before) => x.weeks.reduce((s, w) => s + w.paidFen, 0);
    expect(paid(after)).toBeGreaterThan(paid(before));
    const ref = reference(from, after.weeks.length);
    expect(after.weeks.map((w) => w.paidFen)).toEqual(ref.map((w) => w.paidFen));
    recomputeFull(store, { asOf });
    const again = await dashboardTrends(store.db, { from, until });
    expect((state() as { run_id: number }).run_id).toBeGreaterThan((kept as { run_id: number }).run_id);
    expect(again.weeks).toEqual(after.weeks);
  });

  it('defaults to the 26 weeks up to the engine’s as-of', async () => {
    const tr = await dashboardTrends(d.db, {});
    expect(tr.weeks).toHaveLength(26);
    expect(tr.weeks.at(-1)!.weekStart).toBeLessThanOrEqual(asOf);
    expect(tr.until).toBeGreaterThan(asOf);
  });
});
