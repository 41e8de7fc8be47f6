import { afterEach, describe, expect, it } from 'vitest';
import { compute, world, type World } from '../test-support/world';

let w: World;
afterEach(async () => w?.close());

function base() {
  w = world().partner('P1').partner('P2').customer('C1', { registeredAt: '2026-03-01 10:00:00' });
  return w;
}

describe('joining and attribution', () => {
  it('R-JOIN-1: events of an unverified or not-approved partner fail with PARTNER_NOT_ACTIVE', async () => {
    base().partner('P3', { status: 'applied', verifiedAt: null }).customer('C2');
    w.event('E1', 'P3', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-05 12:00:00',
      1000,
    );
    // verified only after the event: still not active at the event's time
    w.partner('P4', { verifiedAt: '2026-03-10 00:00:00' }).event(
      'E2',
      'P4',
      'C2',
      'login',
      '2026-03-05 10:00:00',
    );
    w.order('O2', 'C2', '2026-03-06 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('not_attributed');
    expect(r.orders.O1.reasons).toEqual(['NOT_ATTRIBUTED', 'PARTNER_NOT_ACTIVE']);
    expect(r.orders.O2.reasons).toContain('PARTNER_NOT_ACTIVE');
    expect(r.attributions.find((a) => a.partner_id === 'P3')?.status).toBe('failed');
  });

  it('R-ATTR-1: a registration locks the customer for 30 days; other partners fail with LOCKED_BY_OTHER_PARTNER', async () => {
    base()
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P2', 'C1', 'login', '2026-03-10 10:00:00')
      .order('O1', 'C1', '2026-03-15 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ status: 'valid', partner_id: 'P1', rebate_fen: 20000 });
    const e2 = r.attributions.find((a) => a.partner_id === 'P2');
    expect(e2).toMatchObject({ status: 'failed', reasons: ['LOCKED_BY_OTHER_PARTNER'] });
    expect(r.attributions.find((a) => a.partner_id === 'P1')).toMatchObject({
      locked: true,
      kind: 'register',
    });
  });

  it('R-ATTR-1: the lock ends exactly 30 × 24 h after the registration (end-exclusive)', async () => {
    base()
      .customer('C2')
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P2', 'C1', 'login', '2026-03-31 10:00:00') // exactly 30 days: lock over
      .order('O1', 'C1', '2026-03-31 12:00:00', 1000)
      .event('E3', 'P1', 'C2', 'register', '2026-03-01 10:00:00')
      .event('E4', 'P2', 'C2', 'login', '2026-03-31 09:59:59') // one second before: still locked
      .order('O2', 'C2', '2026-03-31 09:59:59', 1000);
    const r = await compute(w);
    expect(r.orders.O1.partner_id).toBe('P2');
    expect(r.orders.O2.partner_id).toBe('P1');
    expect(r.orders.O2.status).toBe('valid');
  });

  it('R-ATTR-2: a login attributes to the most recent partner (last touch)', async () => {
    base()
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .event('E2', 'P2', 'C1', 'login', '2026-03-05 10:00:00')
      .order('O1', 'C1', '2026-03-06 12:00:00', 500);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ status: 'valid', partner_id: 'P2', rebate_fen: 10000 });
    expect(r.partners.P1.experience).toBe(0);
    expect(r.partners.P2.experience).toBe(1);
    expect(r.attributions.map((a) => a.status)).toEqual(['replaced', 'expired']);
  });

  it('R-ATTR-2: an order exactly 30 days after the login is no longer attributed', async () => {
    base()
      .customer('C2')
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-31 10:00:00', 500)
      .event('E2', 'P1', 'C2', 'login', '2026-03-01 10:00:00')
      .order('O2', 'C2', '2026-03-31 09:59:59', 500);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('not_attributed');
    expect(r.orders.O1.partner_id).toBeNull();
    expect(r.orders.O2.status).toBe('valid');
  });

  it('R-ATTR-3: a login of the same partner renews the window', async () => {
    base()
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .event('E2', 'P1', 'C1', 'login', '2026-03-25 10:00:00')
      .order('O1', 'C1', '2026-04-10 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ status: 'valid', partner_id: 'P1' });
  });

  it('R-ATTR-3: a registration lock is never extended by later events of the same partner', async () => {
    base()
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P1', 'C1', 'login', '2026-03-20 10:00:00')
      .event('E3', 'P2', 'C1', 'login', '2026-04-01 10:00:00') // lock ended 03-31 10:00
      .order('O1', 'C1', '2026-04-02 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.partner_id).toBe('P2');
  });

  it('R-ATTR-4: every failing reason is recorded, the first in the list is the headline', async () => {
    base()
      .salesSubject('S1')
      .customer('C1', { subject: 'S1' })
      .partner('P3', { status: 'suspended' })
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P3', 'C1', 'login', '2026-03-02 10:00:00');
    const r = await compute(w);
    const e2 = r.attributions.find((a) => a.partner_id === 'P3');
    expect(e2?.reasons).toEqual(['SALES_OWNED', 'PARTNER_NOT_ACTIVE']);
  });

  it('R-ATTR-4c: a customer whose real-name subject belongs to sales fails with SALES_OWNED, and the order says so', async () => {
    base()
      .salesSubject('SUBJ-9')
      .customer('C1', { subject: 'SUBJ-9' })
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-05 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('not_attributed');
    expect(r.orders.O1.reasons).toEqual(['NOT_ATTRIBUTED', 'SALES_OWNED']);
  });

  it('R-ATTR-4: a not_attributed order carries only the failed-event codes of the 30 days before it', async () => {
    base()
      .partner('P3', { status: 'applied', verifiedAt: null })
      .customer('C2')
      .event('E1', 'P3', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-04-15 12:00:00', 1000)
      .event('E2', 'P3', 'C2', 'login', '2026-04-01 10:00:00')
      .order('O2', 'C2', '2026-04-15 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.reasons).toEqual(['NOT_ATTRIBUTED']);
    expect(r.orders.O2.reasons).toEqual(['NOT_ATTRIBUTED', 'PARTNER_NOT_ACTIVE']);
  });

  it('R-ATTR-4a: a partner registering a new account through their own link fails with SAME_PERSON_AS_PARTNER (dissolved)', async () => {
    base()
      .customer('C1', { phone: '+86 138-0000-7777' })
      .partner('P1', { phone: '13800007777' })
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-05 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.reasons).toContain('SAME_PERSON_AS_PARTNER');
    expect(r.orders.O1.rebate_fen).toBe(0);
    expect(r.attributions[0]).toMatchObject({ status: 'dissolved', reasons: ['SAME_PERSON_AS_PARTNER'] });
  });

  it('R-ATTR-5: evidence imported later re-evaluates the attribution at the next recompute', async () => {
    base()
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-05 12:00:00', 1000);
    expect((await compute(w)).orders.O1.status).toBe('valid');
    w.loginIp('A-P1', '36.112.8.9', '2026-06-01 00:00:00').loginIp('C1', '36.112.8.9', '2026-06-02 00:00:00');
    const r = await compute(w);
    expect(r.orders.O1.status).not.toBe('valid');
    expect(r.orders.O1.reasons).toContain('SAME_PERSON_AS_PARTNER');
  });

  it('visit events are evidence only and never change attribution', async () => {
    base()
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .event('E2', 'P2', 'C1', 'visit', '2026-03-02 10:00:00')
      .order('O1', 'C1', '2026-03-03 12:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.partner_id).toBe('P1');
    expect(r.attributions).toHaveLength(1);
  });
});
