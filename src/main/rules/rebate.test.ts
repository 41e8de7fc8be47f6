import { afterEach, describe, expect, it } from 'vitest';
import { rebateFen } from './rebate';
import { compute, world, type World } from '../test-support/world';

let w: World;
afterEach(async () => w?.close());

/** n customers of P1, each registered on the given day and buying `yuan` a day later. */
function customers(
  n: number,
  day: string,
  yuan: number,
  o: { subscription?: boolean; prefix?: string; partner?: string } = {},
) {
  const prefix = o.prefix ?? 'C';
  for (let i = 0; i < n; i++) {
    const id = `${prefix}${String(i).padStart(3, '0')}`;
    w.customer(id)
      .event(`E-${id}`, o.partner ?? 'P1', id, 'register', `${day} 10:00:00`)
      .order(`O-${id}`, id, `${day} 11:00:00`, yuan, { subscription: o.subscription });
  }
}

describe('rebates', () => {
  it('R-REB-1: rebate = paid × ratio, rounded half-up to the fen once', async () => {
    expect(rebateFen(100_000, 2000)).toBe(20_000);
    expect(rebateFen(3, 2000)).toBe(1); // 0.6 fen → 1
    expect(rebateFen(2, 2000)).toBe(0); // 0.4 fen → 0
    expect(rebateFen(2, 2500)).toBe(1); // 0.5 fen → 1 (half-up)
    expect(rebateFen(123_457, 3500)).toBe(43_210); // 43209.95 → 43210
    w = world().partner('P1');
    customers(1, '2026-03-01', 12.34);
    expect((await compute(w)).orders['O-C000'].rebate_fen).toBe(247); // 246.8 → 247
  });

  it('R-REB-2: the level cap limits one cycle; rebates fill it in order time and the excess is CAPPED', async () => {
    w = world().partner('P1');
    customers(3, '2026-03-02', 20000); // 4000 yuan each at L1, cap 5000 per month
    const r = await compute(w);
    expect(r.orders['O-C000']).toMatchObject({
      rebate_fen: 400_000,
      rebate_status: 'confirmed',
      reasons: [],
    });
    expect(r.orders['O-C001']).toMatchObject({
      rebate_fen: 100_000,
      rebate_status: 'capped',
      reasons: ['CAPPED'],
      status: 'valid',
    });
    expect(r.orders['O-C002']).toMatchObject({ rebate_fen: 0, rebate_status: 'capped', reasons: ['CAPPED'] });
    expect(r.partners.P1.confirmed_fen).toBe(500_000);
  });

  it('R-REB-2: a new cycle has a fresh cap (not carried over)', async () => {
    w = world().partner('P1');
    customers(2, '2026-03-02', 20000, { prefix: 'A' }); // confirmed in April
    customers(1, '2026-04-02', 20000, { prefix: 'B' }); // confirmed in May
    const r = await compute(w);
    expect(r.orders['O-A001'].rebate_fen).toBe(100_000);
    expect(r.orders['O-B000'].rebate_fen).toBe(400_000);
  });

  it('R-REB-3: a rebate is pending until 30 days after its order, then confirmed', async () => {
    w = world().partner('P1');
    customers(1, '2026-03-01', 1000);
    expect((await compute(w, '2026-03-31 10:59:59')).orders['O-C000'].rebate_status).toBe('pending');
    const r = await compute(w, '2026-03-31 11:00:00');
    expect(r.orders['O-C000'].rebate_status).toBe('confirmed');
    expect(r.partners.P1).toMatchObject({ confirmed_fen: 20000, pending_fen: 0 });
    const p = await compute(w, '2026-03-15 00:00:00');
    expect(p.partners.P1).toMatchObject({ confirmed_fen: 0, pending_fen: 20000 });
  });

  it('R-REB-3: data dated after the as-of is not known yet', async () => {
    w = world().partner('P1');
    customers(1, '2026-03-01', 1000);
    const r = await compute(w, '2026-03-01 10:30:00');
    expect(r.orders['O-C000']).toBeUndefined();
  });
});

