import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import type { DisputeDetail, DisputePage, DisputeView } from '../api/methods/disputes.contract';
import type { DecisionOutcome } from '../engine/decision-types';
import { explainOrder, renderExplanation } from '../explain/explain-order';
import { exportRows } from '../export/results';
import { recomputeFull } from '../engine/recompute';
import { compute, resultSnapshot, t, world, type World } from '../test-support/world';
import { actor, contextFor } from '../test-support/actors';

// decisions run through the engine worker when it is built: build it from these sources
const root = resolve(import.meta.dirname, '../../..');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
});

let w: World;
afterEach(async () => w?.close());

const AS_OF = '2026-11-01T00:00:00+08:00';
const admin = actor('ADM1', 'admin');
const support = actor('SUP1', 'support');
const finance = actor('FIN1', 'finance');

async function call<T>(
  who: typeof admin,
  method: string,
  input: unknown,
  now = t('2026-11-02 09:00'),
): Promise<T> {
  const r = await dispatch(contextFor(w.store, who, { now: () => now }), method, input);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value as T;
}

async function refused(who: typeof admin, method: string, input: unknown): Promise<string> {
  const r = await dispatch(contextFor(w.store, who), method, input);
  expect(r.ok, `${method} as ${who.role}`).toBe(false);
  return r.ok ? '' : r.error.code;
}

const orders = () =>
  Object.fromEntries(exportRows(w.store.sqlite, 'orders').rows.map((r) => [r.order_id as string, r]));

/** RULES.md R-DISP-2's example: P1 says K9 registered through their link on 3 Jul; the export shows P2's login on 5 Jul. */
function example(): World {
  w = world().partner('P1').partner('P2').customer('K9');
  w.event('E1', 'P2', 'K9', 'login', '2026-07-05 10:00:00')
    .event('E2', 'P2', 'K9', 'login', '2026-07-20 10:00:00')
    .order('O1', 'K9', '2026-07-06 12:00:00', 1000);
  return w;
}

async function openCase(orderId: string | undefined = 'O1'): Promise<DisputeView> {
  return call<DisputeView>(support, 'disputes.open', {
    partnerId: 'P1',
    customerId: 'K9',
    orderId,
    claim: '客户 7 月 3 日通过我的链接注册，导出中缺失该事件',
    claimedAt: t('2026-07-03 09:00'),
  });
}

