import { afterEach, describe, expect, it } from 'vitest';
import { compute, world, type World } from '../test-support/world';

let w: World;
afterEach(async () => w?.close());

// A full recompute numbers customers in JS id order in two loaders (the world, and the same-person
// evidence, load.ts eachCustomerRowInIdOrder); the store returns them in UTF-8 byte order. The two
// orders differ for ids beyond the BMP: 'Ａ' (U+FF21) comes before '😀' (U+1F600) in bytes, after
// it in UTF-16 units. The evidence must stay with its own customer.
const FULLWIDTH = 'C-\uFF21';
const EMOJI = 'C-\u{1F600}';

describe('customers whose ids sort differently in the store and in JS', () => {
  it('R-SAME-1, R-ORDER-1: same-person evidence and orders stay with their own customer', async () => {
    w = world()
      .partner('P1', { phone: '13911112222' })
      .customer(FULLWIDTH, { phone: '13800000001' })
      .customer(EMOJI, { phone: '139-1111-2222' })
      .customer('C-A', { phone: '13800000003' });
    // the case this test is about: the store's order is not JS's
    const stored = w.store.sqlite
      .prepare('SELECT customer_id FROM customers ORDER BY customer_id')
      .pluck()
      .all() as string[];
    expect(stored).toEqual(['C-A', FULLWIDTH, EMOJI]);
    expect([...stored].sort()).toEqual(['C-A', EMOJI, FULLWIDTH]);
    for (const c of ['C-A', FULLWIDTH, EMOJI])
      w.event(`E-${c}`, 'P1', c, 'register', '2026-03-01 10:00:00')
        .order(`O1-${c}`, c, '2026-03-02 10:00:00', 1000)
        .order(`O2-${c}`, c, '2026-03-01 12:00:00', 500);

    const r = await compute(w);
    // the emoji customer is the partner (same phone): no reward for it, and only for it
    expect(r.orders[`O2-${EMOJI}`].reasons).toContain('SAME_PERSON_AS_PARTNER');
    expect(r.orders[`O2-${EMOJI}`].rebate_fen).toBe(0);
    for (const c of ['C-A', FULLWIDTH]) {
      // each customer's own orders, in time order: the earlier one is the valid first order
      expect(r.orders[`O2-${c}`], c).toMatchObject({ status: 'valid', partner_id: 'P1' });
      expect(r.orders[`O2-${c}`].rebate_fen, c).toBeGreaterThan(0);
      expect(r.orders[`O1-${c}`], c).toMatchObject({ status: 'not_first' });
    }
    const members = w.store.sqlite
      .prepare('SELECT member_kind, member_id FROM result_same_person ORDER BY member_kind, member_id')
      .all();
    expect(members).toEqual([
      { member_kind: 'customer', member_id: EMOJI },
      { member_kind: 'partner', member_id: 'P1' },
    ]);
  });
});
