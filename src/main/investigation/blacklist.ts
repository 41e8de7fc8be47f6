/**
 * 黑名单 (R-BL-1..3) and 风险复核 (R-CLAW-4) as the screens list them, paged and sorted in the store
 * (portable Kysely): entries with the amount frozen now, a partner's history, flagged partners
 * with their refunds over the risk window.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  BlacklistHistory,
  BlacklistRow,
  RiskDecisionView,
  RiskDetail,
  RiskRow,
  RiskStatus,
} from '../api/methods/blacklist.contract';
import { configInEffect, listConfigVersions } from '../config/rule-configs';
import type { RiskDecisionsTable } from '../store/admin.table';
import type { Database } from '../store/database';
import { latestRun } from './queue';

type Db = Kysely<Database>;

const statusAt = (since: number, until: number | null, now: number): BlacklistRow['status'] =>
  since > now ? 'scheduled' : until !== null && until <= now ? 'lifted' : 'active';

function entries(db: Db) {
  return db
    .selectFrom('blacklist_entries as b')
    .leftJoin('partners as p', 'p.partner_id', 'b.partner_id')
    .leftJoin('result_partners as r', 'r.partner_id', 'b.partner_id');
}

const ENTRY_COLUMNS = [
  'b.entry_id',
  'b.partner_id',
  'p.name',
  'b.reason',
  'b.added_by',
  'b.added_at',
  'b.recorded_at',
  'b.lifted_at',
  'b.lifted_by',
  'b.lift_reason',
  'b.lift_recorded_at',
  'b.restrict_promotion',
  'r.frozen_fen',
] as const;

type EntryRow = {
  entry_id: number;
  partner_id: string;
  name: string | null;
  reason: string;
  added_by: string;
  added_at: number;
  recorded_at: number;
  lifted_at: number | null;
  lifted_by: string | null;
  lift_reason: string | null;
  lift_recorded_at: number | null;
  restrict_promotion: number;
  frozen_fen: number | null;
};

function entryView(r: EntryRow, now: number): BlacklistRow {
  const status = statusAt(r.added_at, r.lifted_at, now);
  return {
    entryId: r.entry_id,
    partnerId: r.partner_id,
    partnerName: r.name,
    reason: r.reason,
    addedBy: r.added_by,
    since: r.added_at,
    recordedAt: r.recorded_at,
    until: r.lifted_at,
    liftedBy: r.lifted_by,
    liftReason: r.lift_reason,
    liftRecordedAt: r.lift_recorded_at,
    restrictPromotion: r.restrict_promotion === 1,
    status,
    frozenFen: status === 'active' ? (r.frozen_fen ?? 0) : 0,
  };
}

export async function listBlacklist(
  db: Db,
  q: {
    status: 'active' | 'scheduled' | 'lifted' | 'all';
    partnerId?: string;
    sort: 'since' | 'frozen' | 'partner';
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
  now: number,
): Promise<{ rows: BlacklistRow[]; total: number }> {
  let base = entries(db);
  if (q.status === 'active')
    base = base
      .where('b.added_at', '<=', now)
      .where((eb) => eb.or([eb('b.lifted_at', 'is', null), eb('b.lifted_at', '>', now)]));
  else if (q.status === 'scheduled') base = base.where('b.added_at', '>', now);
  else if (q.status === 'lifted') base = base.where('b.lifted_at', '<=', now);
  if (q.partnerId) base = base.where('b.partner_id', '=', q.partnerId);
  const col = q.sort === 'since' ? 'b.added_at' : q.sort === 'frozen' ? 'r.frozen_fen' : 'b.partner_id';
  const [rows, count] = await Promise.all([
    base
      .select([...ENTRY_COLUMNS])
      // an entry without results has no frozen money (NULL): smallest, as SQLite sorts NULLs, on both dialects
      .orderBy(col, (ob) => (q.dir === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast()))
      .orderBy('b.entry_id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => entryView(r as EntryRow, now)), total: Number(count.n) };
}

export function riskDecisionView(r: Selectable<RiskDecisionsTable>): RiskDecisionView {
  return {
    decisionId: r.decision_id,
    partnerId: r.partner_id,
    decision: r.decision,
    reason: r.reason,
    decidedBy: r.decided_by,
    effectiveAt: r.effective_at,
    recordedAt: r.recorded_at,
    blacklistEntryId: r.blacklist_entry_id,
    reflagAfter: r.reflag_after,
  };
}

export async function blacklistHistory(db: Db, partnerId: string, now: number): Promise<BlacklistHistory> {
  const [rows, decisions, partner, result] = await Promise.all([
    entries(db)
      .select([...ENTRY_COLUMNS])
      .where('b.partner_id', '=', partnerId)
      .orderBy('b.added_at', 'desc')
      .orderBy('b.entry_id', 'desc')
      .execute(),
    db
      .selectFrom('risk_decisions')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('decision_id', 'desc')
      .execute(),
    db.selectFrom('partners').select('name').where('partner_id', '=', partnerId).executeTakeFirst(),
    db
      .selectFrom('result_partners')
      .select(['blacklisted', 'frozen_fen'])
      .where('partner_id', '=', partnerId)
      .executeTakeFirst(),
  ]);
  return {
    partnerId,
    partnerName: partner?.name ?? null,
    blacklisted: result?.blacklisted === 1,
    frozenFen: result?.frozen_fen ?? 0,
    entries: rows.map((r) => entryView(r as EntryRow, now)),
    riskDecisions: decisions.map(riskDecisionView),
  };
}

const RISK_SORT = {
  rate: 'r.risk_rate_bp',
  clawed: 'r.risk_clawed_orders',
  valid: 'r.risk_valid_orders',
  partner: 'r.partner_id',
} as const;

/** The partners flagged by R-CLAW-4 in the latest results, with their status and last decision. */
export async function listRisk(
  db: Db,
  q: {
    status: RiskStatus | 'all';
    sort: keyof typeof RISK_SORT;
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ rows: RiskRow[]; total: number; asOf: number | null }> {
  let base = db
    .selectFrom('result_partners as r')
    .leftJoin('partners as p', 'p.partner_id', 'r.partner_id')
    .where('r.risk_flag', '=', 1);
  if (q.status !== 'all') base = base.where('r.risk_status', '=', q.status);
  const col = RISK_SORT[q.sort];
  let page = base
    .select([
      'r.partner_id',
      'p.name',
      'r.risk_valid_orders',
      'r.risk_clawed_orders',
      'r.risk_rate_bp',
      'r.risk_status',
      'r.level',
      'r.frozen_fen',
    ])
    .orderBy(col, q.dir);
  if (col !== 'r.partner_id') page = page.orderBy('r.partner_id');
  const [rows, count, run] = await Promise.all([
    page.limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    latestRun(db),
  ]);
  const last = await lastDecisions(
    db,
    rows.map((r) => r.partner_id),
  );
  return {
    rows: rows.map((r) => ({
      partnerId: r.partner_id,
      partnerName: r.name,
      validOrders: r.risk_valid_orders,
      clawedBack: r.risk_clawed_orders,
      refundRateBp: r.risk_rate_bp,
      status: (r.risk_status ?? 'open') as RiskStatus,
      level: r.level,
      frozenFen: r.frozen_fen,
      lastDecision: last.get(r.partner_id) ?? null,
    })),
    total: Number(count.n),
    asOf: run?.asOf ?? null,
  };
}

async function lastDecisions(db: Db, partnerIds: string[]): Promise<Map<string, RiskDecisionView>> {
  const out = new Map<string, RiskDecisionView>();
  if (partnerIds.length === 0) return out;
  const rows = await db
    .selectFrom('risk_decisions')
    .selectAll()
    .where('partner_id', 'in', partnerIds)
    .orderBy('decision_id')
    .execute();
  for (const r of rows) out.set(r.partner_id, riskDecisionView(r));
  return out;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * One partner's R-CLAW-4 picture at the results' as-of: the row of the list (when flagged), the
 * window's valid orders per week with those clawed back (a chart's data), the clawed orders, and
 * every decision taken on the partner's flags.
 */
export async function riskDetail(db: Db, partnerId: string): Promise<RiskDetail> {
  const run = await latestRun(db);
  // the config the results were computed with
  const cfg = (
    (await listConfigVersions(db)).find((v) => v.version === run?.configVersion) ??
    (await configInEffect(db, run?.asOf ?? Number.MAX_SAFE_INTEGER))
  ).config;
  const days = cfg.risk.window_days;
  const to = run?.asOf ?? null;
  const from = to === null ? null : to - days * 86_400_000;
  const [flag, decisions] = await Promise.all([
    listRiskRow(db, partnerId),
    db
      .selectFrom('risk_decisions')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('decision_id', 'desc')
      .execute(),
  ]);
  const series: RiskDetail['series'] = [];
  const clawed: RiskDetail['clawed'] = [];
  if (from !== null && to !== null) {
    const orders = await db
      .selectFrom('result_orders')
      .select(['order_id', 'customer_id', 'ordered_at', 'paid_fen', 'net_fen', 'clawed', 'clawed_at'])
      .where('partner_id', '=', partnerId)
      .where('status', '=', 'valid')
      .where('ordered_at', '>', from)
      .where('ordered_at', '<=', to)
      .orderBy('ordered_at')
      .orderBy('order_id')
      .execute();
    // weeks ending at the as-of, so that the last bar is the most recent 7 days
    for (let end = to; end > from; end -= WEEK_MS)
      series.unshift({ start: Math.max(from, end - WEEK_MS), end, validOrders: 0, clawedBack: 0 });
    for (const o of orders) {
      const bucket = series.find((s) => o.ordered_at > s.start && o.ordered_at <= s.end);
      if (bucket) {
        bucket.validOrders++;
        if (o.clawed === 1) bucket.clawedBack++;
      }
      if (o.clawed === 1)
        clawed.push({
          orderId: o.order_id,
          customerId: o.customer_id,
          orderedAt: o.ordered_at,
          paidFen: o.paid_fen,
          netFen: o.net_fen,
          clawedAt: o.clawed_at,
        });
    }
  }
  return {
    partnerId,
    row: flag,
    asOf: to,
    window: { days, from, to },
    threshold: { minClawed: cfg.risk.min_clawed_orders, minShareBp: cfg.risk.min_clawed_share_bp },
    series,
    clawed,
    decisions: decisions.map(riskDecisionView),
  };
}

async function listRiskRow(db: Db, partnerId: string): Promise<RiskRow | null> {
  const r = await db
    .selectFrom('result_partners as r')
    .leftJoin('partners as p', 'p.partner_id', 'r.partner_id')
    .select([
      'r.partner_id',
      'p.name',
      'r.risk_flag',
      'r.risk_valid_orders',
      'r.risk_clawed_orders',
      'r.risk_rate_bp',
      'r.risk_status',
      'r.level',
      'r.frozen_fen',
    ])
    .where('r.partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!r || r.risk_flag !== 1) return null;
  const last = await lastDecisions(db, [partnerId]);
  return {
    partnerId: r.partner_id,
    partnerName: r.name,
    validOrders: r.risk_valid_orders,
    clawedBack: r.risk_clawed_orders,
    refundRateBp: r.risk_rate_bp,
    status: (r.risk_status ?? 'open') as RiskStatus,
    level: r.level,
    frozenFen: r.frozen_fen,
    lastDecision: last.get(partnerId) ?? null,
  };
}