describe('R-DISP-1: a dispute case', () => {
  it('R-DISP-1: records claimant, customer, order, claim, instant claimed, who entered it and when; support opens, only admins decide', async () => {
    example();
    await compute(w, AS_OF);
    const d = await openCase();
    expect(d).toMatchObject({
      partnerId: 'P1',
      customerId: 'K9',
      orderId: 'O1',
      claimedAt: t('2026-07-03 09:00'),
      openedBy: 'SUP1',
      openedAt: t('2026-11-02 09:00'),
      status: 'open',
      decidedBy: null,
    });
    // R-OP-1: support may open a case, never decide one; finance neither
    expect(await refused(support, 'disputes.uphold', { disputeId: d.disputeId, reason: 'looks right' })).toBe(
      'FORBIDDEN',
    );
    expect(await refused(support, 'disputes.reject', { disputeId: d.disputeId, reason: 'no proof' })).toBe(
      'FORBIDDEN',
    );
    expect(await refused(support, 'disputes.revoke', { disputeId: d.disputeId, reason: 'undo it' })).toBe(
      'FORBIDDEN',
    );
    expect(
      await refused(finance, 'disputes.open', {
        partnerId: 'P1',
        customerId: 'K9',
        claim: 'mine mine',
        claimedAt: 0,
      }),
    ).toBe('FORBIDDEN');
    // R-OP-2: the case is in the audit log with who opened it and the claim
    const trail = (await call<DisputeDetail>(support, 'disputes.get', { disputeId: d.disputeId })).trail;
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'dispute.open',
        operatorId: 'SUP1',
        role: 'support',
        reason: d.claim,
      }),
    ]);
  });

  it('the support role reads the disputes desk with identity data masked (names; phones, ID numbers and names written in a claim or reason; IPs); admins read it in full', async () => {
    w = world()
      .partner('P1', { name: '李小龙', phone: '13800001111' })
      .partner('P2', { name: '赵六', phone: '13700002222' })
      .customer('K9', { name: '王大明', phone: '13912345678', idNumber: '11010119900101123X' });
    w.event('E1', 'P2', 'K9', 'login', '2026-07-05 10:00:00', '36.112.5.9').order(
      'O1',
      'K9',
      '2026-07-06 12:00:00',
      1000,
    );
    await compute(w, AS_OF);
    const d = await call<DisputeView>(support, 'disputes.open', {
      partnerId: 'P1',
      customerId: 'K9',
      orderId: 'O1',
      claim:
        '王大明（13912345678，身份证 11010119900101123x）说是李小龙 13800001111 推荐的，不是赵六 13700002222',
      claimedAt: t('2026-07-03 09:00'),
    });
    // the reply to support's own entry is masked too
    expect(d).toMatchObject({ partnerName: '李**', customerName: '王**' });
    expect(d.claim).not.toMatch(/王大明|李小龙|赵六|13912345678|13700002222|110101199001/);
    await call(admin, 'disputes.reject', { disputeId: d.disputeId, reason: '王大明 7 月 5 日由 P2 登录' });
    const full = await call<DisputeDetail>(admin, 'disputes.get', { disputeId: d.disputeId });
    expect(full).toMatchObject({ partnerName: '李小龙', customerName: '王大明' });
    expect(full.claim).toContain('13912345678');
    expect(full.claim).toContain('赵六 13700002222');
    expect(full.decisionReason).toBe('王大明 7 月 5 日由 P2 登录');
    const masked = await call<DisputeDetail>(support, 'disputes.get', { disputeId: d.disputeId });
    expect(masked).toMatchObject({ partnerName: '李**', customerName: '王**' });
    // the partner the claim is against (P2, of the customer's chain) too; the ID number whatever
    // the case of its check letter
    expect(masked.claim).toBe(
      '王**（139****5678，身份证 1101**********123X）说是李** 138****1111 推荐的，不是赵* 137****2222',
    );
    expect(masked.decisionReason).toBe('王** 7 月 5 日由 P2 登录');
    expect(masked.trail.map((a) => a.reason)).toEqual([masked.claim, masked.decisionReason]);
    for (const method of ['disputes.list', 'disputes.queue'] as const) {
      const page = await call<DisputePage>(support, method, { limit: 10 });
      for (const row of page.rows)
        expect(JSON.stringify(row), method).not.toMatch(
          /王大明|李小龙|赵六|13912345678|13700002222|110101199001/,
        );
    }
    const list = await call<DisputePage>(support, 'disputes.list', { customerId: 'K9', limit: 10 });
    expect(list.rows[0].claim).toBe(masked.claim);
    // the customer's timeline: the name and the IPs of its events
    type Timeline = { customerName: string; entries: { id: string; ip: string | null }[] };
    const timeline = await call<Timeline>(support, 'customers.timeline', { customerId: 'K9' });
    expect(timeline.customerName).toBe('王**');
    expect(timeline.entries.find((e) => e.id === 'E1')?.ip).toBe('36.112.*.*');
    const plain = await call<Timeline>(admin, 'customers.timeline', { customerId: 'K9' });
    expect([plain.customerName, plain.entries.find((e) => e.id === 'E1')?.ip]).toEqual([
      '王大明',
      '36.112.5.9',
    ]);
  });

  it('R-DISP-1: refuses a case about an unknown partner, customer or another customer’s order, and a second open case', async () => {
    example();
    w.customer('K8').order('O8', 'K8', '2026-07-06 12:00:00', 100);
    const base = {
      partnerId: 'P1',
      customerId: 'K9',
      claim: 'mine, really',
      claimedAt: t('2026-07-03 09:00'),
    };
    const code = async (input: object) => {
      const r = await dispatch(contextFor(w.store, support), 'disputes.open', { ...base, ...input });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await code({ partnerId: 'P9' })).toBe('DISPUTE_UNKNOWN_PARTNER');
    expect(await code({ customerId: 'K7' })).toBe('DISPUTE_UNKNOWN_CUSTOMER');
    expect(await code({ orderId: 'O8' })).toBe('DISPUTE_UNKNOWN_ORDER');
    expect(await code({ claim: 'x' })).toBe('INVALID_INPUT');
    // a claim is about what already happened: an instant claimed later than now is refused
    expect(await code({ claimedAt: Date.now() + 3_600_000 })).toBe('DISPUTE_CLAIMED_LATER');
    expect(await code({})).toBe('ok');
    expect(await code({ orderId: 'O1' })).toBe('DISPUTE_ALREADY_OPEN');
    for (const m of ['disputes.reject', 'disputes.upholdPreview', 'disputes.revoke'])
      expect(
        await dispatch(contextFor(w.store, admin), m, { disputeId: 999, reason: 'no such case' }),
      ).toMatchObject({ ok: false, error: { code: 'DISPUTE_NOT_FOUND' } });
  });

  it('R-DISP-1: the queue lists open cases oldest first, with how long each waited and the money at stake', async () => {
    example();
    w.partner('P3').customer('K7').event('E7', 'P3', 'K7', 'login', '2026-08-01 10:00:00');
    w.order('O7', 'K7', '2026-09-15 12:00:00', 500); // not attributed: P3's window ended
    await compute(w, AS_OF);
    const first = await call<DisputeView>(
      support,
      'disputes.open',
      {
        partnerId: 'P3',
        customerId: 'K7',
        claim: 'still mine in September',
        claimedAt: t('2026-09-01 10:00'),
      },
      t('2026-10-01 09:00'),
    );
    const second = await openCase();
    const third = await call<DisputeView>(
      support,
      'disputes.open',
      { partnerId: 'P3', customerId: 'K9', claim: 'K9 is mine too', claimedAt: t('2026-07-01 10:00') },
      t('2026-11-02 10:00'),
    );
    await call(admin, 'disputes.reject', { disputeId: third.disputeId, reason: 'no evidence at all' });
    const now = t('2026-11-03 09:00');
    const q = await call<DisputePage>(support, 'disputes.queue', { limit: 10 }, now);
    expect(q.total).toBe(2);
    expect(q.rows.map((r) => r.disputeId)).toEqual([first.disputeId, second.disputeId]);
    expect(q.rows[0].waitedMs).toBe(now - t('2026-10-01 09:00'));
    // K7's order is not attributed: what P3 could earn, ¥500 × 20%
    expect(q.rows[0].stake).toMatchObject({ orderId: 'O7', fen: 10_000, basis: 'unattributed' });
    // O1 earns P2 ¥1000 × 20% now
    expect(q.rows[1].stake).toMatchObject({
      orderId: 'O1',
      fen: 20_000,
      basis: 'earned_by_other',
      currentPartnerId: 'P2',
    });
    const page2 = await call<DisputePage>(support, 'disputes.queue', { limit: 1, offset: 1 }, now);
    expect(page2.rows.map((r) => r.disputeId)).toEqual([second.disputeId]);
    const all = await call<DisputePage>(support, 'disputes.list', { customerId: 'K9' }, now);
    expect(all.rows.map((r) => r.status)).toEqual(['open', 'rejected']);
  });
});

