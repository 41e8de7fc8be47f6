import type { Change } from '../../engine/changes';
import { levelTable, listOverrides, partnerLevels } from '../../levels/ledger';
import { runEngine } from '../../engine/run-engine';
import { actorOf, nowOf, type ApiContext } from '../context';
import type { HandlersOf } from '../handler-types';
import type { levelsContract } from './levels.contract';

/** R-LVL-2 through the one decision path: preview = what-if (rolled back), apply = committed. */
function decide(
  ctx: ApiContext,
  change: Change,
  input: { reason: string; effectiveAt?: number; limit: number },
  commit: boolean,
) {
  const recordedAt = nowOf(ctx);
  return runEngine(
    ctx.store,
    {
      kind: 'decision',
      decision: {
        change,
        actor: actorOf(ctx),
        reason: input.reason,
        effectiveAt: input.effectiveAt ?? recordedAt,
        recordedAt,
        commit,
        limit: input.limit,
      },
    },
    { storeOptions: ctx.storeOptions },
  );
}

const overrideChange = (input: { partnerId: string; level: string; until?: number | null }): Change => ({
  kind: 'level.override',
  partnerId: input.partnerId,
  level: input.level,
  until: input.until ?? null,
});

export const levelsHandlers: HandlersOf<typeof levelsContract> = {
  'levels.table': async (ctx) => levelTable(ctx.store.db),
  'levels.partner': async (ctx, input) => partnerLevels(ctx.store.db, input.partnerId),
  'levels.overrides': async (ctx, input) => listOverrides(ctx.store.db, input),
  'levels.overridePreview': async (ctx, input) => decide(ctx, overrideChange(input), input, false),
  'levels.override': async (ctx, input) => decide(ctx, overrideChange(input), input, true),
  // a revocation takes effect when it is recorded
  'levels.revokePreview': async (ctx, input) =>
    decide(ctx, { kind: 'level.revoke', overrideId: input.overrideId }, input, false),
  'levels.revoke': async (ctx, input) =>
    decide(ctx, { kind: 'level.revoke', overrideId: input.overrideId }, input, true),
};
