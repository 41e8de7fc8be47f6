import {
  disputeDetail,
  getDisputeRow,
  listDisputes,
  openDispute,
  rejectDispute,
} from '../../disputes/disputes';
import { customerTimeline } from '../../disputes/timeline';
import type { Change } from '../../engine/changes';
import { runEngine } from '../../engine/run-engine';
import { actorOf, nowOf, type ApiContext } from '../context';
import type { HandlersOf } from '../handler-types';
import type { disputesContract } from './disputes.contract';

/**
 * An uphold or a revoke through the one decision path (engine/decision-run.ts): the what-if
 * (commit false) and the decision (commit true) run the same code.
 */
async function decide(
  ctx: ApiContext,
  kind: Change['kind'] & `dispute.${string}`,
  input: { disputeId: number; reason: string; effectiveAt?: number; limit: number },
  commit: boolean,
) {
  const recordedAt = nowOf(ctx);
  const row = await getDisputeRow(ctx.store.db, input.disputeId);
  // R-DISP-2: the manual attribution starts at the admin's instant, by default the instant claimed.
  // A revoke withdraws the attribution as a whole: it takes effect from the attribution's start
  // (R-OP-3), so that every run that counted the attribution no longer does.
  const effectiveAt =
    kind === 'dispute.uphold' ? (input.effectiveAt ?? row.claimed_at) : (row.manual_from ?? recordedAt);
  return runEngine(
    ctx.store,
    {
      kind: 'decision',
      decision: {
        change: { kind, disputeId: input.disputeId },
        actor: actorOf(ctx),
        reason: input.reason,
        effectiveAt,
        recordedAt,
        commit,
        limit: input.limit,
      },
    },
    { storeOptions: ctx.storeOptions },
  );
}

/** Whether the caller reads identity data masked: the support role (explain/mask.ts). */
const masked = (ctx: ApiContext) => actorOf(ctx).role === 'support';

export const disputesHandlers: HandlersOf<typeof disputesContract> = {
  'disputes.open': async (ctx, input) =>
    openDispute(ctx.store.db, input, actorOf(ctx), nowOf(ctx), masked(ctx)),
  'disputes.queue': async (ctx, input) =>
    listDisputes(ctx.store.db, { status: 'open' }, input.limit, input.offset, nowOf(ctx), masked(ctx)),
  'disputes.list': async (ctx, { limit, offset, ...filter }) =>
    listDisputes(ctx.store.db, filter, limit, offset, nowOf(ctx), masked(ctx)),
  'disputes.get': async (ctx, input) => disputeDetail(ctx.store.db, input.disputeId, nowOf(ctx), masked(ctx)),
  'disputes.upholdPreview': async (ctx, input) => decide(ctx, 'dispute.uphold', input, false),
  'disputes.uphold': async (ctx, input) => decide(ctx, 'dispute.uphold', input, true),
  'disputes.reject': async (ctx, input) =>
    rejectDispute(ctx.store.db, input.disputeId, input.reason, actorOf(ctx), nowOf(ctx), input.effectiveAt),
  'disputes.revokePreview': async (ctx, input) => decide(ctx, 'dispute.revoke', input, false),
  'disputes.revoke': async (ctx, input) => decide(ctx, 'dispute.revoke', input, true),
  'customers.timeline': async (ctx, input) =>
    customerTimeline(ctx.store.sqlite, input.customerId, masked(ctx)),
};
