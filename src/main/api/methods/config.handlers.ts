import { configInEffect, diffConfigs, listConfigVersions } from '../../config/rule-configs';
import { runEngine } from '../../engine/run-engine';
import { actorOf, nowOf, type ApiContext } from '../context';
import { ApiError } from '../errors';
import type { HandlersOf } from '../handler-types';
import type { configContract } from './config.contract';
import type { RuleConfig } from '../../rules/config';

/** The reason of a preview asked without one (rolled back, never recorded). */
const PREVIEW_REASON = 'what-if / 试算';

function decide(
  ctx: ApiContext,
  input: { config: RuleConfig; reason?: string; effectiveAt?: number; limit: number },
  commit: boolean,
) {
  const recordedAt = nowOf(ctx);
  return runEngine(
    ctx.store,
    {
      kind: 'decision',
      decision: {
        change: { kind: 'config', config: input.config },
        actor: actorOf(ctx),
        // a preview is rolled back with its audit entry: its reason is never recorded
        reason: input.reason ?? PREVIEW_REASON,
        effectiveAt: input.effectiveAt ?? recordedAt,
        recordedAt,
        commit,
        limit: input.limit,
      },
    },
    { storeOptions: ctx.storeOptions },
  );
}

export const configHandlers: HandlersOf<typeof configContract> = {
  'config.versions': async (ctx) => {
    const versions = await listConfigVersions(ctx.store.db);
    return { versions, inForce: (await configInEffect(ctx.store.db, nowOf(ctx))).version };
  },
  'config.diff': async (ctx, input) => {
    const versions = await listConfigVersions(ctx.store.db);
    const a = versions.find((v) => v.version === input.a);
    const b = versions.find((v) => v.version === input.b);
    if (!a || !b)
      throw new ApiError(
        'CONFIG_NO_SUCH_VERSION',
        `没有配置版本 ${!a ? input.a : input.b} / no config version ${!a ? input.a : input.b}`,
      );
    return { a: a.version, b: b.version, lines: diffConfigs(a.config, b.config) };
  },
  'config.preview': async (ctx, input) => decide(ctx, input, false),
  'config.save': async (ctx, input) => decide(ctx, input, true),
};
