/**
 * 查询: support's search (portable Kysely). A query is an order, customer or partner id or its
 * prefix, or a customer's phone number or name; identity data comes back masked for the support
 * role. Lists are paged in the store; a count stops at COUNT_LIMIT (shown as "10,000+").
 */
import { sql, type Kysely } from 'kysely';
import { maskName, maskPhone } from '../explain/mask';
import type { Database } from '../store/database';

export const COUNT_LIMIT = 10_000;

/** Ids sort as text: every id starting with `q` lies in [q, q + U+FFFF). */
const upper = (q: string) => `${q}\uffff`;

export interface OrderSearch {
  query?: string;
  status?: string;
  partnerId?: string;
  limit: number;
  offset: number;
}

export interface OrderSearchRow {
  order_id: string;
  customer_id: string;
  partner_id: string | null;
  status: string;
  reasons: string[];
  rebate_fen: number;
  rebate_status: string | null;
  experience: number;
  ordered_at: number;
  paid_fen: number;
  net_fen: number;
  level: string | null;
  ratio_bp: number | null;
  cycle_key: string | null;
  group_id: string;
  customer_name: string | null;
  customer_phone: string | null;
}

/** Customers a phone number or name names (a handful, by index). */
async function customersNamed(db: Kysely<Database>, q: string): Promise<string[]> {
  const digits = q.replace(/[\s-]/g, '');
  const byPhone = /^\+?\d{5,15}$/.test(digits);
  const rows = await db
    .selectFrom('customers')
    .select('customer_id')
    .where((eb) =>
      byPhone
        ? eb.or([eb('phone', '=', digits), eb('phone', '=', digits.replace(/^\+?86/, ''))])
        : eb('name', '=', q.trim()),
    )
    .limit(200)
    .execute();
  return rows.map((r) => r.customer_id);
}

export async function searchOrders(
  db: Kysely<Database>,
  s: OrderSearch,
  mask: boolean,
): Promise<{ rows: OrderSearchRow[]; total: number; totalIsLowerBound: boolean }> {
  const q = s.query?.trim() ?? '';
  const named = q ? await customersNamed(db, q) : [];
  let base = db.selectFrom('result_orders as r');
  if (q)
    base = base.where((eb) =>
      eb.or([
        eb.and([eb('r.order_id', '>=', q), eb('r.order_id', '<', upper(q))]),
        eb.and([eb('r.customer_id', '>=', q), eb('r.customer_id', '<', upper(q))]),
        eb.and([eb('r.partner_id', '>=', q), eb('r.partner_id', '<', upper(q))]),
        ...(named.length ? [eb('r.customer_id', 'in', named)] : []),
      ]),
    );
  if (s.status) base = base.where('r.status', '=', s.status as Database['result_orders']['status']);
  if (s.partnerId) base = base.where('r.partner_id', '=', s.partnerId);
  const [rows, counted] = await Promise.all([
    base
      .leftJoin('customers as c', 'c.customer_id', 'r.customer_id')
      .select([
        'r.order_id',
        'r.customer_id',
        'r.partner_id',
        'r.status',
        'r.reasons_json',
        'r.rebate_fen',
        'r.rebate_status',
        'r.experience',
        'r.ordered_at',
        'r.paid_fen',
        'r.net_fen',
        'r.level',
        'r.ratio_bp',
        'r.cycle_key',
        'r.group_id',
        'c.name as customer_name',
        'c.phone as customer_phone',
      ])
      .orderBy('r.order_id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
    db
      .selectFrom(
        base
          .select(sql<number>`1`.as('one'))
          .limit(COUNT_LIMIT + 1)
          .as('m'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(counted.n);
  return {
    total: Math.min(n, COUNT_LIMIT),
    totalIsLowerBound: n > COUNT_LIMIT,
    rows: rows.map(({ reasons_json, customer_name, customer_phone, ...r }) => ({
      ...r,
      reasons: JSON.parse(reasons_json) as string[],
      customer_name: customer_name && mask ? maskName(customer_name) : customer_name,
      customer_phone: customer_phone && mask ? maskPhone(customer_phone) : customer_phone,
    })),
  };
}

export interface PartnerCard {
  partner_id: string;
  name: string | null;
  phone: string | null;
  status: string;
  level: string | null;
  experience: number;
  blacklisted: boolean;
  pending_fen: number;
  confirmed_fen: number;
  frozen_fen: number;
  /** paid out so far (payout lines marked paid, R-PAY-3) */
  paid_fen: number;
}

/** Partners a query names (id or its prefix, phone, name), with their standing (at most 10). */
export async function searchPartners(
  db: Kysely<Database>,
  query: string,
  mask: boolean,
): Promise<PartnerCard[]> {
  const q = query.trim();
  if (!q) return [];
  const digits = q.replace(/[\s-]/g, '');
  const rows = await db
    .selectFrom('partners as p')
    .leftJoin('result_partners as r', 'r.partner_id', 'p.partner_id')
    .select([
      'p.partner_id',
      'p.name',
      'p.phone',
      'p.status',
      'r.level',
      'r.experience',
      'r.blacklisted',
      'r.pending_fen',
      'r.confirmed_fen',
      'r.frozen_fen',
      (eb) =>
        eb
          .selectFrom('payout_lines as l')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('l.amount_fen'), sql<number>`0`).as('paid'))
          .whereRef('l.partner_id', '=', 'p.partner_id')
          .where('l.status', '=', 'paid')
          .as('paid_fen'),
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('p.partner_id', '>=', q), eb('p.partner_id', '<', upper(q))]),
        eb('p.name', '=', q),
        ...(/^\+?\d{5,15}$/.test(digits) ? [eb('p.phone', '=', digits)] : []),
      ]),
    )
    .orderBy('p.partner_id')
    .limit(10)
    .execute();
  return rows.map((r) => ({
    partner_id: r.partner_id,
    name: r.name && mask ? maskName(r.name) : r.name,
    phone: r.phone && mask ? maskPhone(r.phone) : r.phone,
    status: r.status,
    level: r.level,
    experience: r.experience ?? 0,
    blacklisted: r.blacklisted === 1,
    pending_fen: r.pending_fen ?? 0,
    confirmed_fen: r.confirmed_fen ?? 0,
    frozen_fen: r.frozen_fen ?? 0,
    paid_fen: Number(r.paid_fen ?? 0),
  }));
}
