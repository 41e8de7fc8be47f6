/**
 * Partial groups (PartialScope): when an import touched a few accounts of a large same-person
 * group, only those accounts are evaluated, if the group's first orders stay the stored ones.
 */
import { loadCustomers, cmpTimeId } from './load';
import type { OrderIn } from '../rules/types';
import { type Db } from './run-context';

/**
 * Incremental recompute of a large same-person group (R-SAME-1, R-ORDER-1a, R-EXCL-1): an order's
 * status depends on the rest of its group only through the group's first qualifying order and
 * its first program order (eligible line, paid > 0, any billing); attributions and experience
 * depend on the customer's own rows. So when an import touched a few accounts of a large group,
 * only those accounts are evaluated (in full, beside the others' first orders, as explain does),
 * provided the group's two first orders stay what the stored results say. Otherwise, or when a
 * touched account's order or event is stored under another account, the whole group is.
 */
export interface PartialScope {
  /** group → its customers the import touched */
  touched: Map<string, string[]>;
  /** groups of at least this many customers qualify (and of which at most half were touched) */
  minCustomers: number;
}

/** Default PartialScope.minCustomers: below it, evaluating the whole group costs about the same. */
export const PARTIAL_GROUP_MIN_CUSTOMERS = 64;

export type LoadedCustomer = ReturnType<typeof loadCustomers>[number];

/** The first (time, id) order of `orders` matching `test`, as "id@time", or "" if none. */
function firstOf<T extends { id: string; at: number }>(
  orders: T[],
  test: (o: T) => boolean = () => true,
): string {
  let first: T | null = null;
  for (const o of orders) if (test(o) && (first === null || cmpTimeId(o, first) < 0)) first = o;
  return first ? `${first.id}@${first.at}` : '';
}

/**
 * The stored first qualifying and first program orders of a group's customers (as firstOf gives them):
 * qualifying orders are the ones not `ineligible`; program orders also include the ineligible
 * ones whose only reason is NOT_PREPAID (valid-order.ts).
 */
function storedFirstOrders(db: Db, customerIds: string[]): { qualifying: string; program: string } {
  const rows = db
    .prepare(
      `SELECT order_id, ordered_at, status FROM result_orders
       WHERE customer_id IN (SELECT value FROM json_each(?)) AND (status <> 'ineligible' OR reasons_json = '["NOT_PREPAID"]')`,
    )
    .raw(true)
    .all(JSON.stringify(customerIds)) as [string, number, string][];
  const orders = rows.map(([id, at, status]) => ({ id, at, qualifying: status !== 'ineligible' }));
  return { qualifying: firstOf(orders, (o) => o.qualifying), program: firstOf(orders) };
}

/**
 * `customers` with, beside them, accounts carrying only the others' first orders
 * (loadOthersFirstPaidOrders), sorted by id: what a group evaluated for a few customers sees.
 */
export function withFirstOrders(customers: LoadedCustomer[], firsts: OrderIn[]): LoadedCustomer[] {
  const byCustomer = new Map<string, OrderIn[]>();
  for (const o of firsts) byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o]);
  const out = [...customers];
  for (const [id, orders] of byCustomer)
    out.push({
      row: { id, subjectId: null, channel: null },
      events: [],
      orders: orders.sort(cmpTimeId),
      manual: [],
    });
  return out.sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
}

/**
 * Whether a group may be evaluated for its touched customers only (PartialScope): its first
 * qualifying and first program orders, over the touched customers' orders and the others' first
 * orders, are the stored ones, and no order or event of the touched customers is stored under
 * another customer.
 */
export function partialCheck(db: Db) {
  const eligible = new Map<string, boolean>();
  for (const [pl, e] of db
    .prepare('SELECT product_line, rebate_eligible FROM product_lines')
    .raw(true)
    .all() as [string, number][])
    eligible.set(pl, e === 1);
  const isProgram = (o: OrderIn) => eligible.get(o.productLine) === true && o.paidFen > 0;
  const isQualifying = (o: OrderIn) => isProgram(o) && o.billing === 'prepaid';
  const storedOwner = db
    .prepare(
      `SELECT customer_id FROM result_orders WHERE order_id IN (SELECT value FROM json_each(@o))
       UNION SELECT customer_id FROM result_attributions WHERE event_id IN (SELECT value FROM json_each(@e))`,
    )
    .pluck();
  return (members: string[], touched: LoadedCustomer[], firsts: OrderIn[]): boolean => {
    const ids = new Set(touched.map((c) => c.row.id));
    const owners = storedOwner.all({
      o: JSON.stringify(touched.flatMap((c) => c.orders.map((o) => o.id))),
      e: JSON.stringify(touched.flatMap((c) => c.events.map((e) => e.id))),
    }) as string[];
    if (owners.some((c) => !ids.has(c))) return false;
    const orders = [...touched.flatMap((c) => c.orders), ...firsts];
    const before = storedFirstOrders(db, members);
    return (
      firstOf(orders, isQualifying) === before.qualifying && firstOf(orders, isProgram) === before.program
    );
  };
}
