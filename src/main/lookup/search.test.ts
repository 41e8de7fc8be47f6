// Support's order search (查询): one query matches an order by its id, its customer's id or its
// partner's id (a prefix of each) or by its customer's phone or name. Runs on both dialects
// (vitest.team.config.ts). The search reads the union of one index lookup per condition; these
// tests hold it to a plain reading of the rule: every order that meets any condition, once, in
// order id order, paged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import { compute, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';
import { searchOrders } from './search';

let w: World;

// Query 'K7' meets: K7-O1 and C-O7 on all four conditions (order id, customer id, partner id,
// customer name; C-O7 all but the order id), K7-O3b by its id and its customer's name, B-O3 by the
// name only, A-O2 by the customer id only, Z-O4 by the partner id only, K7 and K7-O5 by the id only;
// M-O6 by none.
beforeAll(async () => {
  w = world()
    .partner('K7-P1')
    .partner('P2')
    .customer('K7-C1', { name: 'K7', phone: '13700000001' })
    .customer('K7-C2', { name: '李四' })
    .customer('C3', { name: 'K7', phone: '13700000003' })
    .customer('C4', { name: '王五' })
    .customer('C5', { name: '赵六' })
    .customer('C6', { name: '钱七' });
  w.event('E1', 'K7-P1', 'K7-C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'K7-C2', 'register', '2026-03-01 10:00:00')
    .event('E3', 'P2', 'C3', 'register', '2026-03-01 10:00:00')
    .event('E4', 'K7-P1', 'C4', 'register', '2026-03-01 10:00:00')
    .event('E5', 'P2', 'C5', 'register', '2026-03-01 10:00:00')
    .event('E6', 'P2', 'C6', 'register', '2026-03-01 10:00:00')
    .order('K7-O1', 'K7-C1', '2026-03-02 10:00:00', 1000)
    .order('C-O7', 'K7-C1', '2026-03-05 10:00:00', 300)
    .order('A-O2', 'K7-C2', '2026-03-02 11:00:00', 500)
    .order('B-O3', 'C3', '2026-03-02 12:00:00', 800)
    .order('K7-O3b', 'C3', '2026-03-06 12:00:00', 200)
    .order('Z-O4', 'C4', '2026-03-02 13:00:00', 600)
    .order('K7-O5', 'C5', '2026-03-02 14:00:00', 700)
    .order('K7', 'C6', '2026-03-02 15:00:00', 900)
    .order('M-O6', 'C6', '2026-03-07 15:00:00', 100);
  await compute(w, '2026-06-01 00:00:00');
}, 120_000);
afterAll(async () => w?.close());

interface Plain {
  order_id: string;
  customer_id: string;
  partner_id: string | null;
  status: string;
  name: string | null;
  phone: string | null;
}

/** What a search must find, read plainly: every order, filtered and sorted here. */
function expected(q: string, status?: string, partnerId?: string): string[] {
  const all = w.store.sqlite
    .prepare(
      `SELECT r.order_id, r.customer_id, r.partner_id, r.status, c.name, c.phone
       FROM result_orders r LEFT JOIN customers c ON c.customer_id = r.customer_id`,
    )
    .all() as Plain[];
  const digits = q.replace(/[\s-]/g, '');
  const phone = /^\+?\d{5,15}$/.test(digits);
  return all
    .filter(
      (o) =>
        (q === '' ||
          o.order_id.startsWith(q) ||
          o.customer_id.startsWith(q) ||
          (o.partner_id ?? '').startsWith(q) ||
          (phone ? o.phone === digits : o.name === q)) &&
        (!status || o.status === status) &&
        (!partnerId || o.partner_id === partnerId),
    )
    .map((o) => o.order_id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every page of a search of `size` rows, one after the other, until a short page. */
async function pages(size: number, query: string, status?: string, partnerId?: string) {
  const got: string[][] = [];
  const totals = new Set<string>();
  for (let offset = 0; ; offset += size) {
    const r = await searchOrders(w.store.db, { query, status, partnerId, limit: size, offset }, false);
    got.push(r.rows.map((o) => o.order_id));
    totals.add(`${r.total}/${r.totalIsLowerBound}`);
    if (r.rows.length < size) break;
  }
  return { got, totals: [...totals] };
}

describe('order search (查询)', () => {
  it('finds an order that meets several conditions once, and pages across the conditions in order id order', async () => {
    const all = expected('K7');
    expect(all).toEqual(['A-O2', 'B-O3', 'C-O7', 'K7', 'K7-O1', 'K7-O3b', 'K7-O5', 'Z-O4']);
    for (const size of [1, 2, 3, 5, 8, 50]) {
      const { got, totals } = await pages(size, 'K7');
      expect(got.flat(), `pages of ${size}`).toEqual(all);
      for (const [i, page] of got.entries()) expect(page).toEqual(all.slice(i * size, (i + 1) * size));
      expect(totals).toEqual([`${all.length}/false`]);
    }
    // a page past the end is empty and still counts
    const past = await searchOrders(w.store.db, { query: 'K7', limit: 3, offset: 8 }, false);
    expect(past).toMatchObject({ rows: [], total: 8, totalIsLowerBound: false });
  });

  it('gives the same rows as a plain reading for ids, phones, names and the filters', async () => {
    const statuses = [
      undefined,
      ...new Set(
        w.store.sqlite.prepare('SELECT status FROM result_orders ORDER BY status').pluck().all() as string[],
      ),
    ];
    expect(statuses.length).toBeGreaterThan(2);
    const queries = [
      'K7',
      'K7-',
      'K7-C',
      'K7-P1',
      'K7-O',
      'C',
      '137 0000 0003',
      '13700000001',
      '李四',
      'nobody',
      '',
    ];
    for (const query of queries)
      for (const status of statuses)
        for (const partnerId of [undefined, 'K7-P1', 'P2']) {
          const want = expected(query, status, partnerId);
          for (const size of [2, 50]) {
            const { got, totals } = await pages(size, query, status, partnerId);
            const what = `${query} ${status} ${partnerId} by ${size}`;
            expect(got.flat(), what).toEqual(want);
            expect(totals, what).toEqual([`${want.length}/false`]);
          }
        }
  });

  it('returns each order in full, its customer masked for support', async () => {
    const r = await dispatch(contextFor(w.store, actor('S1', 'support')), 'orders.search', {
      query: 'K7',
      limit: 2,
      offset: 3,
    });
    expect(r).toMatchObject({
      ok: true,
      value: {
        total: 8,
        totalIsLowerBound: false,
        rows: [
          { order_id: 'K7', customer_id: 'C6', partner_id: 'P2', customer_name: '钱*' },
          {
            order_id: 'K7-O1',
            customer_id: 'K7-C1',
            partner_id: 'K7-P1',
            status: 'valid',
            customer_name: 'K*',
            customer_phone: '137****0001',
            paid_fen: 100000,
          },
        ],
      },
    });
  });
});
