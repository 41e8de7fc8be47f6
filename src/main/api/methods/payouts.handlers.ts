import { queueFor } from '../../jobs/store-queue';
import { dashboardTrends, refreshTrends } from '../../dashboard/trends';
import { confirmPin } from '../../operators/operators';
import { applyBankResult, checkBankResult } from '../../payouts/bank-result';
import { decide, markPaid, prepareBatch } from '../../payouts/batches';
import { exportPayoutFile } from '../../payouts/files';
import { partnerStatement } from '../../payouts/statement';
import { batchDetail, dueView, listBatches, listCycles } from '../../payouts/views';
import { actorOf, nowOf } from '../context';
import type { HandlersOf } from '../handler-types';
import type { payoutsContract } from './payouts.contract';

const bytesOf = (base64: string) => Buffer.from(base64, 'base64');

export const payoutsHandlers: HandlersOf<typeof payoutsContract> = {
  'payouts.cycles': async (ctx) => listCycles(ctx.store.db),
  'payouts.due': async (ctx, input) => dueView(ctx.store.db, input, nowOf(ctx)),
  'payouts.batches': async (ctx, input) => listBatches(ctx.store.db, input),
  'payouts.batch': async (ctx, input) => batchDetail(ctx.store.db, input),
  // one job at a time per store (store-queue.ts): a preparation waits for a running import
  'payouts.prepare': async (ctx, input) =>
    queueFor(ctx.store).run('payout', input.cycleKey, () =>
      prepareBatch(ctx.store.db, { cycleKey: input.cycleKey, actor: actorOf(ctx), now: nowOf(ctx) }),
    ),
  'payouts.decide': async (ctx, input) => {
    const actor = actorOf(ctx);
    // R-OP-4: the deciding operator's PIN, asked again, where one is set
    await confirmPin(ctx.store.db, actor, input.confirmPin);
    return decide(ctx.store.db, {
      batchId: input.batchId,
      partnerId: input.partnerId,
      decision: input.decision,
      reason: input.reason,
      expectedRevision: input.expectedRevision,
      actor,
      now: nowOf(ctx),
    });
  },
  'payouts.export': async (ctx, input) => {
    const f = await exportPayoutFile(ctx.store.db, { ...input, actor: actorOf(ctx), now: nowOf(ctx) });
    return {
      fileName: f.fileName,
      contentBase64: f.bytes.toString('base64'),
      sha256: f.sha256,
      rows: f.rows,
      totalFen: f.totalFen,
      bytes: f.bytes.length,
    };
  },
  'payouts.markPaid': async (ctx, input) => {
    const r = await markPaid(ctx.store.db, {
      batchId: input.batchId,
      partnerIds: input.partnerIds,
      reason: input.reason,
      actor: actorOf(ctx),
      now: nowOf(ctx),
    });
    // the dashboard's kept weeks count paid rebates: bring them up to date now, not at its next open
    await refreshTrends(ctx.store.db).catch(() => undefined);
    return r;
  },
  'payouts.bankResultPreview': async (ctx, input) =>
    checkBankResult(ctx.store.db, input.batchId, bytesOf(input.contentBase64)),
  'payouts.bankResult': async (ctx, input) => {
    const r = await applyBankResult(ctx.store.db, {
      batchId: input.batchId,
      bytes: bytesOf(input.contentBase64),
      fileName: input.fileName,
      actor: actorOf(ctx),
      now: nowOf(ctx),
    });
    await refreshTrends(ctx.store.db).catch(() => undefined);
    return r;
  },
  'payouts.statement': async (ctx, input) => partnerStatement(ctx.store.db, input),
  'dashboard.trends': async (ctx, input) => dashboardTrends(ctx.store.db, { ...input, now: nowOf(ctx) }),
};
