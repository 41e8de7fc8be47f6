import { afterEach, describe, expect, it } from 'vitest';
import { compute, world, type World } from '../test-support/world';

let w: World;
afterEach(async () => w?.close());

/** P1 registered C1 on 03-01 (window until 03-31 10:00). */
function base() {
  w = world()
    .partner('P1')
    .partner('P2')
    .customer('C1')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00');
  return w;
}

describe('valid orders and exclusions', () => {
  it('R-ORDER-1: only the first qualifying order of a customer is the valid order', async () => {
    base().order('O1', 'C1', '2026-03-02 10:00:00', 1000).order('O2', 'C1', '2026-03-03 10:00:00', 3000);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('valid');
    expect(r.orders.O2).toMatchObject({
      status: 'not_first',
      reasons: ['NOT_FIRST_ORDER'],
      partner_id: 'P1',
      rebate_fen: 0,
    });
  });

  it('R-ORDER-3: zero-amount, postpaid and non-eligible orders are ineligible and do not take the first slot', async () => {
    base()
      .order('O1', 'C1', '2026-03-02 10:00:00', 0)
      .order('O2', 'C1', '2026-03-02 11:00:00', 800, { billing: 'postpaid' })
      .order('O3', 'C1', '2026-03-02 12:00:00', 900, { line: 'cdn' })
      .order('O4', 'C1', '2026-03-03 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({
      status: 'ineligible',
      reasons: ['ZERO_AMOUNT'],
      rebate_status: null,
    });
    expect(r.orders.O2).toMatchObject({ status: 'ineligible', reasons: ['NOT_PREPAID'] });
    expect(r.orders.O3).toMatchObject({ status: 'ineligible', reasons: ['NOT_ELIGIBLE_PRODUCT'] });
    expect(r.orders.O4).toMatchObject({ status: 'valid', rebate_fen: 20000 });
  });

  it('R-EXCL-2: an order on a non-eligible product line is recorded with NOT_ELIGIBLE_PRODUCT (unknown lines too)', async () => {
    base()
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000, { line: 'cdn' })
      .order('O2', 'C1', '2026-03-02 11:00:00', 1000, { line: 'gpu-x' });
    const r = await compute(w);
    expect(r.orders.O1.reasons).toEqual(['NOT_ELIGIBLE_PRODUCT']);
    expect(r.orders.O2.reasons).toEqual(['NOT_ELIGIBLE_PRODUCT']);
  });

  it('R-ORDER-2: a customer who paid for other product lines before still earns on the first program order', async () => {
    w = world().partner('P1').customer('C1');
    w.order('O0', 'C1', '2026-01-10 10:00:00', 5000, { line: 'cdn' })
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('valid');
  });

  it('R-ORDER-4 / R-EXCL-1: an eligible order before the attribution began gives PRIOR_PROGRAM_ORDER', async () => {
    w = world().partner('P1').customer('C1');
    w.order('O0', 'C1', '2026-02-01 10:00:00', 300) // not attributed, but takes the first slot
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O0.status).toBe('not_attributed');
    expect(r.orders.O1).toMatchObject({ status: 'not_first', reasons: ['PRIOR_PROGRAM_ORDER'] });
  });

  it('R-EXCL-1: a paid postpaid order on an eligible line before the attribution also excludes', async () => {
    w = world().partner('P1').customer('C1');
    w.order('O0', 'C1', '2026-02-01 10:00:00', 300, { billing: 'postpaid' })
      .event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O0.status).toBe('ineligible');
    expect(r.orders.O1).toMatchObject({
      status: 'not_first',
      reasons: ['PRIOR_PROGRAM_ORDER'],
      partner_id: 'P1',
    });
  });

  it('R-ORDER-4: NOT_FIRST_ORDER when the earlier qualifying order falls inside the attribution in force', async () => {
    w = world().partner('P1').partner('P2').customer('C1');
    w.event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
      .event('E2', 'P2', 'C1', 'login', '2026-03-05 10:00:00')
      .order('O2', 'C1', '2026-03-06 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.partner_id).toBe('P1');
    // O1 was before P2's attribution began → PRIOR_PROGRAM_ORDER for O2
    expect(r.orders.O2).toMatchObject({
      status: 'not_first',
      partner_id: 'P2',
      reasons: ['PRIOR_PROGRAM_ORDER'],
    });
  });

  it('R-EXCL-3: the customer who is the partner themself (same ID number + name) earns nothing', async () => {
    w = world()
      .partner('P1', { name: '张三', idNumber: '110101199001010011' })
      .customer('C1', { name: '张三', idNumber: '110101199001010011' })
      .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.rebate_fen).toBe(0);
    expect(r.orders.O1.status).not.toBe('valid');
    expect(r.orders.O1.reasons).toContain('SAME_PERSON_AS_PARTNER');
  });

  it('R-EXCL-4: a customer with sales, agent or paid-channel service is excluded with CHANNEL_OWNED', async () => {
    w = world().partner('P1');
    for (const [i, ch] of ['sales', 'agent', 'paid_channel'].entries()) {
      w.customer(`C${i}`, { channel: ch })
        .event(`E${i}`, 'P1', `C${i}`, 'register', '2026-03-01 10:00:00')
        .order(`O${i}`, `C${i}`, '2026-03-02 10:00:00', 1000);
    }
    const r = await compute(w);
    for (const i of [0, 1, 2])
      expect(r.orders[`O${i}`]).toMatchObject({
        status: 'excluded',
        reasons: ['CHANNEL_OWNED'],
        partner_id: 'P1',
        rebate_fen: 0,
      });
  });

  it('R-EXCL-4: an excluded first order still takes the first slot', async () => {
    w = world().partner('P1').customer('C1', { channel: 'agent' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
      .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
      .order('O2', 'C1', '2026-03-03 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O2.status).toBe('not_first');
  });
});

describe('same person', () => {
  it('R-SAME-1: phone, ID number + name, IP and account id each join accounts into one person', async () => {
    w = world()
      .partner('P1')
      .partner('P2', { phone: '13911112222' })
      .partner('P3', { name: '李四', idNumber: '11010119900101002X' })
      .partner('P4')
      .partner('P5', { account: 'ACC-55' });
    w.customer('C1', { phone: '139-1111-2222' })
      .customer('C2', { name: '李四', idNumber: '11010119900101002x' })
      .customer('C3', { ip: '10.9.9.9' })
      .loginIp('A-P4', '10.9.9.9')
      .customer('ACC-55');
    for (const [c, p] of [
      ['C1', 'P2'],
      ['C2', 'P3'],
      ['C3', 'P4'],
      ['ACC-55', 'P5'],
    ]) {
      w.event(`E-${c}`, p, c, 'register', '2026-03-01 10:00:00').order(
        `O-${c}`,
        c,
        '2026-03-02 10:00:00',
        1000,
      );
    }
    const r = await compute(w);
    for (const c of ['C1', 'C2', 'C3', 'ACC-55']) {
      expect(r.orders[`O-${c}`].reasons, c).toContain('SAME_PERSON_AS_PARTNER');
      expect(r.orders[`O-${c}`].rebate_fen).toBe(0);
    }
    const kinds = (
      w.store.sqlite
        .prepare('SELECT DISTINCT evidence FROM result_same_person_edges ORDER BY 1')
        .pluck()
        .all() as string[]
    ).join(',');
    expect(kinds).toBe('account,id_number_name,ip,phone');
  });

  it('R-SAME-1: ID number without the same name is not evidence', async () => {
    w = world()
      .partner('P1', { name: '张三', idNumber: '110101199001010011' })
      .customer('C1', { name: '王五', idNumber: '110101199001010011' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-02 10:00:00',
      1000,
    );
    expect((await compute(w)).orders.O1.status).toBe('valid');
  });

  it('R-SAME-1: the relation is transitive, and a value shared by k accounts is kept as k − 1 edges', async () => {
    w = world().partner('P1');
    for (const c of ['C1', 'C2', 'C3', 'C4']) w.customer(c, { ip: '10.0.0.7' });
    w.loginIp('C4', '10.0.0.8').loginIp('A-P1', '10.0.0.8');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-02 10:00:00',
      1000,
    );
    const r = await compute(w);
    expect(r.orders.O1.reasons).toContain('SAME_PERSON_AS_PARTNER'); // C1 –ip– C4 –ip– P1
    const edges = w.store.sqlite
      .prepare("SELECT a_id, b_id FROM result_same_person_edges WHERE value = '10.0.0.7' ORDER BY b_id")
      .all();
    expect(edges).toEqual([
      { a_id: 'C1', b_id: 'C2' },
      { a_id: 'C1', b_id: 'C3' },
      { a_id: 'C1', b_id: 'C4' },
    ]);
    const groups = w.store.sqlite
      .prepare('SELECT COUNT(DISTINCT group_id) FROM result_same_person')
      .pluck()
      .get();
    expect(groups).toBe(1);
  });

  it('R-SAME-2: a customer who is the same person as the partner dissolves the attribution', async () => {
    w = world().partner('P1').customer('C1', { ip: '58.1.2.3' }).loginIp('A-P1', '58.1.2.3');
    w.event('E1', 'P1', 'C1', 'login', '2026-03-01 10:00:00').order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const r = await compute(w);
    expect(r.attributions[0].status).toBe('dissolved');
    expect(r.orders.O1).toMatchObject({ status: 'not_attributed', partner_id: null, rebate_fen: 0 });
    expect(r.orders.O1.reasons).toEqual(['NOT_ATTRIBUTED', 'SAME_PERSON_AS_PARTNER']);
  });

  it('R-SAME-3: same person as an older customer who never bought still earns', async () => {
    w = world()
      .partner('P1')
      .customer('OLD', { phone: '13700001111', registeredAt: '2024-01-01 00:00:00' })
      .customer('NEW', { phone: '13700001111' });
    w.order('X', 'OLD', '2025-01-01 00:00:00', 100, { line: 'cdn' }); // other lines do not count
    w.event('E1', 'P1', 'NEW', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'NEW',
      '2026-03-02 10:00:00',
      1000,
    );
    expect((await compute(w)).orders.O1.status).toBe('valid');
  });

  it('R-SAME-3: same person as an older customer who already bought a program product earns nothing (PRIOR_PROGRAM_ORDER)', async () => {
    w = world()
      .partner('P1')
      .customer('OLD', { phone: '13700001111' })
      .customer('NEW', { phone: '13700001111' });
    w.order('X', 'OLD', '2025-01-01 00:00:00', 100);
    w.event('E1', 'P1', 'NEW', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'NEW',
      '2026-03-02 10:00:00',
      1000,
    );
    const r = await compute(w);
    expect(r.orders.O1).toMatchObject({ status: 'not_first', reasons: ['PRIOR_PROGRAM_ORDER'] });
  });

  it('R-SAME-3: two accounts of one person attributed to a partner give at most one valid order', async () => {
    w = world()
      .partner('P1')
      .customer('C1', { phone: '13700001111' })
      .customer('C2', { phone: '13700001111' });
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').event(
      'E2',
      'P1',
      'C2',
      'register',
      '2026-03-01 11:00:00',
    );
    w.order('O1', 'C1', '2026-03-02 10:00:00', 1000).order('O2', 'C2', '2026-03-03 10:00:00', 1000);
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('valid');
    expect(r.orders.O2).toMatchObject({ status: 'not_first', reasons: ['NOT_FIRST_ORDER'] });
  });

  it('R-SAME-4: an IP marked shared by an admin is not evidence', async () => {
    w = world()
      .partner('P1')
      .customer('C1', { ip: '202.38.64.1' })
      .loginIp('A-P1', '202.38.64.1')
      .sharedIp('202.38.64.1', '校园网出口');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
      'O1',
      'C1',
      '2026-03-02 10:00:00',
      1000,
    );
    const r = await compute(w);
    expect(r.orders.O1.status).toBe('valid');
    expect(w.store.sqlite.prepare('SELECT COUNT(*) FROM result_same_person_edges').pluck().get()).toBe(0);
  });

  it('R-SAME-1: the IP of the customer’s own referral event is evidence too', async () => {
    w = world().partner('P1').customer('C1').loginIp('A-P1', '61.135.1.1');
    w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00', '61.135.1.1').order(
      'O1',
      'C1',
      '2026-03-02 10:00:00',
      1000,
    );
    expect((await compute(w)).orders.O1.reasons).toContain('SAME_PERSON_AS_PARTNER');
  });
});