describe('experience and levels', () => {
  it('R-EXP-1: FAQ — two subscription orders of 1200 give 1 + floor(2400/1200) × 2 = 5', async () => {
    w = world().partner('P1').customer('C1');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1200, { subscription: true })
      .order('O2', 'C1', '2026-03-05 10:00:00', 1200, { subscription: true });
    const r = await compute(w);
    expect(r.partners.P1.experience).toBe(5);
    expect(r.orders.O1).toMatchObject({ status: 'valid', rebate_fen: 24000, experience: 5 });
    expect(r.orders.O2.status).toBe('not_first');
  });

  it('R-EXP-1: FAQ — orders of 600 and 500 give 1 + floor(1100/1200) × 2 = 1', async () => {
    w = world().partner('P1').customer('C1');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 600, { subscription: true })
      .order('O2', 'C1', '2026-03-05 10:00:00', 500, { subscription: true });
    expect((await compute(w)).partners.P1.experience).toBe(1);
  });

  it('R-EXP-1: non-subscription orders add nothing to S; orders after the window or of another partner do not stack', async () => {
    w = world().partner('P1').partner('P2').customer('C1');
    w.event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 5000) // valid, not a subscription
      .order('O2', 'C1', '2026-03-03 10:00:00', 1200, { subscription: true }) // stacks
      .order('O3', 'C1', '2026-03-04 10:00:00', 3000, { billing: 'postpaid', subscription: true }) // not prepaid
      .event('E2', 'P2', 'C1', 'login', '2026-03-10 10:00:00')
      .order('O4', 'C1', '2026-03-11 10:00:00', 2400, { subscription: true }); // P2's window
    const r = await compute(w);
    expect(r.partners.P1.experience).toBe(3);
    expect(r.partners.P2.experience).toBe(0);
  });

  it('R-EXP-1: a renewal by the same partner keeps stacking within the renewed window (R-ATTR-3)', async () => {
    w = world().partner('P1').customer('C1');
    w.event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1200, { subscription: true })
      .event('E2', 'P1', 'C1', 'login', '2026-03-25 10:00:00')
      .order('O2', 'C1', '2026-04-10 10:00:00', 1200, { subscription: true });
    expect((await compute(w)).partners.P1.experience).toBe(5);
  });

  it('R-EXP-2 / R-CLAW-1: a full refund of the valid order removes all experience the customer gave, never below 0', async () => {
    w = world().partner('P1').customer('C1');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1200, { subscription: true })
      .order('O2', 'C1', '2026-03-03 10:00:00', 1200, { subscription: true })
      .refund('R1', 'O1', '2026-03-10 10:00:00', 1200)
      .refund('R2', 'O2', '2026-03-10 10:00:00', 1200);
    const r = await compute(w);
    expect(r.partners.P1.experience).toBe(0);
    expect(r.orders.O1.experience).toBe(0);
  });

  it('R-LVL-1: the level follows net experience; thresholds 10 / 50 / 200 give L2 / L3 / L4', async () => {
    w = world().partner('P1');
    customers(10, '2026-03-01', 100);
    const r = await compute(w);
    expect(r.partners.P1).toMatchObject({ experience: 10, level: 'L2' });
  });

  it('R-LVL-3: a level change takes effect for later orders only; earlier orders keep their ratio', async () => {
    w = world().partner('P1');
    customers(10, '2026-03-01', 100, { prefix: 'A' }); // 10 experience credited 03-01 11:00
    customers(1, '2026-03-05', 1000, { prefix: 'B' });
    const r = await compute(w);
    expect(r.orders['O-A009'].rebate_fen).toBe(2000); // 20 % at L1 (experience before it: 9)
    expect(r.orders['O-B000'].rebate_fen).toBe(25000); // 25 % at L2
  });

  it('R-LVL-2: an admin override wins while it lasts, and ends at its end date', async () => {
    w = world().partner('P1').override('P1', 'L4', '2026-03-01 00:00:00', '2026-04-01 00:00:00');
    customers(1, '2026-03-10', 1000, { prefix: 'A' });
    customers(1, '2026-04-10', 1000, { prefix: 'B' });
    const r = await compute(w);
    expect(r.orders['O-A000'].rebate_fen).toBe(35000);
    expect(r.orders['O-B000'].rebate_fen).toBe(20000);
    expect(r.partners.P1.level).toBe('L1');
    const during = await compute(w, '2026-03-20 00:00:00');
    expect(during.partners.P1.level).toBe('L4');
  });

  it('R-LVL-1: experience is deducted at the refund time, never retroactively', async () => {
    w = world().partner('P1');
    customers(10, '2026-03-01', 100, { prefix: 'A' });
    w.refund('R1', 'O-A000', '2026-03-08 00:00:00', 100); // two full refunds: −2 from 03-08
    w.refund('R2', 'O-A001', '2026-03-08 00:00:00', 100);
    customers(1, '2026-03-05', 1000, { prefix: 'B' }); // before the refund: L2
    customers(1, '2026-03-09', 1000, { prefix: 'C' }); // after: 9 → L1
    const r = await compute(w);
    expect(r.orders['O-B000'].rebate_fen).toBe(25000);
    expect(r.orders['O-C000'].rebate_fen).toBe(20000);
    expect(r.partners.P1).toMatchObject({ experience: 10, level: 'L2' });
  });
});
