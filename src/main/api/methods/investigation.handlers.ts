import type { Change } from '../../engine/changes';
import type { DecisionOutcome } from '../../engine/decision-types';
import { normalizeIp, openSharedMark, requireIpAddress } from '../../investigation/decisions';
import { groupView, samePersonPath } from '../../investigation/group';
import { seesIdentity } from '../../investigation/mask';
import { groupMoves } from '../../investigation/moves';
import { queuePage } from '../../investigation/queue';
import { ipAccounts, listMarks } from '../../investigation/shared-ips';
import { runEngine, warmEngine } from '../../engine/run-engine';
import { actorOf, nowOf, type ApiContext } from '../context';
import { ApiError } from '../errors';
import type { HandlersOf } from '../handler-types';
import type { investigationContract, SharedIpOutcome } from './investigation.contract';

/** What-if (commit false) or decision (commit true), through the one decision run (engine/decision-run.ts). */
export function runChange(
  ctx: ApiContext,
  change: Change,
  input: { reason?: string; effectiveAt?: number; limit: number },
  commit: boolean,
): Promise<DecisionOutcome> {
  const recordedAt = nowOf(ctx);
  return runEngine(
    ctx.store,
    {
      kind: 'decision',
      decision: {
        change,
        actor: actorOf(ctx),
        // a what-if's audit entry is rolled back with everything else
        reason: input.reason ?? 'what-if / 影响预览',
        effectiveAt: input.effectiveAt ?? recordedAt,
        recordedAt,
        commit,
        limit: input.limit,
      },
    },
    { storeOptions: ctx.storeOptions },
  );
}

/** R-OP-3: a decision effective after the results' as-of changes nothing until a later recompute. */
export const effectiveLater = (o: DecisionOutcome, effectiveAt: number) =>
  o.run !== null && effectiveAt > o.run.asOf;

async function sharedIp(
  ctx: ApiContext,
  input: { ip: string; action?: 'mark' | 'unmark'; reason?: string; effectiveAt?: number; limit: number },
  commit: boolean,
): Promise<SharedIpOutcome> {
  const ip = normalizeIp(input.ip);
  const db = ctx.store.db;
  const action = input.action ?? ((await openSharedMark(db, ip)) ? 'unmark' : 'mark');
  // refused before the engine's run waits for the write lock (its change handler checks it too)
  if (action === 'mark') requireIpAddress(ip);
  // the sizes of the groups an IP decision can move, read before it: an applied one changes them;
  // a what-if changes nothing, so they are read while its engine worker runs
  const before = ipAccounts(db, ip, nowOf(ctx), true, Number.MAX_SAFE_INTEGER);
  if (commit) await before;
  const effectiveAt = input.effectiveAt ?? nowOf(ctx);
  const run = runChange(ctx, { kind: 'shared-ip', ip, action }, { ...input, effectiveAt }, commit);
  const [outcome, accounts] = await Promise.all([run, before]);
  const sizes = new Map(accounts.groups.map((g) => [g.groupId, g.size]));
  return {
    ...outcome,
    ip,
    action,
    effectiveAt,
    takesEffectLater: effectiveLater(outcome, effectiveAt),
    groups: groupMoves(outcome.members, sizes),
  };
}

export const investigationHandlers: HandlersOf<typeof investigationContract> = {
  'investigation.queue': async (ctx, input) => queuePage(ctx.store.db, input),
  'investigation.group': async (ctx, input) => {
    if (!input.groupId && !input.account)
      throw new ApiError('INVALID_INPUT', 'groupId 或 account 必填 / groupId or account is required');
    // whoever opens a group may ask for a shared-IP what-if next: its engine worker gets ready
    warmEngine(ctx.store, ctx.storeOptions);
    return groupView(ctx.store.db, input, seesIdentity(ctx.session.actor));
  },
  'investigation.path': async (ctx, input) =>
    samePersonPath(ctx.store.db, input.a, input.b, seesIdentity(ctx.session.actor), input.lang),
  'ips.list': async (ctx, input) => listMarks(ctx.store.db, input, nowOf(ctx)),
  'ips.accounts': async (ctx, input) => {
    warmEngine(ctx.store, ctx.storeOptions);
    return ipAccounts(ctx.store.db, normalizeIp(input.ip), nowOf(ctx), seesIdentity(ctx.session.actor));
  },
  'ips.preview': async (ctx, input) => sharedIp(ctx, input, false),
  'ips.mark': async (ctx, input) => sharedIp(ctx, { ...input, action: 'mark' }, true),
  'ips.unmark': async (ctx, input) => sharedIp(ctx, { ...input, action: 'unmark' }, true),
};
