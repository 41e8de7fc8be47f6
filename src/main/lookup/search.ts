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

/**
 * The customers a phone number or name names (a handful, by index; the first 200 by id when more
 * share a name), as a subquery: the search reads them in the same statement.
 */
function customersNamed(db: Kysely<Database>, q: string) {
  const digits = q.replace(/[\s-]/g, '');
  const byPhone = /^\+?\d{5,15}$/.test(digits);
  return db
    .selectFrom('customers')
    .select('customer_id')
    .where((eb) =>
      byPhone
        ? eb.or([eb('phone', '=', digits), eb('phone', '=', digits.replace(/^\+?86/, ''))])
        : eb('name', '=', q),
    )
    .orderBy('customer_id')
    .limit(200);
}

/** The columns of a search's row (`r`: result_orders, `c`: customers). */
const ORDER_ROW = [
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
] as const;

/**
 * The orders a search names: a page of them in order id order, and how many (counted up to
 * COUNT_LIMIT, beyond it a lower bound).
 *
 * A query matches an order by any of four conditions: its id, its customer's id or its partner's id
 * starts with the query, or its customer is one the query names (phone or name). Each condition is
 * a lookup of its own index, and the page is cut from their UNION: each branch gives (at least) its
 * first `offset + limit` order ids in id order, so the union holds the first `offset + limit` of
 * all, each order once however many conditions it meets. (One WHERE with the four conditions
 * OR-ed led PostgreSQL to walk the whole order-id index and filter, issue 13: a name's few hundred
 * orders lie all over it.) The count reads the same union with COUNT_LIMIT + 1 ids of each branch:
 * a branch that reaches it makes the union reach it too. Without a query (filters only) it is one
 * plain read.
 */
export async function searchOrders(
  db: Kysely<Database>,
  s: OrderSearch,
  mask: boolean,
): Promise<{ rows: OrderSearchRow[]; total: number; totalIsLowerBound: boolean }> {
  const q = s.query?.trim() ?? '';
  const filtered = () => {
    let b = db.selectFrom('result_orders as r');
    if (s.status) b = b.where('r.status', '=', s.status as Database['result_orders']['status']);
    if (s.partnerId) b = b.where('r.partner_id', '=', s.partnerId);
    return b;
  };
  type Orders = ReturnType<typeof filtered>;
  /** One condition of the query; `few`: its orders are few enough to be read whole (see below). */
  const branches: { where: (b: Orders) => Orders; few?: boolean }[] = [
    { where: (b) => b.where('r.order_id', '>=', q).where('r.order_id', '<', upper(q)) },
    { where: (b) => b.where('r.customer_id', '>=', q).where('r.customer_id', '<', upper(q)) },
    { where: (b) => b.where('r.partner_id', '>=', q).where('r.partner_id', '<', upper(q)) },
    { where: (b) => b.where('r.customer_id', 'in', customersNamed(db, q)), few: true },
  ];
  /**
   * The first `n` order ids of each branch (in id order when `ordered`), as one set. The orders of
   * the customers a phone or name names (at most 200 customers) are read whole: asked for the
   * first n in id order, PostgreSQL misjudges how many there are (its estimate of a customer's
   * orders is several times the real one) and walks the order-id index again. For the same reason
   * the page is cut from the ids before they are joined to the rows, and the rows are sorted by the
   * page's ids (sorted by the table's, SQLite walks the table's index to find the page's rows).
   */
  const matching = (n: number, ordered: boolean) =>
    branches
      .map(({ where, few }) => {
        const ids = where(filtered()).select('r.order_id');
        const first = few && ordered ? ids : (ordered ? ids.orderBy('r.order_id') : ids).limit(n);
        return db.selectFrom(first.as('b')).select('b.order_id');
      })
      .reduce((all, one) => all.union(one));
  const page = q
    ? db
        .selectFrom(
          db
            .selectFrom(matching(s.offset + s.limit, true).as('u'))
            .select('u.order_id')
            .orderBy('u.order_id')
            .limit(s.limit)
            .offset(s.offset)
            .as('m'),
        )
        .innerJoin('result_orders as r', 'r.order_id', 'm.order_id')
        .leftJoin('customers as c', 'c.customer_id', 'r.customer_id')
        .select(ORDER_ROW)
        .orderBy('m.order_id')
    : filtered()
        .leftJoin('customers as c', 'c.customer_id', 'r.customer_id')
        .select(ORDER_ROW)
        .orderBy('r.order_id')
        .limit(s.limit)
        .offset(s.offset);
  const one = sql<number>`1`.as('one');
  const counting = q
    ? db
        .selectFrom(matching(COUNT_LIMIT + 1, false).as('u'))
        .select(one)
        .limit(COUNT_LIMIT + 1)
        .as('m')
    : filtered()
        .select(one)
        .limit(COUNT_LIMIT + 1)
        .as('m');
  const [rows, counted] = await Promise.all([
    page.execute(),
    db
      .selectFrom(counting)
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
