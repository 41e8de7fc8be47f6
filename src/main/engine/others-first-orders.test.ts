import { afterEach, describe, expect, it } from 'vitest';
import { recomputeFull } from './recompute';
import { loadOthersFirstPaidOrders } from './load';
import { world, type World } from '../test-support/world';

const AS_OF = Date.parse('2026-11-01T00:00:00+08:00');
const at = (s: string) => Date.parse(`${s.replace(' ', 'T')}+08:00`);

let current: World | undefined;
afterEach(async () => current?.close());

/** customers C1..C7, one person (same phone, R-SAME-1); `orders`: [id, customer, time, yuan, line, billing] */
function group(orders: [string, string, string, number, string, string][]): World {
  const w = world().partner('P1');
  for (let i = 1; i <= 7; i++) {
    w.customer(`C${i}`, { phone: '13900000001', registeredAt: `2026-01-0${i} 09:00:00` });
    w.event(`E${i}`, 'P1', `C${i}`, 'register', `2026-01-0${i} 10:00:00`);
  }
  for (const [id, c, time, yuan, line, billing] of orders) w.order(id, c, time, yuan, { line, billing });
  recomputeFull(w.store, { asOf: AS_OF });
  return (current = w);
}

const ids = (w: World, except: string[], before: string) =>
  loadOthersFirstPaidOrders(w.store.sqlite, groupIdOf(w), except, at(before)).map((o) => o.id);
const groupIdOf = (w: World) =>
  w.store.sqlite
    .prepare("SELECT group_id FROM result_same_person WHERE member_kind = 'customer' AND member_id = 'C1'")
    .pluck()
    .get() as string;

describe("the other accounts' first paid orders of a stored group (explain, partial groups: R-ORDER-1a, R-EXCL-1)", () => {
  // ineligible line, unpaid, then a postpaid program order, then two prepaid orders at one instant
  // (the smaller id is the first), then later orders that must not matter
  const orders: [string, string, string, number, string, string][] = [
    ['A-CDN', 'C1', '2026-02-01 10:00:00', 900, 'cdn', 'prepaid'], // ineligible line
    ['A-FREE', 'C2', '2026-02-02 10:00:00', 0, 'ecs', 'prepaid'], // nothing paid
    ['B-POST', 'C3', '2026-02-03 10:00:00', 300, 'rds', 'postpaid'], // first program order
    ['Z-PRE', 'C4', '2026-02-04 10:00:00', 500, 'ecs', 'prepaid'],
    ['M-PRE', 'C5', '2026-02-04 10:00:00', 700, 'rds', 'prepaid'], // same instant, smaller id: first
    ['N-PRE', 'C6', '2026-02-05 10:00:00', 800, 'ecs', 'prepaid'],
    ['FOCUS', 'C7', '2026-01-20 10:00:00', 100, 'ecs', 'prepaid'], // the focus account's own: left out
  ];

  it('R-EXCL-1, R-ORDER-1a: the first program order (any billing) and the first prepaid one, ties of time by id', () => {
    const w = group(orders);
    expect(groupIdOf(w)).toBe('customer:C1');
    expect(ids(w, ['C7'], '2026-10-01 00:00:00')).toEqual(['B-POST', 'M-PRE']);
  });

  it('R-ORDER-1a: a tie of time between a program order and a prepaid one is decided by id for both', () => {
    const w = group([
      ['Y-POST', 'C1', '2026-02-04 10:00:00', 300, 'ecs', 'postpaid'],
      ['X-PRE', 'C2', '2026-02-04 10:00:00', 500, 'ecs', 'prepaid'],
      ['W-PRE', 'C3', '2026-02-04 10:00:00', 500, 'ecs', 'prepaid'],
      ['V-LATER', 'C4', '2026-02-05 10:00:00', 500, 'ecs', 'prepaid'],
    ]);
    // W-PRE is both the first program order and the first prepaid one: listed once
    expect(ids(w, [], '2026-10-01 00:00:00')).toEqual(['W-PRE']);
  });

  it('only orders up to `at` count; with no prepaid order the first program order alone', () => {
    const w = group(orders);
    expect(ids(w, ['C7'], '2026-02-03 23:00:00')).toEqual(['B-POST']);
    expect(ids(w, ['C7'], '2026-02-04 10:00:00')).toEqual(['B-POST', 'M-PRE']);
    expect(ids(w, ['C7'], '2026-02-02 23:00:00')).toEqual([]);
  });

  it("the excluded accounts' orders are left out (the others' next ones count)", () => {
    const w = group(orders);
    expect(ids(w, ['C3', 'C5', 'C7'], '2026-10-01 00:00:00')).toEqual(['Z-PRE']);
    expect(ids(w, [], '2026-10-01 00:00:00')).toEqual(['FOCUS']);
  });
});
