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
import { latestRun, type EngineRunRef } from '../payouts/due';
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
  const view: TrendsView = { from, until: from + n * WEEK_MS, asOf: run?.asOf ?? null, levelIds, weeks: [] };
  if (!run || n === 0) {
    view.weeks = emptyWeeks(from, n, levelIds);
    return view;
  }
  const cache = await cachedSpan(db, run);
  view.weeks =
    cache && from >= cache.from && view.until <= cache.until
      ? await readWeeks(db, from, view.until, levelIds)
      : await computeWeeks(db, run, from, n);
  return view;
}

function emptyWeeks(from: number, n: number, levelIds: string[]): TrendWeekView[] {
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
  return weeks;
}

/** Paid lines so far (they only ever grow): with the run, what the cached weeks depend on. */
async function paidLines(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('payout_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'paid')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The span of weeks cached for this run and these paid lines, computing it first when the run or
 * the payments moved on (a recompute warms it: refreshTrends). Null when the store cannot be
 * written (a read-only store): then every request computes its weeks.
 */
async function cachedSpan(
  db: Kysely<Database>,
  run: EngineRunRef,
): Promise<{ from: number; until: number } | null> {
  const paid = await paidLines(db);
  const state = await db.selectFrom('result_trend_state').selectAll().executeTakeFirst();
  if (state && state.run_id === run.runId && state.paid_lines === paid)
    return { from: state.from_week, until: state.until_week };
  try {
    return await refreshTrends(db, run, paid);
  } catch {
    return null;
  }
}

/**
 * Computes the weekly trends of every week of the store (from the first partner joining or the
 * first valid order to the week after the engine's as-of) and keeps them with the results.
 */
export async function refreshTrends(
  db: Kysely<Database>,
  known?: EngineRunRef,
  paid?: number,
): Promise<{ from: number; until: number } | null> {
  const run = known ?? (await latestRun(db).catch(() => null));
  if (!run) return null;
  const paidNow = paid ?? (await paidLines(db));
  const first = await db
    .selectFrom('result_orders')
    .select((eb) => eb.fn.min<number>('ordered_at').as('t'))
    .where('status', '=', sql.lit('valid' as const))
    .executeTakeFirst();
  const joined = await db
    .selectFrom('partners')
    .select((eb) => eb.fn.min<number>('joined_at').as('t'))
    .executeTakeFirst();
  const start = Math.min(first?.t ?? run.asOf, joined?.t ?? run.asOf, run.asOf);
  const from = cycleOf('weekly', start).start;
  const until = cycleOf('weekly', run.asOf).end + WEEK_MS;
  const weeks = await computeWeeks(db, run, from, Math.round((until - from) / WEEK_MS));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('result_trend_weeks').execute();
    for (let i = 0; i < weeks.length; i += 400)
      await trx
        .insertInto('result_trend_weeks')
        .values(
          weeks.slice(i, i + 400).map((w) => ({
            week_start: w.weekStart,
            valid_orders: w.validOrders,
            pending_fen: w.pendingFen,
            confirmed_fen: w.confirmedFen,
            paid_fen: w.paidFen,
            frozen_fen: w.frozenFen,
            clawed_orders: w.clawedOrders,
            clawed_fen: w.clawedFen,
            levels_json: JSON.stringify(w.levels),
          })),
        )
        .execute();
    await trx.deleteFrom('result_trend_state').execute();
    await trx
      .insertInto('result_trend_state')
      .values({ one: 1, run_id: run.runId, paid_lines: paidNow, from_week: from, until_week: until })
      .execute();
  });
  return { from, until };
}

async function readWeeks(db: Kysely<Database>, from: number, until: number, levelIds: string[]) {
  const rows = await db
    .selectFrom('result_trend_weeks')
    .selectAll()
    .where('week_start', '>=', from)
    .where('week_start', '<', until)
    .orderBy('week_start')
    .execute();
  return rows.map((r): TrendWeekView => ({
    weekStart: r.week_start,
    week: cycleOf('weekly', r.week_start).key,
    validOrders: r.valid_orders,
    pendingFen: r.pending_fen,
    confirmedFen: r.confirmed_fen,
    paidFen: r.paid_fen,
    frozenFen: r.frozen_fen,
    clawedOrders: r.clawed_orders,
    clawedFen: r.clawed_fen,
    refundRateBp: r.valid_orders ? Math.round((r.clawed_orders * 10_000) / r.valid_orders) : 0,
    levels: {
      ...Object.fromEntries(levelIds.map((id) => [id, 0])),
      ...(JSON.parse(r.levels_json) as Record<string, number>),
    },
  }));
}

