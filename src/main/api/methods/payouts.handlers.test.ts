import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addOperator } from '../../operators/operators';
import { recomputeFull } from '../../engine/recompute';
import { t, world, type World } from '../../test-support/world';
import { actor, contextFor } from '../../test-support/actors';
import type { Actor } from '../../audit/chain';
import { dispatch } from '../dispatch';
import type {
  DecisionResult,
  PartnerStatementView,
  PayoutBatchDetailView,
  PayoutCycleView,
  PayoutDueView,
  PayoutFileView,
  PrepareResult,
  TrendsView,
} from './payouts.contract';

let w: World;
afterEach(async () => w?.close());

const now = t('2026-05-10 12:00:00');

async function call<T>(who: Actor, name: string, input: unknown): Promise<T> {
  const r = await dispatch(contextFor(w.store, who, { now: () => now }), name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

/** Operators FIN1 (PIN 1111) and FIN2 (PIN 2222), an admin; P1 and P2 due ¥200 / ¥100 for 2026-04. */
async function setup() {
  w = world()
    .partner('P1', { name: '张三' })
    .partner('P2', { name: '李四' })
    .customer('C1')
    .customer('C2')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .event('E2', 'P2', 'C2', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000)
    .order('O2', 'C2', '2026-03-03 10:00:00', 500)
    .refund('R1', 'O2', '2026-03-10 10:00:00', 100);
  recomputeFull(w.store, { asOf: t('2026-05-02 00:00:00') });
  const adm = await addOperator(w.store.db, { operatorId: 'ADM1', name: '管理员', role: 'admin' }, null);
  const by = actor(adm.operatorId, 'admin');
  await addOperator(w.store.db, { operatorId: 'FIN1', name: '财务甲', role: 'finance', pin: '1111' }, by);
  await addOperator(w.store.db, { operatorId: 'FIN2', name: '财务乙', role: 'finance', pin: '2222' }, by);
  return { admin: by, fin1: actor('FIN1', 'finance'), fin2: actor('FIN2', 'finance') };
}

describe('payouts through the contract', () => {
  it('R-OP-4: approval needs the finance role, another operator than the preparer, and that operator’s PIN', async () => {
    const { admin, fin1, fin2 } = await setup();
    // an admin may prepare (R-OP-1) but never approve
    const b = await call<PrepareResult>(admin, 'payouts.prepare', { cycleKey: '2026-04' });
    expect(b).toMatchObject({ lines: 2, totalFen: 20000 + 8000 });
    const approve = { batchId: b.batchId, decision: 'approve', reason: '核对无误' };
    await expect(call(admin, 'payouts.decide', { ...approve, confirmPin: '1111' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(call(fin2, 'payouts.decide', approve)).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
    await expect(call(fin2, 'payouts.decide', { ...approve, confirmPin: '1111' })).rejects.toMatchObject({
      code: 'PIN_WRONG',
    });
    await expect(call(fin2, 'payouts.decide', { ...approve, reason: '好的' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const ok = await call<DecisionResult>(fin2, 'payouts.decide', { ...approve, confirmPin: '2222' });
    expect(ok).toMatchObject({ batchStatus: 'approved', approvedLines: 2, approvedFen: 28000 });
    // the preparer of the next batch cannot approve it, PIN or not
    w.customer('C3').event('E3', 'P1', 'C3', 'register', '2026-04-01 10:00:00');
    w.order('O3', 'C3', '2026-04-02 10:00:00', 100);
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const may = await call<PrepareResult>(fin1, 'payouts.prepare', { cycleKey: '2026-05' });
    await expect(
      call(fin1, 'payouts.decide', {
        batchId: may.batchId,
        decision: 'approve',
        reason: '本人审批',
        confirmPin: '1111',
      }),
    ).rejects.toMatchObject({ code: 'PAYOUT_MAKER_CHECKER' });
    // support reads, writes nothing
    const support = actor('SUP', 'support');
    await expect(call(support, 'payouts.prepare', { cycleKey: '2026-05' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      (await call<PayoutBatchDetailView>(support, 'payouts.batch', { batchId: b.batchId })).batch,
    ).toMatchObject({ status: 'approved', decidedBy: 'FIN2', revision: 1 });
  });

  it('R-PAY-3: the export returns the file with its SHA-256, row count and total, stored with the batch; marking paid shows in the batch', async () => {
    const { admin, fin2 } = await setup();
    const b = await call<PrepareResult>(admin, 'payouts.prepare', { cycleKey: '2026-04' });
    await call(fin2, 'payouts.decide', {
      batchId: b.batchId,
      decision: 'approve',
      reason: '核对无误',
      confirmPin: '2222',
    });
    const f = await call<PayoutFileView>(fin2, 'payouts.export', {
      batchId: b.batchId,
      format: 'xlsx',
      layout: 'bank',
    });
    const bytes = Buffer.from(f.contentBase64, 'base64');
    expect(f).toMatchObject({ rows: 2, totalFen: 28000, bytes: bytes.length });
    expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(f.fileName).toBe(`yunke-payout-B${b.batchId}-2026-04-bank.xlsx`);
    await call(fin2, 'payouts.markPaid', { batchId: b.batchId, partnerIds: ['P1'] });
    await expect(call(fin2, 'payouts.markPaid', { batchId: b.batchId })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const detail = await call<PayoutBatchDetailView>(fin2, 'payouts.batch', { batchId: b.batchId });
    expect(detail.exports).toMatchObject([
      { sha256: f.sha256, rows: 2, totalFen: 28000, exportedBy: 'FIN2' },
    ]);
    expect(detail.lines.map((l) => [l.partnerId, l.status, l.paidBy])).toEqual([
      ['P1', 'paid', 'FIN2'],
      ['P2', 'approved', null],
    ]);
    expect(detail.batch.byStatus).toEqual([
      { status: 'approved', lines: 1, fen: 8000 },
      { status: 'paid', lines: 1, fen: 20000 },
    ]);
    const cycles = await call<PayoutCycleView[]>(fin2, 'payouts.cycles', {});
    expect(cycles.find((c) => c.cycleKey === '2026-04')).toMatchObject({
      kind: 'monthly',
      over: true,
      due: { partners: 2, fen: 28000 },
      batches: [{ batchId: b.batchId, status: 'approved', lines: 2, paidLines: 1 }],
    });
  });

  it('R-PAY-1: the amounts due of a cycle before preparing, with the partners missing payee details', async () => {
    await setup();
    w.partner('P2', { name: '李四', payee: null });
    const due = await call<PayoutDueView>(actor('SUP', 'support'), 'payouts.due', { cycleKey: '2026-04' });
    expect(due).toMatchObject({ total: 2, totalFen: 28000, missingPayee: { lines: 1, fen: 8000 } });
    expect(due.lines.map((l) => [l.partnerId, l.partnerName, l.amountFen, l.hasPayee])).toEqual([
      ['P1', '张三', 20000, true],
      ['P2', '李四', 8000, false],
    ]);
  });

  it('R-LVL-3 / R-CLAW-1: a partner statement shows each order with its level and ratio, its refunds, the cap and the payout row', async () => {
    await setup();
    const s = await call<PartnerStatementView>(actor('SUP', 'support'), 'payouts.statement', {
      partnerId: 'P2',
      cycleKey: '2026-04',
    });
    expect(s.orders).toEqual([
      {
        orderId: 'O2',
        customerId: 'C2',
        orderedAt: t('2026-03-03 10:00:00'),
        paidFen: 50000,
        netFen: 40000,
        level: 'L1',
        ratioBp: 2000,
        grossRebateFen: 8000,
        cappedFen: 0,
        rebateFen: 8000,
        rebateStatus: 'confirmed',
        confirmAt: t('2026-04-02 10:00:00'),
        refunds: [
          { refundId: 'R1', kind: 'refund', amountFen: 10000, at: t('2026-03-10 10:00:00'), counted: true },
        ],
      },
    ]);
    expect(s.totals).toMatchObject({ rebateFen: 8000, clawedFen: 2000, confirmedFen: 8000, pendingFen: 0 });
    expect(s.caps).toEqual([{ level: 'L1', capFen: 500_000, filledFen: 8000, cappedFen: 0 }]);
    expect(s.payout).toEqual({
      confirmedFen: 8000,
      paidFen: 0,
      carriedFen: 0,
      amountFen: 8000,
      status: 'due',
    });
    await expect(
      call(actor('SUP', 'support'), 'payouts.statement', { partnerId: 'P2', cycleKey: 'April' }),
    ).rejects.toMatchObject({ code: 'PAYOUT_BAD_CYCLE' });
  });

  it('dashboard trends: valid orders, rebates by state, clawbacks and refund rate, partners per level, week by week', async () => {
    await setup();
    const tr = await call<TrendsView>(actor('SUP', 'support'), 'dashboard.trends', {
      from: t('2026-02-23 00:00:00'),
      until: t('2026-03-09 00:00:00'),
    });
    expect(tr.weeks.map((x) => x.week)).toEqual(['2026-W09', '2026-W10']);
    const w10 = tr.weeks[1];
    expect(w10).toMatchObject({
      weekStart: t('2026-03-02 00:00:00'),
      validOrders: 2,
      confirmedFen: 28000,
      pendingFen: 0,
      paidFen: 0,
      clawedOrders: 1,
      clawedFen: 2000,
      refundRateBp: 5000,
      levels: { L1: 2, L2: 0, L3: 0, L4: 0 },
    });
    expect(tr.weeks[0].validOrders).toBe(0);
  });
});
