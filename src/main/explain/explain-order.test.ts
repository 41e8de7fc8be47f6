import { afterEach, describe, expect, it } from 'vitest';
import { compute, world, type World } from '../test-support/world';
import { explainOrder, renderExplanation } from './explain-order';

let w: World;
afterEach(async () => w?.close());

describe('explain', () => {
  it('R-RECALC-2: explains a valid order with its chain, level, rebate, cap and rule ids in zh-CN and en', async () => {
    w = world().partner('P1').partner('P2').customer('C1');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P2', 'C1', 'login', '2026-03-03 10:00:00')
      .order('O1', 'C1', '2026-03-05 12:00:00', 1000)
      .refund('R1', 'O1', '2026-03-06 12:00:00', 100);
    await compute(w);
    const zh = explainOrder(w.store.sqlite, 'O1');
    expect(zh.consistent).toBe(true);
    const text = renderExplanation(zh);
    expect(text).toContain('LOCKED_BY_OTHER_PARTNER');
    expect(text).toContain('¥900.00 × 20% = ¥180.00');
    expect(zh.ruleIds).toEqual(
      expect.arrayContaining(['R-ATTR-1', 'R-REB-1', 'R-LVL-1', 'R-CLAW-1', 'R-RECALC-2']),
    );
    const en = renderExplanation(explainOrder(w.store.sqlite, 'O1', 'en'));
    expect(en).toContain('Rebate = ¥900.00 × 20% = ¥180.00');
    expect(en).toContain('v1');
  });

  it('R-ATTR-1, R-DISP-2: an event refused by a registration lock at the very instant a dispute grants its partner the customer names the registration, not the dispute', async () => {
    // P1's login at 03-05 10:00 meets P2's registration lock; the dispute P1 wins starts at that
    // same instant, after the event (events of an instant come first)
    w = world().partner('P1').partner('P2').customer('C1');
    w.event('E1', 'P2', 'C1', 'register', '2026-03-01 10:00:00')
      .event('E2', 'P1', 'C1', 'login', '2026-03-05 10:00:00')
      .manual(7, 'P1', 'C1', '2026-03-05 10:00:00')
      .order('O1', 'C1', '2026-03-06 12:00:00', 1000);
    await compute(w);
    const en = renderExplanation(explainOrder(w.store.sqlite, 'O1', 'en'));
    const line = en.split('\n').find((l) => l.includes('(event E2)'));
    expect(line).toContain('LOCKED_BY_OTHER_PARTNER (');
    expect(line).not.toContain('dispute #7');
    expect(line).not.toMatch(/[（）；]/);
    // the order itself goes to P1 by the dispute's manual attribution
    expect(en).toContain('the manual attribution of dispute #7');
  });

  it("R-DISP-2: support reads a dispute's claim and reason with the customer's and the claimant's identity masked, as everywhere else; admins in full", async () => {
    w = world()
      .partner('P1', { name: '李四' })
      .partner('P2', { name: '王小五' })
      .customer('C1', { name: '钟天博', phone: '13800001234' })
      .event('E1', 'P2', 'C1', 'login', '2026-03-01 10:00:00')
      .manual(7, 'P1', 'C1', '2026-03-05 10:00:00')
      .order('O1', 'C1', '2026-03-06 12:00:00', 1000);
    w.store.sqlite
      .prepare('UPDATE disputes SET claim = ?, decision_reason = ? WHERE dispute_id = 7')
      .run('客户 钟天博（13800001234）是李四带来的，不是王小五', '已与钟天博电话核实');
    await compute(w);
    const support = renderExplanation(explainOrder(w.store.sqlite, 'O1', 'zh-CN', { mask: true }));
    expect(support).toContain('客户 钟**（138****1234）是李*带来的，不是王**');
    expect(support).toContain('已与钟**电话核实');
    expect(support).not.toMatch(/钟天博|13800001234|李四|王小五/);
    const admin = renderExplanation(explainOrder(w.store.sqlite, 'O1', 'zh-CN'));
    expect(admin).toContain('客户 钟天博（13800001234）是李四带来的，不是王小五');
  });

  it('explains a not-attributed order with the failed events and same-person evidence', async () => {
    w = world().partner('P1', { phone: '13800001234' }).customer('C1', { phone: '13800001234' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-05 12:00:00',
      1000,
    );
    await compute(w);
    const e = explainOrder(w.store.sqlite, 'O1', 'en');
    const text = renderExplanation(e);
    expect(e.status).toBe('not_attributed');
    expect(text).toContain('SAME_PERSON_AS_PARTNER');
    expect(text).toContain('same phone number (13800001234)');
  });

  it('an unknown order is a clear error (exit code 1)', async () => {
    w = world();
    await compute(w);
    expect(() => explainOrder(w.store.sqlite, 'NOPE')).toThrow(/unknown order NOPE/);
  });

  it('R-RECALC-1: the on-demand recomputation agrees with the stored results for every order', async () => {
    w = world().partner('P1').partner('P2').partner('P3', { status: 'applied', verifiedAt: null });
    const kinds = ['register', 'login'] as const;
    for (let i = 0; i < 30; i++) {
      const c = `C${String(i).padStart(2, '0')}`;
      w.customer(c, {
        phone: i % 7 === 0 ? '13700000000' : undefined,
        channel: i % 11 === 3 ? 'agent' : 'none',
      });
      w.event(
        `E${i}a`,
        `P${(i % 3) + 1}`,
        c,
        kinds[i % 2],
        `2026-03-${String((i % 20) + 1).padStart(2, '0')} 10:00:00`,
      );
      w.event(
        `E${i}b`,
        `P${((i + 1) % 3) + 1}`,
        c,
        'login',
        `2026-03-${String((i % 20) + 3).padStart(2, '0')} 10:00:00`,
      );
      w.order(`O${i}a`, c, `2026-03-${String((i % 20) + 4).padStart(2, '0')} 10:00:00`, 100 * (i + 1), {
        subscription: i % 2 === 0,
      });
      w.order(`O${i}b`, c, `2026-03-${String((i % 20) + 6).padStart(2, '0')} 10:00:00`, 1300, {
        subscription: true,
      });
      if (i % 4 === 0)
        w.refund(`R${i}`, `O${i}a`, `2026-03-${String((i % 20) + 7).padStart(2, '0')} 10:00:00`, 50);
    }
    const r = await compute(w, '2026-04-10 00:00:00');
    for (const id of Object.keys(r.orders))
      expect(explainOrder(w.store.sqlite, id).consistent, id).toBe(true);
  });
});