describe('R-DISP-2: upholding grants a manual attribution', () => {
  it('R-DISP-2: an upheld claim locks out a later login of another partner and the order moves to the claimant; the what-if predicts it exactly', async () => {
    example();
    const before = await compute(w, AS_OF);
    expect(before.orders.O1).toMatchObject({ partner_id: 'P2', status: 'valid', rebate_fen: 20_000 });
    const d = await openCase();
    const input = { disputeId: d.disputeId, reason: '核实注册日志，确认来自 P1 的链接' };
    const snapshot = resultSnapshot(w.store);
    const preview = await call<DecisionOutcome>(admin, 'disputes.upholdPreview', input);
    expect(resultSnapshot(w.store)).toBe(snapshot); // a what-if writes nothing
    expect((await call<DisputeView>(admin, 'disputes.get', { disputeId: d.disputeId })).status).toBe('open');
    expect(preview.orders.rows).toEqual([
      expect.objectContaining({
        orderId: 'O1',
        before: expect.objectContaining({ partnerId: 'P2', rebateFen: 20_000 }),
        after: expect.objectContaining({ partnerId: 'P1', rebateFen: 20_000 }),
      }),
    ]);
    expect(preview.money).toEqual([
      { partnerId: 'P1', beforeFen: 0, afterFen: 20_000 },
      { partnerId: 'P2', beforeFen: 20_000, afterFen: 0 },
    ]);
    const applied = await call<DecisionOutcome>(admin, 'disputes.uphold', input);
    expect(applied.orders).toEqual(preview.orders);
    expect(applied.money).toEqual(preview.money);
    const after = orders();
    expect(after.O1).toMatchObject({ partner_id: 'P1', status: 'valid', rebate_fen: 20_000 });
    const attributions = exportRows(w.store.sqlite, 'attributions').rows;
    // the manual attribution, from the instant claimed, locked; P2's logins inside it fail
    expect(attributions).toContainEqual(
      expect.objectContaining({
        partner_id: 'P1',
        kind: 'manual',
        from: '2026-07-03T09:00:00+08:00',
        until: '2026-08-02T09:00:00+08:00',
        locked: true,
      }),
    );
    expect(attributions.filter((a) => a.partner_id === 'P2').map((a) => a.reasons)).toEqual([
      ['LOCKED_BY_OTHER_PARTNER'],
      ['LOCKED_BY_OTHER_PARTNER'],
    ]);
    // the case records the decision; the audit entry is effective from the attribution's start
    const detail = await call<DisputeDetail>(admin, 'disputes.get', { disputeId: d.disputeId });
    expect(detail).toMatchObject({ status: 'upheld', decidedBy: 'ADM1', manualFrom: t('2026-07-03 09:00') });
    expect(detail.trail.map((e) => [e.action, e.effectiveAt])).toEqual([
      ['dispute.open', t('2026-11-02 09:00')],
      ['dispute.uphold', t('2026-07-03 09:00')],
    ]);
    // a decided case is not decided again
    const again = await dispatch(contextFor(w.store, admin), 'disputes.uphold', input);
    expect(again).toMatchObject({ ok: false, error: { code: 'DISPUTE_WRONG_STATUS' } });
    // incremental (the decision's run) equals full
    const incremental = resultSnapshot(w.store);
    recomputeFull(w.store, { asOf: t(AS_OF) });
    expect(resultSnapshot(w.store)).toBe(incremental);
  });

  it('R-DISP-2: the admin sets the start (--at): a later start leaves an earlier order with its partner', async () => {
    example();
    w.order('O2', 'K9', '2026-07-25 12:00:00', 3000, { line: 'rds' });
    await compute(w, AS_OF);
    const d = await openCase();
    await call(admin, 'disputes.uphold', {
      disputeId: d.disputeId,
      reason: 'only from the second visit',
      effectiveAt: t('2026-07-10 00:00'),
    });
    const o = orders();
    // O1 (6 Jul) was placed before the manual attribution began: still P2's valid order
    expect(o.O1).toMatchObject({ partner_id: 'P2', status: 'valid' });
    // O2 (25 Jul) is P1's now, but not the first order of K9 (R-ORDER-1a)
    expect(o.O2).toMatchObject({ partner_id: 'P1', status: 'not_first' });
  });

  it('R-DISP-2: a claim for a customer who is the same person as the claimant still earns nothing (R-SAME, R-EXCL-3)', async () => {
    w = world()
      .partner('P1', { phone: '13800001234' })
      .partner('P2')
      .customer('K9', { phone: '13800001234' });
    w.event('E1', 'P2', 'K9', 'login', '2026-07-05 10:00:00').order('O1', 'K9', '2026-07-06 12:00:00', 1000);
    await compute(w, AS_OF);
    const d = await openCase();
    const outcome = await call<DecisionOutcome>(admin, 'disputes.uphold', {
      disputeId: d.disputeId,
      reason: 'the log shows the link',
    });
    expect(orders().O1).toMatchObject({
      partner_id: 'P1',
      status: 'excluded',
      reasons: ['SAME_PERSON_AS_PARTNER'],
      rebate_fen: 0,
    });
    expect(outcome.money.find((m) => m.partnerId === 'P1')).toBeUndefined();
    const full = await compute(w, AS_OF);
    expect(full.partners.P1).toMatchObject({ pending_fen: 0, confirmed_fen: 0, experience: 0 });
  });

  it('R-DISP-2: every other rule still applies — a blacklisted (R-BL-2) or unverified (R-JOIN-1) claimant gets nothing, and a sales-owned customer stays unattributed', async () => {
    w = world()
      .partner('P1')
      .partner('P2', { status: 'applied', verifiedAt: null })
      .partner('P3')
      .salesSubject('S1')
      .customer('K1')
      .customer('K2')
      .customer('K3', { subject: 'S1' });
    w.blacklist('P1', '2026-06-01 00:00:00');
    w.event('E1', 'P3', 'K1', 'login', '2026-07-05 10:00:00').order('O1', 'K1', '2026-07-06 12:00:00', 1000);
    w.event('E2', 'P3', 'K2', 'login', '2026-07-05 10:00:00').order('O2', 'K2', '2026-07-06 12:00:00', 1000);
    w.order('O3', 'K3', '2026-07-06 12:00:00', 1000);
    w.manual(1, 'P1', 'K1', '2026-07-03 09:00:00')
      .manual(2, 'P2', 'K2', '2026-07-03 09:00:00')
      .manual(3, 'P3', 'K3', '2026-07-03 09:00:00');
    const r = await compute(w, AS_OF);
    // a failed manual attribution changes nothing: P3's logins stand
    expect(r.orders.O1).toMatchObject({ partner_id: 'P3', status: 'valid' });
    expect(r.orders.O2).toMatchObject({ partner_id: 'P3', status: 'valid' });
    expect(r.orders.O3).toMatchObject({ partner_id: null, status: 'not_attributed' });
    const manual = r.attributions.filter((a) => a.kind === 'manual');
    expect(manual.map((a) => [a.customer_id, a.status, a.reasons])).toEqual([
      ['K1', 'failed', ['PARTNER_BLACKLISTED']],
      ['K2', 'failed', ['PARTNER_NOT_ACTIVE']],
      ['K3', 'failed', ['SALES_OWNED']],
    ]);
    expect(r.orders.O3.reasons).toEqual(['NOT_ATTRIBUTED', 'SALES_OWNED']);
  });

  it('R-DISP-2: it replaces a registration lock of another partner at its start, renews with the claimant’s own login, and R-EXCL-1 counts from its start', async () => {
    w = world().partner('P1').partner('P2').customer('K1').customer('K2');
    // K1: P2's registration lock is replaced; P1's own login inside renews (one tenure)
    w.event('E1', 'P2', 'K1', 'register', '2026-07-01 10:00:00')
      .event('E2', 'P1', 'K1', 'login', '2026-07-20 10:00:00')
      .event('E3', 'P2', 'K1', 'login', '2026-08-05 10:00:00')
      .order('O1', 'K1', '2026-08-10 12:00:00', 1000);
    // K2 bought before the manual attribution began: PRIOR_PROGRAM_ORDER
    w.order('O2', 'K2', '2026-07-02 12:00:00', 100, { billing: 'postpaid' }).order(
      'O3',
      'K2',
      '2026-07-06 12:00:00',
      1000,
    );
    w.manual(1, 'P1', 'K1', '2026-07-10 09:00:00').manual(2, 'P1', 'K2', '2026-07-03 09:00:00');
    const r = await compute(w, AS_OF);
    const k1 = r.attributions.filter((a) => a.customer_id === 'K1');
    expect(k1.map((a) => [a.partner_id, a.kind, a.status, a.reasons])).toEqual([
      ['P2', 'register', 'replaced', []],
      ['P1', 'login', 'expired', []],
      ['P2', 'login', 'failed', ['LOCKED_BY_OTHER_PARTNER']],
      ['P1', 'manual', 'replaced', []],
    ]);
    // the claimant's window runs from the login of 20 Jul (renewal): O1 on 10 Aug is P1's
    expect(r.orders.O1).toMatchObject({ partner_id: 'P1', status: 'valid' });
    expect(r.orders.O3).toMatchObject({
      partner_id: 'P1',
      status: 'not_first',
      reasons: ['PRIOR_PROGRAM_ORDER'],
    });
  });

  it('R-DISP-2: rejecting changes nothing but the case', async () => {
    example();
    await compute(w, AS_OF);
    const before = resultSnapshot(w.store);
    const d = await openCase();
    const r = await call<DisputeView>(admin, 'disputes.reject', {
      disputeId: d.disputeId,
      reason: '无注册日志佐证',
    });
    expect(r).toMatchObject({ status: 'rejected', decidedBy: 'ADM1', decisionReason: '无注册日志佐证' });
    expect(resultSnapshot(w.store)).toBe(before);
    await compute(w, AS_OF);
    expect(resultSnapshot(w.store)).toBe(before);
    expect(
      await dispatch(contextFor(w.store, admin), 'disputes.revoke', {
        disputeId: d.disputeId,
        reason: 'undo it',
      }),
    ).toMatchObject({ ok: false, error: { code: 'DISPUTE_WRONG_STATUS' } });
  });

  it('R-DISP-2: revoking restores the previous result exactly, and incremental equals full', async () => {
    example();
    w.partner('P3').customer('K1').event('E9', 'P3', 'K1', 'register', '2026-07-01 10:00:00');
    w.order('O9', 'K1', '2026-07-04 10:00:00', 5000, { subscription: true });
    await compute(w, AS_OF);
    const before = resultSnapshot(w.store);
    const d = await openCase();
    await call(admin, 'disputes.uphold', { disputeId: d.disputeId, reason: 'the registration log agrees' });
    expect(resultSnapshot(w.store)).not.toBe(before);
    const preview = await call<DecisionOutcome>(admin, 'disputes.revokePreview', {
      disputeId: d.disputeId,
      reason: 'the log was of another account',
    });
    expect(preview.orders.rows.map((o) => [o.orderId, o.after?.partnerId])).toEqual([['O1', 'P2']]);
    await call(admin, 'disputes.revoke', {
      disputeId: d.disputeId,
      reason: 'the log was of another account',
    });
    expect(resultSnapshot(w.store)).toBe(before);
    recomputeFull(w.store, { asOf: t(AS_OF) });
    expect(resultSnapshot(w.store)).toBe(before);
    const detail = await call<DisputeDetail>(admin, 'disputes.get', { disputeId: d.disputeId });
    expect(detail).toMatchObject({ status: 'revoked', revokedBy: 'ADM1', manualFrom: t('2026-07-03 09:00') });
    expect(detail.trail.map((e) => e.action)).toEqual(['dispute.open', 'dispute.uphold', 'dispute.revoke']);
  });

  it('R-DISP-2 / R-OP-3: a manual attribution starting after a run’s as-of is ignored by that run', async () => {
    example();
    await compute(w, '2026-07-08 00:00:00');
    const d = await openCase();
    const r = await call<DecisionOutcome>(admin, 'disputes.uphold', {
      disputeId: d.disputeId,
      reason: 'from the 9th only',
      effectiveAt: t('2026-07-09 00:00'),
    });
    expect(r.run?.asOf).toBe(t('2026-07-08 00:00'));
    expect(r.orders.total).toBe(0);
    expect(exportRows(w.store.sqlite, 'attributions').rows.some((a) => a.kind === 'manual')).toBe(false);
    // a later as-of counts it: P2's login of 20 Jul falls inside P1's lock
    const later = await compute(w, AS_OF);
    expect(later.attributions.filter((a) => a.partner_id === 'P1').map((a) => [a.kind, a.status])).toEqual([
      ['manual', 'expired'],
    ]);
    expect(later.attributions.find((a) => a.partner_id === 'P2' && a.status === 'failed')?.reasons).toEqual([
      'LOCKED_BY_OTHER_PARTNER',
    ]);
    expect(later.orders.O1).toMatchObject({ partner_id: 'P2' }); // placed before the 9th
  });

  it('R-DISP-2: the explanation of an affected order names the dispute and who decided it, in zh-CN and English', async () => {
    example();
    await compute(w, AS_OF);
    const d = await openCase();
    await call(admin, 'disputes.uphold', { disputeId: d.disputeId, reason: '核实注册日志' });
    const zh = explainOrder(w.store.sqlite, 'O1');
    expect(zh.consistent).toBe(true);
    const zhText = renderExplanation(zh);
    expect(zhText).toContain(`争议 #${d.disputeId}`);
    expect(zhText).toContain('ADM1');
    expect(zh.ruleIds).toContain('R-DISP-2');
    const en = renderExplanation(explainOrder(w.store.sqlite, 'O1', 'en'));
    expect(en).toContain(`dispute #${d.disputeId}`);
    expect(en).toContain('decided by ADM1');
    expect(en).toContain('LOCKED_BY_OTHER_PARTNER');
  });
});
