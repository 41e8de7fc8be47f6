import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database';
import type { DashboardSummary } from '../api/methods/app.contract';

async function count(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Whether the store holds no partners and no orders (first run): two indexed probes, not
 * counts, so app start-up stays instant on a store of millions of rows.
 */
export async function storeIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const partner = await db.selectFrom('partners').select('partner_id').limit(1).executeTakeFirst();
  if (partner) return false;
  const order = await db.selectFrom('orders').select('order_id').limit(1).executeTakeFirst();
  return !order;
}

/** Real counts from the store and the latest engine results, for the 概览 screen. */
export async function dashboardSummary(db: Kysely<Database>, storeFile: string): Promise<DashboardSummary> {
  const [partners, customers, referralEvents, orders, refunds, productLines] = await Promise.all([
    count(db, 'partners'),
    count(db, 'customers'),
    count(db, 'referral_events'),
    count(db, 'orders'),
    count(db, 'refunds'),
    count(db, 'product_lines'),
  ]);
  const run = await db
    .selectFrom('engine_runs')
    .select(['started_at', 'as_of', 'config_version'])
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const byStatus = await db
    .selectFrom('result_orders')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  const money = await db
    .selectFrom('result_partners')
    .select([
      sql<number>`coalesce(sum(pending_fen), 0)`.as('pending'),
      sql<number>`coalesce(sum(confirmed_fen), 0)`.as('confirmed'),
      sql<number>`coalesce(sum(frozen_fen), 0)`.as('frozen'),
      sql<number>`coalesce(sum(blacklisted), 0)`.as('blacklisted'),
    ])
    .executeTakeFirstOrThrow();
  const rebate = await db
    .selectFrom('result_orders')
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(rebate_fen), 0)`.as('fen')])
    .where('status', '=', 'valid')
    .executeTakeFirstOrThrow();
  const groups = await db
    .selectFrom('result_same_person')
    .select(sql<number>`count(distinct group_id)`.as('n'))
    .executeTakeFirstOrThrow();
  const levels = await db
    .selectFrom('result_partners')
    .select(['level', sql<number>`count(*)`.as('n')])
    .groupBy('level')
    .orderBy('level')
    .execute();
  const lastImport = await db
    .selectFrom('imports')
    .select(sql<number | null>`max(started_at)`.as('at'))
    .where('status', '=', 'committed')
    .executeTakeFirstOrThrow();
  return {
    storeFile,
    counts: { partners, customers, referralEvents, orders, refunds, productLines },
    results: {
      computedAt: run?.started_at ?? null,
      asOf: run?.as_of ?? null,
      configVersion: run?.config_version ?? null,
      validOrders: Number(rebate.n),
      rebateFen: Number(rebate.fen),
      pendingFen: Number(money.pending),
      confirmedFen: Number(money.confirmed),
      frozenFen: Number(money.frozen),
      blacklistedPartners: Number(money.blacklisted),
      samePersonGroups: Number(groups.n),
    },
    ordersByStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.n) })),
    levels: levels.map((r) => ({ level: r.level, partners: Number(r.n) })),
    lastImportAt: lastImport.at ?? null,
  };
}
