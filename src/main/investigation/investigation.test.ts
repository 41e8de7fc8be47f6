import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import type { GroupView, QueuePage, SamePersonPath } from '../api/methods/investigation.contract';
import type { Actor } from '../audit/chain';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';
import { maskEvidence, maskIdNumber, maskIp, maskName, maskPhone } from './mask';

const AS_OF = t('2026-11-01 00:00:00');
const admin = actor('ADM1', 'admin');
const support = actor('SUP1', 'support');
let w: World;

async function call<T>(method: string, input: unknown, who: Actor = admin): Promise<T> {
  const r = await dispatch(contextFor(w.store, who), method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

beforeAll(() => {
  w = world()
    .partner('P1', { phone: '13800009991', idNumber: '110101199001010011', name: '张三' })
    .partner('P2')
    .partner('P3')
    // R-SAME-2: P1 promotes their own new account (same phone)
    .customer('K1', { phone: '13800009991', registeredAt: '2026-05-01 09:00:00' })
    .event('E1', 'P1', 'K1', 'register', '2026-05-01 09:00:00')
    .order('O1', 'K1', '2026-05-02 10:00:00', 5000)
    // R-SAME-3: K2 bought first; K4 (same phone as K3, who logged in from K2's IP) later
    .customer('K2', { registeredAt: '2026-05-01 09:00:00' })
    .customer('K3', { phone: '13900000099', registeredAt: '2026-05-03 09:00:00' })
    .customer('K4', { phone: '13900000099', registeredAt: '2026-05-04 09:00:00' })
    .loginIp('K2', '36.112.1.2', '2026-05-02 08:00:00')
    .loginIp('K3', '36.112.1.2', '2026-05-06 20:00:00')
    .loginIp('K3', '36.112.1.2', '2026-05-09 20:00:00')
    .event('E2', 'P2', 'K2', 'register', '2026-05-01 09:00:00')
    .event('E4', 'P2', 'K4', 'register', '2026-05-04 09:00:00')
    .order('O2', 'K2', '2026-05-02 10:00:00', 1000)
    .order('O4', 'K4', '2026-05-05 10:00:00', 3000)
    // two accounts with one phone and no partner: not an investigation
    .customer('K8', { phone: '13900000088' })
    .customer('K9', { phone: '13900000088' });
  // a campus exit shared by 25 accounts: a hub
  for (let i = 1; i <= 25; i++) {
    const id = `H${String(i).padStart(2, '0')}`;
    w.customer(id, { ip: '36.112.9.9', registeredAt: '2026-06-01 09:00:00' }).event(
      `EH${i}`,
      'P3',
      id,
      'login',
      '2026-06-02 09:00:00',
    );
  }
  w.order('OH1', 'H01', '2026-06-03 10:00:00', 200);
  recomputeFull(w.store, { asOf: AS_OF });
});
afterAll(async () => w.close());

describe('the investigation queue (R-SAME-1..4)', () => {
  it('R-SAME-1, R-SAME-2, R-SAME-3: holds the groups that touch a partner, ranked by money at stake (denied + confirmed + pending)', async () => {
    const page = await call<QueuePage>('investigation.queue', {}, support);
    expect(page.asOf).toBe(AS_OF);
    expect(page.rows.map((r) => r.groupId)).toEqual(['customer:K1', 'customer:K2', 'customer:H01']);
    expect(page.total).toBe(3);
    const [k1, k2, hub] = page.rows;
    // K4's first order was taken by K2's (same person): denied at the first level's 20%
    expect(k2).toMatchObject({
      size: 3,
      customers: 3,
      partners: 0,
      referrers: 1,
      validOrders: 1,
      deniedOrders: 1,
      deniedFen: 60000,
      confirmedFen: 20000,
      stakeFen: 80000,
      evidence: { account: 0, phone: 1, id_number_name: 0, ip: 1 },
      partnerIds: ['P2'],
    });
    // P1's own account: excluded as the same person (R-EXCL-3), the partner is a member
    expect(k1).toMatchObject({ size: 2, partners: 1, deniedOrders: 1, deniedFen: 100000, stakeFen: 100000 });
    expect(k1.partnerIds).toEqual(['P1']);
    expect(hub).toMatchObject({ size: 25, largestShare: 25, evidence: { ip: 1 } });
    expect(page.rows.find((r) => r.groupId === 'customer:K8')).toBeUndefined();
  });

  it('filters by evidence, size and partner, sorts and pages in the store', async () => {
    const q = (input: object) => call<QueuePage>('investigation.queue', input);
    expect((await q({ evidence: 'ip' })).rows.map((r) => r.groupId)).toEqual(['customer:K2', 'customer:H01']);
    expect((await q({ evidence: 'phone', maxSize: 2 })).rows.map((r) => r.groupId)).toEqual(['customer:K1']);
    expect((await q({ minSize: 10 })).rows.map((r) => r.groupId)).toEqual(['customer:H01']);
    expect((await q({ partnerId: 'P2' })).rows.map((r) => r.groupId)).toEqual(['customer:K2']);
    expect((await q({ sort: 'size' })).rows[0].groupId).toBe('customer:H01');
    const second = await q({ limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 3, rows: [{ groupId: 'customer:K2' }] });
  });
});

describe('a group as an investigator reads it (R-SAME-1, R-SAME-4)', () => {
  it('R-SAME-1: members told apart, evidence edges with when each value was seen, identity masked for support', async () => {
    const g = await call<GroupView>('investigation.group', { account: 'customer:K4' }, support);
    expect(g.groupId).toBe('customer:K2');
    expect(g.masked).toBe(true);
    expect(g.members.map((m) => [m.key, m.orders.count, m.rebates.confirmedFen, m.referredBy])).toEqual([
      ['customer:K2', 1, 20000, ['P2']],
      ['customer:K3', 0, 0, []],
      ['customer:K4', 1, 0, ['P2']],
    ]);
    const ip = g.edges.find((e) => e.evidence === 'ip')!;
    expect(ip).toMatchObject({
      a: 'customer:K2',
      b: 'customer:K3',
      value: '36.112.*.*',
      label: '同一IP 36.112.*.*',
    });
    expect(ip.seenA).toEqual({
      first: t('2026-05-02 08:00:00'),
      last: t('2026-05-02 08:00:00'),
      sources: ['login'],
    });
    expect(ip.seenB).toEqual({
      first: t('2026-05-06 20:00:00'),
      last: t('2026-05-09 20:00:00'),
      sources: ['login'],
    });
    const phone = g.edges.find((e) => e.evidence === 'phone')!;
    expect(phone.value).toBe('139****0099');
    expect(phone.seenB.sources).toEqual(['registration']);
    const full = await call<GroupView>('investigation.group', { groupId: 'customer:K2', lang: 'en' }, admin);
    expect(full.edges.find((e) => e.evidence === 'phone')).toMatchObject({
      value: '13900000099',
      label: 'same phone number 13900000099',
    });
    const onlyIp = await call<GroupView>('investigation.group', { groupId: 'customer:K2', evidence: ['ip'] });
    expect(onlyIp.edges.map((e) => e.evidence)).toEqual(['ip']);
    expect(onlyIp.evidenceCounts).toEqual({ account: 0, phone: 1, id_number_name: 0, ip: 1 });
  });

  it('R-SAME-4: a value shared by many accounts comes as one hub with a count, not one edge per account', async () => {
    const g = await call<GroupView>('investigation.group', { groupId: 'customer:H01', hubMin: 20 }, support);
    expect(g.edges).toEqual([]);
    expect(g.hubs).toHaveLength(1);
    expect(g.hubs[0]).toMatchObject({
      evidence: 'ip',
      value: '36.112.*.*',
      count: 25,
      seen: { first: t('2026-06-01 09:00:00'), last: t('2026-06-01 09:00:00') },
    });
    expect(g.members.every((m) => m.hubs.length === 1)).toBe(true);
    const small = await call<GroupView>('investigation.group', { groupId: 'customer:H01', hubMin: 30 });
    expect(small.hubs).toEqual([]);
    expect(small.edges).toHaveLength(24);
  });

  it('R-SAME-1, R-OP-1: why two accounts are the same person — the shortest chain, pasteable in zh-CN and English, masked for support', async () => {
    const p = await call<SamePersonPath>(
      'investigation.path',
      { a: 'customer:K4', b: 'customer:K2' },
      support,
    );
    expect(p).toMatchObject({ linked: true, groupId: 'customer:K2', masked: true });
    expect(p.steps.map((s) => [s.from, s.to, s.evidence, s.value])).toEqual([
      ['customer:K4', 'customer:K3', 'phone', '139****0099'],
      ['customer:K3', 'customer:K2', 'ip', '36.112.*.*'],
    ]);
    expect(p.text['zh-CN'].split('\n')).toEqual([
      '为什么 客户 K4 与 客户 K2 被判定为同一人（R-SAME-1，2 步证据）：',
      '1. 客户 K4 与 客户 K3：同一手机号 139****0099（客户 K4：注册 2026-05-04 09:00；客户 K3：注册 2026-05-03 09:00）',
      '2. 客户 K3 与 客户 K2：同一IP 36.112.*.*（客户 K3：登录 2026-05-06 20:00 至 2026-05-09 20:00；客户 K2：登录 2026-05-02 08:00）',
    ]);
    expect(p.text.en).toContain('1. customer K4 and customer K3: same phone number 139****0099');
    expect(p.text.en).not.toContain('13900000099');
    const full = await call<SamePersonPath>('investigation.path', { a: 'customer:K1', b: 'partner:P1' });
    expect(full.steps).toMatchObject([{ evidence: 'phone', value: '13800009991' }]);
    const apart = await call<SamePersonPath>('investigation.path', { a: 'customer:K1', b: 'customer:K2' });
    expect(apart.linked).toBe(false);
    expect(apart.text.en).toContain('not in one same-person group');
  });

  it('masks phones, ID numbers, names and IPs as support sees them', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskIdNumber('110101199001010011')).toBe('1101**********0011');
    expect(maskIp('36.112.1.2')).toBe('36.112.*.*');
    expect(maskName('张三')).toBe('张*');
    expect(maskEvidence('id_number_name', '110101199001010011|张三')).toBe('1101**********0011|张*');
    expect(maskEvidence('account', 'A-P1')).toBe('A-P1');
  });
});
