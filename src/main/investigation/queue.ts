/**
 * 同人调查 — the queue as stored by the engine (result_investigation), paged, sorted and filtered
 * in the store (portable Kysely): the first page in money-at-stake order comes straight off the
 * `result_investigation_stake` index.
 */
import type { Kysely } from 'kysely';
import type { EvidenceKind, QueuePage, QueueRow } from '../api/methods/investigation.contract';
import type { Database } from '../store/database';
import type { ResultInvestigationTable } from '../store/results.table';

type Db = Kysely<Database>;

export interface QueueQuery {
  evidence?: EvidenceKind;
  minSize?: number;
  maxSize?: number;
  partnerId?: string;
  sort: 'stake' | 'size' | 'denied' | 'group';
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const EVIDENCE_COLUMN = {
  account: 'ev_account',
  phone: 'ev_phone',
  id_number_name: 'ev_id_name',
  ip: 'ev_ip',
} as const;

const SORT_COLUMN = {
  stake: 'stake_fen',
  size: 'size',
  denied: 'denied_fen',
  group: 'group_id',
} as const;

export function queueRow(r: ResultInvestigationTable, partnerIds: string[]): QueueRow {
  return {
    groupId: r.group_id,
    size: r.size,
    customers: r.customers,
    partners: r.partners,
    referrers: r.referrers,
    orders: r.orders,
    validOrders: r.valid_orders,
    deniedOrders: r.denied_orders,
    deniedFen: r.denied_fen,
    confirmedFen: r.confirmed_fen,
    pendingFen: r.pending_fen,
    frozenFen: r.frozen_fen,
    stakeFen: r.stake_fen,
    evidence: { account: r.ev_account, phone: r.ev_phone, id_number_name: r.ev_id_name, ip: r.ev_ip },
    largestShare: r.largest_share,
    partnerIds,
  };
}

/** The partners each group touches: its partner members first, then referrers, at most `max`. */
export async function partnersOfGroups(db: Db, groupIds: string[], max = 8): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(groupIds.map((g) => [g, []]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('result_investigation_partners')
    .select(['group_id', 'partner_id'])
    .where('group_id', 'in', groupIds)
    .orderBy('group_id')
    .orderBy('member', 'desc')
    .orderBy('partner_id')
    .execute();
  for (const r of rows) {
    const l = out.get(r.group_id)!;
    if (l.length < max) l.push(r.partner_id);
  }
  return out;
}

export async function latestRun(db: Db): Promise<{ asOf: number; configVersion: number } | null> {
  const r = await db
    .selectFrom('engine_runs')
    .select(['as_of', 'config_version'])
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { asOf: r.as_of, configVersion: r.config_version } : null;
}

export async function queuePage(db: Db, q: QueueQuery): Promise<QueuePage> {
  let base = db.selectFrom('result_investigation');
  if (q.evidence) base = base.where(EVIDENCE_COLUMN[q.evidence], '>', 0);
  if (q.minSize !== undefined) base = base.where('size', '>=', q.minSize);
  if (q.maxSize !== undefined) base = base.where('size', '<=', q.maxSize);
  if (q.partnerId !== undefined)
    base = base.where('group_id', 'in', (eb) =>
      eb
        .selectFrom('result_investigation_partners')
        .select('group_id')
        .where('partner_id', '=', q.partnerId!),
    );
  const col = SORT_COLUMN[q.sort];
  let page = base.selectAll().orderBy(col, q.dir);
  if (col !== 'group_id') page = page.orderBy('group_id');
  const [rows, count, run] = await Promise.all([
    page.limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    latestRun(db),
  ]);
  const partners = await partnersOfGroups(
    db,
    rows.map((r) => r.group_id),
  );
  return {
    rows: rows.map((r) => queueRow(r, partners.get(r.group_id) ?? [])),
    total: Number(count.n),
    asOf: run?.asOf ?? null,
    configVersion: run?.configVersion ?? null,
  };
}
