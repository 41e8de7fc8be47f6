import { afterEach, describe, expect, it } from 'vitest';
import { recomputeFull, recomputeIncremental } from './recompute';
import { resultSnapshot, world, type World } from '../test-support/world';

const AS_OF = Date.parse('2026-11-01T00:00:00+08:00');
const snapshot = (w: World) => resultSnapshot(w.store);
const statusOf = (w: World, order: string) =>
  w.store.sqlite.prepare('SELECT status FROM result_orders WHERE order_id = ?').pluck().get(order);

let current: World | undefined;
afterEach(async () => current?.close());

/** One person with four customer accounts (same phone, R-SAME-1), each registered through P1. */
function fourAccounts(): World {
  const w = world().partner('P1');
  for (const [i, day] of ['02-01', '02-02', '02-03', '02-04'].entries()) {
    w.customer(`C${i + 1}`, { phone: '13900000001', registeredAt: `2026-${day} 09:00:00` });
    w.event(`E${i + 1}`, 'P1', `C${i + 1}`, 'register', `2026-${day} 10:00:00`);
  }
  w.order('O1', 'C1', '2026-02-10 10:00:00', 1200);
  w.order('O2', 'C2', '2026-02-11 10:00:00', 800);
  w.order('O3', 'C3', '2026-02-12 10:00:00', 500, { billing: 'postpaid' });
  recomputeFull(w.store, { asOf: AS_OF });
  return (current = w);
}

describe('incremental recompute of a few accounts of a large same-person group (PartialScope)', () => {
  it('R-ORDER-1a, R-RECALC-1: a later order of one account re-evaluates that account only, and equals a full recompute', () => {
    const w = fourAccounts();
    expect(statusOf(w, 'O1')).toBe('valid');
    w.order('O4', 'C4', '2026-02-20 10:00:00', 3000);
    const inc = recomputeIncremental(w.store, { customers: ['C4'] }, { partialGroupMin: 2 });
    expect(inc.stats.partialGroups).toBe(1);
    // R-ORDER-1a: the group's first qualifying order is still O1
    expect(statusOf(w, 'O4')).toBe('not_first');
    const incremental = snapshot(w);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(incremental).toBe(snapshot(w));
  });

  it("R-ORDER-1a, R-EXCL-1: an order earlier than the group's first orders re-evaluates the whole group (others change), and equals a full recompute", () => {
    const w = fourAccounts();
    w.order('O0', 'C4', '2026-02-05 10:00:00', 600);
    const inc = recomputeIncremental(w.store, { customers: ['C4'] }, { partialGroupMin: 2 });
    expect(inc.stats.partialGroups).toBe(0);
    expect(statusOf(w, 'O0')).toBe('valid');
    expect(statusOf(w, 'O1')).toBe('not_first'); // another account's order changed
    const incremental = snapshot(w);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(incremental).toBe(snapshot(w));
  });

  it('R-EXCL-1: an earlier postpaid (program) order changes the first program order: the whole group again', () => {
    const w = fourAccounts();
    w.order('OP', 'C4', '2026-02-04 11:00:00', 100, { billing: 'postpaid' });
    const inc = recomputeIncremental(w.store, { customers: ['C4'] }, { partialGroupMin: 2 });
    expect(inc.stats.partialGroups).toBe(0);
    const incremental = snapshot(w);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(incremental).toBe(snapshot(w));
  });

  it('small groups and groups with most accounts touched stay whole (default threshold)', () => {
    const w = fourAccounts();
    w.order('O4', 'C4', '2026-02-20 10:00:00', 3000);
    expect(recomputeIncremental(w.store, { customers: ['C4'] }).stats.partialGroups).toBe(0);
    w.order('O5', 'C2', '2026-02-21 10:00:00', 3000);
    w.order('O6', 'C3', '2026-02-21 11:00:00', 3000);
    const inc = recomputeIncremental(w.store, { customers: ['C2', 'C3', 'C4'] }, { partialGroupMin: 2 });
    expect(inc.stats.partialGroups).toBe(0);
    const incremental = snapshot(w);
    recomputeFull(w.store, { asOf: AS_OF });
    expect(incremental).toBe(snapshot(w));
  });
});
