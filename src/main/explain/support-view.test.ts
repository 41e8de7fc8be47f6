import { afterEach, describe, expect, it } from 'vitest';
import { contextFor, actor } from '../test-support/actors';
import { dispatch } from '../api/dispatch';
import { compute, world, type World } from '../test-support/world';
import { explainOrder, renderExplanation } from './explain-order';
import { maskEvidence, maskIdNumber, maskIp, maskName, maskPhone } from './mask';

let w: World;
afterEach(async () => w?.close());

/** Identity data as it looks in text: an 11-digit phone, an 18-character ID number, an IPv4. */
const IDENTITY = [/1[3-9]\d{9}/, /\d{17}[\dX]/, /\b\d{1,3}(\.\d{1,3}){3}\b/];

/** A same-person group: three customers sharing a phone, an ID + name and an IP with each other. */
function sharedIdentities() {
  w = world()
    .partner('P1', { phone: '13900000001' })
    .customer('C1', { phone: '13811112222', registeredAt: '2026-01-05 10:00:00', ip: '36.112.10.20' })
    .customer('C2', {
      phone: '13811112222',
      idNumber: '110101199003070011',
      name: '王小明',
      registeredAt: '2026-02-01 10:00:00',
    })
    .customer('C3', {
      idNumber: '110101199003070011',
      name: '王小明',
      ip: '36.112.10.20',
      registeredAt: '2026-03-01 10:00:00',
    });
  w.event('E1', 'P1', 'C1', 'register', '2026-01-05 10:00:00')
    .event('E3', 'P1', 'C3', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-01-06 10:00:00', 500)
    .order('O3', 'C3', '2026-03-02 10:00:00', 800);
}

describe('support sees what support needs, and no more', () => {
  it('masks phone, ID number, name and IP', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskIdNumber('110101199001010011')).toBe('1101**********0011');
    expect(maskIp('36.112.10.20')).toBe('36.112.*.*');
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskEvidence('id_number_name', '110101199001010011|王小明')).toBe('1101**********0011|王**');
  });

  it('R-SAME-1: the support role reads the evidence of a same-person group masked; an admin in full', async () => {
    sharedIdentities();
    await compute(w, '2026-06-01 00:00:00');
    const masked = renderExplanation(explainOrder(w.store.sqlite, 'O3', 'zh-CN', { mask: true }));
    expect(masked).toContain('138****2222');
    expect(masked).toContain('1101**********0011|王**');
    expect(masked).toContain('36.112.*.*');
    for (const re of IDENTITY) expect(masked).not.toMatch(re);
    const full = renderExplanation(explainOrder(w.store.sqlite, 'O3', 'zh-CN'));
    expect(full).toContain('13811112222');
    // through the contract: the role decides, not the caller
    const asSupport = await dispatch(contextFor(w.store, actor('S1', 'support')), 'orders.explain', {
      orderId: 'O3',
    });
    const asAdmin = await dispatch(contextFor(w.store, actor('A1', 'admin')), 'orders.explain', {
      orderId: 'O3',
    });
    expect(JSON.stringify(asSupport)).not.toContain('13811112222');
    expect(asSupport).toMatchObject({ ok: true, value: { masked: true } });
    expect(JSON.stringify(asAdmin)).toContain('13811112222');
    const group = await dispatch(contextFor(w.store, actor('S1', 'support')), 'sameperson.group', {
      customerId: 'C3',
    });
    expect(JSON.stringify(group)).not.toMatch(IDENTITY[0]);
    expect(JSON.stringify(group)).toContain('138****2222');
  });

  it('R-EXCL-1: the reply to the partner states the decision in plain words, with its rule, and no one’s identity data', async () => {
    sharedIdentities();
    await compute(w, '2026-06-01 00:00:00');
    const e = explainOrder(w.store.sqlite, 'O3', 'zh-CN');
    expect(e.status).toBe('not_first');
    expect(e.reply).toMatch(/^订单 O3（2026-03-02 下单，实付 ¥800\.00）不产生返利：/);
    expect(e.reply).toContain('R-EXCL-1');
    // no reason code up front, no internal ids, nobody's identity data
    expect(e.reply).not.toMatch(/PRIOR_PROGRAM_ORDER|NOT_FIRST_ORDER/);
    expect(e.reply).not.toMatch(/customer:|C1|C2/);
    for (const re of IDENTITY) expect(e.reply).not.toMatch(re);
    const en = explainOrder(w.store.sqlite, 'O3', 'en').reply;
    expect(en).toMatch(/^Order O3 \(placed 2026-03-02, paid ¥800\.00\) earns no rebate: /);
  });

  it('R-REB-3: the reply for a valid order names the rebate, the ratio and when it is paid', async () => {
    sharedIdentities();
    await compute(w, '2026-01-20 00:00:00');
    const zh = explainOrder(w.store.sqlite, 'O1', 'zh-CN').reply;
    expect(zh).toBe(
      '订单 O1（2026-01-06 下单，实付 ¥500.00）是您推广的有效订单，返利 ¥100.00（¥500.00 × 20%）。返利将于 2026-02-05（下单 30 天后）确认，并随 2026-02 周期发放。（依据规则 R-ORDER-1、R-REB-1、R-REB-3）',
    );
  });

  it('R-SAME-2: a self-referral reply says "same person" without the evidence', async () => {
    w = world().partner('P1', { phone: '13800001234' }).customer('C1', { phone: '13800001234' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-05 12:00:00',
      1000,
    );
    await compute(w);
    const reply = explainOrder(w.store.sqlite, 'O1', 'en').reply;
    expect(reply).toContain('the same person as you');
    expect(reply).toContain('R-SAME-2');
    expect(reply).not.toContain('13800001234');
  });

  it('finds orders by id prefix, by a customer’s phone or name; masked for support', async () => {
    sharedIdentities();
    await compute(w, '2026-06-01 00:00:00');
    const support = contextFor(w.store, actor('S1', 'support'));
    const byPrefix = await dispatch(support, 'orders.search', { query: 'O' });
    expect(byPrefix).toMatchObject({ ok: true, value: { total: 2 } });
    const byPhone = await dispatch(support, 'orders.search', { query: '138 1111 2222' });
    expect(
      byPhone.ok && (byPhone.value as { rows: { order_id: string; customer_phone: string }[] }).rows,
    ).toEqual([expect.objectContaining({ order_id: 'O1', customer_phone: '138****2222' })]);
    const byName = await dispatch(support, 'orders.search', { query: '王小明' });
    expect(
      byName.ok && (byName.value as { rows: { order_id: string }[] }).rows.map((r) => r.order_id),
    ).toEqual(['O3']);
    const partners = await dispatch(support, 'partners.search', { query: 'P' });
    expect(partners).toMatchObject({
      ok: true,
      value: [{ partner_id: 'P1', phone: '139****0001', level: 'L1' }],
    });
  });
});
