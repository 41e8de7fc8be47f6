/**
 * 概览 trends over weeks (Monday 00:00 Asia/Shanghai): valid orders; the rebates of the week's
 * valid orders by their state at the engine's as-of (pending, confirmed, paid, frozen — R-REB-3,
 * R-BL-1, R-PAY-3); the orders a refund clawed back and the refund rate (R-CLAW-1); partners per
 * level at the end of each week (R-LVL-1). From stored results only: the valid orders through
 * their partial index (covering: no table row is read), level changes from result_levels, paid
 * cycles from the payout lines. Portable Kysely.
 */
import { sql, type Kysely } from 'kysely';
import type { TrendsView, TrendWeekView } from '../api/methods/payouts.contract';
import { latestRun } from '../payouts/due';
import { rebateFen } from '../rules/rebate';
import { cycleOf, DAY_MS } from '../rules/time';
import type { Database } from '../store/database';

const WEEK_MS = 7 * DAY_MS;
const DEFAULT_WEEKS = 26;

export async function dashboardTrends(
  db: Kysely<Database>,
  input: { from?: number; until?: number; now?: number },
): Promise<TrendsView> {
  const run = await latestRun(db).catch(() => null);
  const levelIds = run?.params.levels.map((l) => l.id) ?? [];
  const anchor = input.until ?? (run?.asOf ?? input.now ?? Date.now()) + 1;
  // whole weeks: from the Monday of `from` to the Monday after the last instant before `until`
  const until = cycleOf('weekly', anchor - 1).end;
  const from = cycleOf('weekly', input.from ?? until - DEFAULT_WEEKS * WEEK_MS).start;
  const n = Math.max(0, Math.min(520, Math.round((until - from) / WEEK_MS)));
  const weeks: TrendWeekView[] = [];
  for (let i = 0; i < n; i++) {
    const c = cycleOf('weekly', from + i * WEEK_MS);
    weeks.push({
      weekStart: c.start,
      week: c.key,
      validOrders: 0,
      pendingFen: 0,
      confirmedFen: 0,
      paidFen: 0,
      frozenFen: 0,
      clawedOrders: 0,
      clawedFen: 0,
      refundRateBp: 0,
      levels: Object.fromEntries(levelIds.map((id) => [id, 0])),
    });
  }
  const view: TrendsView = { from, until: from + n * WEEK_MS, asOf: run?.asOf ?? null, levelIds, weeks };
  if (!run || n === 0) return view;

  // cycles already paid, per partner (a paid line of an approved batch)
  const paid = new Set(
    (
      await db
        .selectFrom('payout_lines as l')
        .innerJoin('payout_batches as b', 'b.batch_id', 'l.batch_id')
        .select(['l.partner_id', 'b.cycle_key'])
        .where('b.status', '=', 'approved')
        .where('l.status', '=', 'paid')
        .execute()
    ).map((r) => `${r.partner_id}\u0000${r.cycle_key}`),
  );
  const orders = await db
    .selectFrom('result_orders')
    .select([
      'partner_id',
      'cycle_key',
      'ordered_at',
      'rebate_fen',
      'rebate_status',
      'confirm_at',
      'clawed',
      'paid_fen',
      'ratio_bp',
      'gross_rebate_fen',
    ])
    .where('status', '=', sql.lit('valid'))
    .where('ordered_at', '>=', view.from)
    .where('ordered_at', '<', view.until)
    .execute();
  for (const o of orders) {
    const w = weeks[Math.floor((o.ordered_at - view.from) / WEEK_MS)];
    if (!w) continue;
    w.validOrders++;
    if (o.rebate_status === 'frozen') w.frozenFen += o.rebate_fen;
    else if (o.confirm_at === null || o.confirm_at > run.asOf) w.pendingFen += o.rebate_fen;
    else if (paid.has(`${o.partner_id}\u0000${o.cycle_key}`)) w.paidFen += o.rebate_fen;
    else w.confirmedFen += o.rebate_fen;
    if (o.clawed === 1) {
      w.clawedOrders++;
      w.clawedFen += rebateFen(o.paid_fen, o.ratio_bp ?? 0) - o.gross_rebate_fen;
    }
  }
  for (const w of weeks)
    w.refundRateBp = w.validOrders ? Math.round((w.clawedOrders * 10_000) / w.validOrders) : 0;

  // partners per level at the end of each week: each partner's level changes (by partner, time)
  const joined = new Map(
    (await db.selectFrom('partners').select(['partner_id', 'joined_at']).execute()).map((p) => [
      p.partner_id,
      p.joined_at,
    ]),
  );
  const changes = await db
    .selectFrom('result_levels')
    .select(['partner_id', 'at', 'level'])
    .orderBy('partner_id')
    .orderBy('at')
    .execute();
  const ends = weeks.map((w) => w.weekStart + WEEK_MS);
  for (let i = 0; i < changes.length;) {
    const pid = changes[i].partner_id;
    let j = i;
    while (j < changes.length && changes[j].partner_id === pid) j++;
    const joinedAt = joined.get(pid) ?? null;
    let k = i;
    for (let wi = 0; wi < ends.length; wi++) {
      const end = ends[wi];
      if (end > run.asOf + WEEK_MS) break; // no level is known after the as-of's week
      if (joinedAt !== null && joinedAt >= end) continue;
      while (k + 1 < j && changes[k + 1].at < end) k++;
      if (changes[k].at >= end) continue;
      const lv = weeks[wi].levels;
      lv[changes[k].level] = (lv[changes[k].level] ?? 0) + 1;
    }
    i = j;
  }
  return view;
}
