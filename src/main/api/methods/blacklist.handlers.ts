import { openBlacklistEntry } from '../../investigation/decisions';
import { blacklistHistory, listBlacklist, listRisk, riskDetail } from '../../investigation/blacklist';
import { nowOf, type ApiContext } from '../context';
import type { HandlersOf } from '../handler-types';
import type { BlacklistOutcome, blacklistContract } from './blacklist.contract';
import { effectiveLater, runChange } from './investigation.handlers';

async function blacklist(
  ctx: ApiContext,
  input: {
    partnerId: string;
    action?: 'add' | 'lift';
    restrictPromotion?: boolean;
    reason?: string;
    effectiveAt?: number;
    limit: number;
  },
  commit: boolean,
): Promise<BlacklistOutcome> {
  const action = input.action ?? ((await openBlacklistEntry(ctx.store.db, input.partnerId)) ? 'lift' : 'add');
  const effectiveAt = input.effectiveAt ?? nowOf(ctx);
  const outcome = await runChange(
    ctx,
    { kind: 'blacklist', partnerId: input.partnerId, action, restrictPromotion: input.restrictPromotion },
    { ...input, effectiveAt },
    commit,
  );
  const p = outcome.partners.rows.find((r) => r.partnerId === input.partnerId);
  const failing = (s: { reasons: string[] } | null) => (s?.reasons ?? []).includes('PARTNER_BLACKLISTED');
  return {
    ...outcome,
    partnerId: input.partnerId,
    action,
    effectiveAt,
    takesEffectLater: effectiveLater(outcome, effectiveAt),
    summary: {
      frozenBeforeFen: p?.before?.frozenFen ?? 0,
      frozenAfterFen: p?.after?.frozenFen ?? 0,
      pendingBeforeFen: p?.before?.pendingFen ?? 0,
      pendingAfterFen: p?.after?.pendingFen ?? 0,
      confirmedBeforeFen: p?.before?.confirmedFen ?? 0,
      confirmedAfterFen: p?.after?.confirmedFen ?? 0,
      eventsFailing: outcome.events.rows.filter((e) => !failing(e.before) && failing(e.after)).length,
      eventsReleased: outcome.events.rows.filter((e) => failing(e.before) && !failing(e.after)).length,
    },
  };
}

export const blacklistHandlers: HandlersOf<typeof blacklistContract> = {
  'blacklist.list': async (ctx, input) => listBlacklist(ctx.store.db, input, nowOf(ctx)),
  'blacklist.history': async (ctx, input) => blacklistHistory(ctx.store.db, input.partnerId, nowOf(ctx)),
  'blacklist.preview': async (ctx, input) => blacklist(ctx, input, false),
  'blacklist.add': async (ctx, input) => blacklist(ctx, { ...input, action: 'add' }, true),
  'blacklist.lift': async (ctx, input) => blacklist(ctx, { ...input, action: 'lift' }, true),
  'risk.list': async (ctx, input) => listRisk(ctx.store.db, input),
  'risk.partner': async (ctx, input) => riskDetail(ctx.store.db, input.partnerId),
  'risk.decide': async (ctx, input) =>
    runChange(
      ctx,
      {
        kind: 'risk',
        partnerId: input.partnerId,
        decision: input.decision,
        restrictPromotion: input.restrictPromotion,
      },
      input,
      true,
    ),
};
