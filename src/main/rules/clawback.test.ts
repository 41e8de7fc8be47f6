import { afterEach, describe, expect, it } from 'vitest';
import { compute, t, world, type World } from '../test-support/world';
import { exportRows } from '../export/results';

let w: World;
afterEach(async () => w?.close());

function base() {
  w = world()
    .partner('P1')
    .partner('P2')
    .customer('C1')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00');
  return w;
}

describe('refunds and clawback', () => {
  it('R-CLAW-1: a partial refund within 30 days reduces the rebate to the net amount', async () => {
    base()
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
      .refund('R1', 'O1', '2026-03-12 10:00:00', 400, 'downgrade');
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({
      status: 'valid',
      rebate_fen: 12000,
      reasons: ['CLAWED_BACK'],
      rebate_status: 'confirmed',
    });
  });

  it('R-CLAW-1: a full refund voids the rebate (clawed_back) and a later order is not the valid order', async () => {
    base()
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
      .refund('R1', 'O1', '2026-03-10 10:00:00', 1000)
      .order('O2', 'C1', '2026-03-15 10:00:00', 2000);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({
      status: 'valid',
      rebate_fen: 0,
      rebate_status: 'clawed_back',
      reasons: ['CLAWED_BACK'],
    });
    expect(r.orders.O2).toMatchObject({ status: 'not_first', reasons: ['NOT_FIRST_ORDER'] });
    expect(r.partners.P1.experience).toBe(0);
  });

  it('R-CLAW-2: a refund 30 days or more after the order changes nothing', async () => {
    base().order('O1', 'C1', '2026-03-02 10:00:00', 1000).refund('R1', 'O1', '2026-04-01 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ rebate_fen: 20000, reasons: [], rebate_status: 'confirmed' });
    expect(r.partners.P1.experience).toBe(1);
  });

  it('R-CLAW-3: a clawback on a rebate already paid becomes a negative balance carried into the next payout', async () => {
    base().customer('C2').event('E2', 'P1', 'C2', 'register', '2026-04-01 10:00:00');
    w.order('O1', 'C1', '2026-03-02 10:00:00', 1000).order('O2', 'C2', '2026-04-02 10:00:00', 3000);
    await compute(w);
    // finance paid the April cycle (O1 confirmed 04-01: 200 yuan)
    const db = w.store.sqlite;
    db.prepare(
      `INSERT INTO payout_batches (batch_id, cycle_key, cycle_start, cycle_end, status, config_version, as_of, run_id, prepared_by, prepared_at)
       VALUES (1, '2026-04', ?, ?, 'draft', 1, 0, 1, 'maker', 0)`,
    ).run(t('2026-04-01 00:00:00'), t('2026-05-01 00:00:00'));
    db.prepare(
      `INSERT INTO payout_lines (batch_id, partner_id, confirmed_fen, carried_fen, amount_fen, status) VALUES (1, 'P1', 20000, 0, 20000, 'approved')`,
    ).run();
    db.prepare(`UPDATE payout_batches SET status = 'approved', decided_by = 'checker', decided_at = 0`).run();
    db.prepare(`UPDATE payout_lines SET status = 'paid'`).run();
    // later evidence: C1 is the partner's own account (R-ATTR-5)
    w.loginIp('A-P1', '1.2.3.4').loginIp('C1', '1.2.3.4');
    const r = await compute(w);
    expect(r.orders.O1.rebate_fen).toBe(0);
    const payouts = exportRows(db, 'payouts-due').rows;
    expect(payouts.find((p) => p.cycle_key === '2026-04')).toMatchObject({
      confirmed_fen: 0,
      paid_fen: 20000,
      status: 'closed',
    });
    // May: O2's 600 yuan minus the 200 yuan carried
    expect(payouts.find((p) => p.cycle_key === '2026-05')).toMatchObject({
      confirmed_fen: 60000,
      carried_fen: -20000,
      amount_fen: 40000,
    });
  });

  it('R-CLAW-3: the negative balance stays on the partner when there is nothing to net it against', async () => {
    base().order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const db = w.store.sqlite;
    db.prepare(
      `INSERT INTO payout_batches (batch_id, cycle_key, cycle_start, cycle_end, status, config_version, as_of, run_id, prepared_by, prepared_at) VALUES (1, '2026-04', 0, 0, 'draft', 1, 0, 1, 'm', 0)`,
    ).run();
    db.prepare(
      `INSERT INTO payout_lines (batch_id, partner_id, confirmed_fen, carried_fen, amount_fen, status) VALUES (1, 'P1', 20000, 0, 20000, 'approved')`,
    ).run();
    db.prepare(`UPDATE payout_batches SET status = 'approved', decided_by = 'c', decided_at = 0`).run();
    w.customer('C1', { channel: 'agent' });
    await compute(w);
    expect(
      db.prepare("SELECT negative_balance_fen FROM result_partners WHERE partner_id = 'P1'").pluck().get(),
    ).toBe(20000);
  });

  it('R-CLAW-4: a partner with ≥ 3 clawed-back valid orders making ≥ 30 % in 90 days is flagged, not blacklisted', async () => {
    w = world().partner('P1').partner('P2');
    for (let i = 0; i < 8; i++) {
      for (const p of ['P1', 'P2']) {
        const c = `${p}-C${i}`;
        w.customer(c)
          .event(`E-${c}`, p, c, 'register', '2026-09-01 10:00:00')
          .order(`O-${c}`, c, '2026-09-02 10:00:00', 1000);
      }
    }
    for (let i = 0; i < 3; i++) w.refund(`R-P1-${i}`, `O-P1-C${i}`, '2026-09-05 10:00:00', 100);
    for (let i = 0; i < 2; i++) w.refund(`R-P2-${i}`, `O-P2-C${i}`, '2026-09-05 10:00:00', 100);
    const r = await compute(w);
    const flags = w.store.sqlite
      .prepare('SELECT partner_id, risk_flag FROM result_partners ORDER BY partner_id')
      .all();
    expect(flags).toEqual([
      { partner_id: 'P1', risk_flag: 1 },
      { partner_id: 'P2', risk_flag: 0 },
    ]);
    expect(r.partners.P1.blacklisted).toBe(false);
    // 90 days later the orders are out of the window
    await compute(w, '2026-12-31 10:00:00');
    expect(
      w.store.sqlite.prepare("SELECT risk_flag FROM result_partners WHERE partner_id = 'P1'").pluck().get(),
    ).toBe(0);
  });
});

describe('blacklist', () => {
  it('R-BL-1 / R-EXCL-5: a blacklisted partner’s rebates are computed and frozen (PARTNER_FROZEN)', async () => {
    base().order('O1', 'C1', '2026-03-02 10:00:00', 1000).blacklist('P1', '2026-05-01 00:00:00');
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({
      status: 'valid',
      rebate_fen: 20000,
      rebate_status: 'frozen',
      reasons: ['PARTNER_FROZEN'],
    });
    expect(r.partners.P1).toMatchObject({ blacklisted: true, frozen_fen: 20000, confirmed_fen: 0 });
    expect(exportRows(w.store.sqlite, 'payouts-due').rows).toEqual([]);
  });

  it('R-BL-2: while blacklisted with promotion restricted, new events fail with PARTNER_BLACKLISTED', async () => {
    w = world()
      .partner('P1')
      .customer('C1')
      .customer('C2')
      .blacklist('P1', '2026-03-01 00:00:00', { liftedAt: '2026-04-01 00:00:00' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-10 10:00:00').order(
      'O1',
      'C1',
      '2026-03-11 10:00:00',
      1000,
    );
    w.event('E2', 'P1', 'C2', 'register', '2026-04-10 10:00:00').order(
      'O2',
      'C2',
      '2026-04-11 10:00:00',
      1000,
    );
    const r = await compute(w);
    expect(r.orders.O1.reasons).toEqual(['NOT_ATTRIBUTED', 'PARTNER_BLACKLISTED']);
    expect(r.orders.O2.status).toBe('valid');
  });

  it('R-BL-2: a blacklist that only freezes (promotion not restricted) does not fail events', async () => {
    w = world()
      .partner('P1')
      .customer('C1')
      .blacklist('P1', '2026-03-01 00:00:00', { restrictPromotion: false });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-10 10:00:00').order(
      'O1',
      'C1',
      '2026-03-11 10:00:00',
      1000,
    );
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ status: 'valid', rebate_status: 'frozen' });
  });

  it('R-BL-3: lifting the blacklist releases the frozen rewards into the payout', async () => {
    base()
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
      .blacklist('P1', '2026-03-20 00:00:00', { liftedAt: '2026-06-01 00:00:00' });
    expect((await compute(w, '2026-05-01 00:00:00')).orders.O1.rebate_status).toBe('frozen');
    const r = await compute(w, '2026-07-01 00:00:00');
    expect(r.orders.O1.rebate_status).toBe('confirmed');
    expect(r.partners.P1).toMatchObject({ blacklisted: false, confirmed_fen: 20000, frozen_fen: 0 });
  });
});

describe('payouts', () => {
  it('R-PAY-1: a payout line per partner and cycle: the confirmed rebates of the cycle, capped', async () => {
    w = world().partner('P1');
    for (const [i, day] of ['2026-03-02', '2026-03-03', '2026-03-20'].entries()) {
      w.customer(`C${i}`)
        .event(`E${i}`, 'P1', `C${i}`, 'register', `${day} 10:00:00`)
        .order(`O${i}`, `C${i}`, `${day} 11:00:00`, 10000);
    }
    await compute(w, '2026-05-15 00:00:00');
    const rows = exportRows(w.store.sqlite, 'payouts-due').rows;
    expect(rows.map((r) => [r.cycle_key, r.confirmed_fen, r.amount_fen, r.status])).toEqual([
      ['2026-04', 500_000, 500_000, 'due'], // 2000 + 2000 + 1000 (cap 5000)
    ]);
    const pending = await compute(w, '2026-04-05 00:00:00');
    expect(pending.partners.P1).toMatchObject({ confirmed_fen: 400_000, pending_fen: 100_000 });
  });
});
