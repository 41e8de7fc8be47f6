import { afterEach, describe, expect, it } from 'vitest';
import { compute, t, world, type World } from '../test-support/world';
import { customerTimeline } from './timeline';

let w: World;
afterEach(async () => w?.close());

describe('a customer’s attribution timeline (R-DISP-1)', () => {
  it('R-DISP-1: every event of every partner with what it created, renewed, replaced or failed, the bands, the orders and the manual attributions', async () => {
    w = world().partner('P1').partner('P2').partner('P3').customer('K1');
    w.event('E0', 'P1', 'K1', 'visit', '2026-06-28 10:00:00')
      .event('E1', 'P2', 'K1', 'register', '2026-07-01 10:00:00')
      .event('E2', 'P3', 'K1', 'login', '2026-07-02 10:00:00')
      .event('E3', 'P1', 'K1', 'login', '2026-07-10 10:00:00')
      .event('E4', 'P2', 'K1', 'login', '2026-08-20 10:00:00')
      .event('E5', 'P3', 'K1', 'login', '2026-08-25 10:00:00')
      .event('E6', 'P2', 'K1', 'login', '2026-12-01 10:00:00')
      .order('O1', 'K1', '2026-07-05 12:00:00', 1000)
      .order('O2', 'K1', '2026-08-26 12:00:00', 2000)
      .manual(7, 'P1', 'K1', '2026-07-03 09:00:00');
    await compute(w);
    const tl = customerTimeline(w.store.sqlite, 'K1');
    expect(tl.consistent).toBe(true);
    expect(tl.asOf).toBe(t('2026-11-01T00:00:00+08:00'));
    expect(
      tl.entries.map((e) => [e.id, e.kind, e.partnerId, e.outcome, e.previous?.id ?? null, e.codes, e.rules]),
    ).toEqual([
      ['E0', 'visit', 'P1', 'evidence', null, [], []],
      ['E1', 'register', 'P2', 'created', null, [], ['R-ATTR-1']],
      ['E2', 'login', 'P3', 'failed', null, ['LOCKED_BY_OTHER_PARTNER'], ['R-ATTR-1', 'R-ATTR-4b']],
      ['dispute:7', 'manual', 'P1', 'replaced', 'E1', [], ['R-DISP-2', 'R-ATTR-1']],
      ['E3', 'login', 'P1', 'renewed', 'dispute:7', [], ['R-ATTR-3']],
      ['E4', 'login', 'P2', 'created', null, [], ['R-ATTR-2']],
      ['E5', 'login', 'P3', 'replaced', 'E4', [], ['R-ATTR-2']],
      ['E6', 'login', 'P2', 'after_as_of', null, [], []],
    ]);
    const manual = tl.entries.find((e) => e.kind === 'manual')!;
    expect(manual).toMatchObject({
      locked: true,
      status: 'replaced',
      replacedBy: 'E3',
      dispute: { disputeId: 7, decidedBy: 'admin' },
    });
    expect(tl.bands.map((b) => [b.kind, b.entryId, b.from, b.endsAt])).toEqual([
      ['window', 'E1', t('2026-07-01 10:00'), t('2026-07-03 09:00')],
      ['window', 'dispute:7', t('2026-07-03 09:00'), t('2026-07-10 10:00')],
      ['window', 'E3', t('2026-07-10 10:00'), t('2026-08-09 10:00')],
      ['window', 'E4', t('2026-08-20 10:00'), t('2026-08-25 10:00')],
      ['window', 'E5', t('2026-08-25 10:00'), t('2026-09-24 10:00')],
      ['lock', 'E1', t('2026-07-01 10:00'), t('2026-07-03 09:00')],
      ['lock', 'dispute:7', t('2026-07-03 09:00'), t('2026-08-02 09:00')],
    ]);
    expect(tl.orders.map((o) => [o.orderId, o.partnerId, o.status, o.disputeId])).toEqual([
      ['O1', 'P1', 'valid', 7],
      ['O2', 'P3', 'not_first', null],
    ]);
    expect(tl.disputes).toEqual([
      {
        disputeId: 7,
        partnerId: 'P1',
        status: 'upheld',
        claimedAt: t('2026-07-03 09:00'),
        manualFrom: t('2026-07-03 09:00'),
      },
    ]);
    expect(tl.range).toEqual({ from: t('2026-06-28 10:00'), until: t('2026-12-01 10:00') });
  });

  it('R-DISP-1: a same-person event is dissolved (R-SAME-2); a revoked case shows in the cases, not on the axis', async () => {
    w = world()
      .partner('P1', { phone: '13800001111' })
      .partner('P2')
      .customer('K1', { phone: '13800001111' });
    w.event('E1', 'P1', 'K1', 'register', '2026-07-01 10:00:00').manual(
      3,
      'P2',
      'K1',
      '2026-07-02 10:00:00',
      {
        status: 'revoked',
      },
    );
    await compute(w);
    const tl = customerTimeline(w.store.sqlite, 'K1');
    expect(tl.entries.map((e) => [e.id, e.outcome, e.codes])).toEqual([
      ['E1', 'dissolved', ['SAME_PERSON_AS_PARTNER']],
    ]);
    expect(tl.entries[0].rules).toEqual(['R-ATTR-4a', 'R-EXCL-3', 'R-SAME-2']);
    expect(tl.disputes.map((d) => [d.disputeId, d.status])).toEqual([[3, 'revoked']]);
    expect(tl.bands).toEqual([]);
  });

  it('refuses an unknown customer and a store without results', async () => {
    w = world().customer('K1');
    expect(() => customerTimeline(w.store.sqlite, 'K1')).toThrow(/run recompute/);
    await compute(w);
    expect(() => customerTimeline(w.store.sqlite, 'K2')).toThrow(/no customer K2/);
    expect(customerTimeline(w.store.sqlite, 'K1').entries).toEqual([]);
  });
});