/** The trends of `n` weeks from `from`, computed from the stored results. */
async function computeWeeks(
  db: Kysely<Database>,
  run: EngineRunRef,
  from: number,
  n: number,
): Promise<TrendWeekView[]> {
  const levelIds = run.params.levels.map((l) => l.id);
  const weeks = emptyWeeks(from, n, levelIds);
  const view = { from, until: from + n * WEEK_MS };

  const WEEK = sql.lit(WEEK_MS);
  const FROM = sql.lit(view.from);
  const valid = sql.lit('valid' as const);
  // the week's valid orders, summed by the store (one scan of the valid orders' covering index);
  // integer division, as in PostgreSQL
  const week = sql<number>`(ordered_at - ${FROM}) / ${WEEK}`;
  const sums = await db
    .selectFrom('result_orders')
    .select((eb) => [
      week.as('w'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(sql`CASE WHEN rebate_status = 'frozen' THEN rebate_fen ELSE 0 END`).as('frozen'),
      eb.fn
        .sum<number>(
          sql`CASE WHEN rebate_status <> 'frozen' AND (confirm_at IS NULL OR confirm_at > ${run.asOf}) THEN rebate_fen ELSE 0 END`,
        )
        .as('pending'),
      eb.fn
        .sum<number>(
          sql`CASE WHEN rebate_status <> 'frozen' AND confirm_at <= ${run.asOf} THEN rebate_fen ELSE 0 END`,
        )
        .as('confirmed'),
      eb.fn.sum<number>('clawed').as('clawed'),
      // R-REB-1 on the paid amount minus the rebate on the net (half-up, integer fen)
      eb.fn
        .sum<number>(
          sql`CASE WHEN clawed = 1 THEN (paid_fen * COALESCE(ratio_bp, 0) + 5000) / 10000 - gross_rebate_fen ELSE 0 END`,
        )
        .as('clawedFen'),
    ])
    .where('status', '=', valid)
    .where('ordered_at', '>=', view.from)
    .where('ordered_at', '<', view.until)
    .groupBy(week)
    .execute();
  // of the confirmed, what was paid: the rebates of cycles with a paid line (few rows, by index)
  const paid = await db
    .selectFrom('payout_lines as l')
    .innerJoin('payout_batches as b', 'b.batch_id', 'l.batch_id')
    .innerJoin('result_orders as o', (j) =>
      j.onRef('o.partner_id', '=', 'l.partner_id').onRef('o.cycle_key', '=', 'b.cycle_key'),
    )
    .select((eb) => [
      sql<number>`(o.ordered_at - ${FROM}) / ${WEEK}`.as('w'),
      eb.fn.sum<number>('o.rebate_fen').as('fen'),
    ])
    .where('b.status', '=', 'approved')
    .where('l.status', '=', 'paid')
    .where('o.status', '=', valid)
    .where('o.rebate_status', '<>', 'frozen')
    .where('o.confirm_at', '<=', run.asOf)
    .where('o.ordered_at', '>=', view.from)
    .where('o.ordered_at', '<', view.until)
    .groupBy(sql`(o.ordered_at - ${FROM}) / ${WEEK}`)
    .execute();
  for (const r of sums) {
    const w = weeks[Number(r.w)];
    if (!w) continue;
    w.validOrders = Number(r.n);
    w.frozenFen = Number(r.frozen ?? 0);
    w.pendingFen = Number(r.pending ?? 0);
    w.confirmedFen = Number(r.confirmed ?? 0);
    w.clawedOrders = Number(r.clawed ?? 0);
    w.clawedFen = Number(r.clawedFen ?? 0);
    w.refundRateBp = w.validOrders ? Math.round((w.clawedOrders * 10_000) / w.validOrders) : 0;
  }
  for (const r of paid) {
    const w = weeks[Number(r.w)];
    if (!w) continue;
    w.paidFen = Number(r.fen ?? 0);
    w.confirmedFen -= w.paidFen;
  }

  // partners per level at the end of each week, from each partner's level segments
  // [at, next change): +1 to the level in the week the segment starts (or the partner joined),
  // -1 in the week it ends; the running sum over weeks is the count at each week's end
  const bucket = (t: ReturnType<typeof sql>) =>
    sql<number>`CASE WHEN ${t} < ${FROM} THEN -1 ELSE (${t} - ${FROM}) / ${WEEK} END`;
  const segments = db
    .selectFrom('result_levels as l')
    .leftJoin('partners as p', 'p.partner_id', 'l.partner_id')
    .select([
      'l.level',
      sql<number>`CASE WHEN l.at < COALESCE(p.joined_at, 0) THEN p.joined_at ELSE l.at END`.as('enter'),
      sql<number | null>`LEAD(l.at) OVER (PARTITION BY l.partner_id ORDER BY l.at)`.as('leave'),
    ])
    .as('s');
  const moves = await db
    .selectFrom(segments)
    .select((eb) => [
      's.level',
      bucket(sql`s.enter`).as('w'),
      sql<number | null>`CASE WHEN s.leave IS NULL THEN NULL ELSE ${bucket(sql`s.leave`)} END`.as('out'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where(sql<boolean>`s.leave IS NULL OR s.leave > s.enter`)
    .groupBy(['s.level', sql`2`, sql`3`])
    .execute();
  const delta = weeks.map(() => new Map<string, number>());
  const before = new Map<string, number>();
  const add = (w: number, level: string, d: number) => {
    if (w < 0) before.set(level, (before.get(level) ?? 0) + d);
    else if (w < delta.length) delta[w].set(level, (delta[w].get(level) ?? 0) + d);
  };
  for (const m of moves) {
    add(Number(m.w), m.level, Number(m.n));
    if (m.out !== null) add(Number(m.out), m.level, -Number(m.n));
  }
  for (let i = 0; i < weeks.length; i++) {
    if (weeks[i].weekStart > run.asOf) break; // no level is known after the as-of
    for (const [level, d] of delta[i]) before.set(level, (before.get(level) ?? 0) + d);
    weeks[i].levels = { ...weeks[i].levels, ...Object.fromEntries(before) };
  }
  return weeks;
}
