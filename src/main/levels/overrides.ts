/**
 * 等级调整: level overrides (R-LVL-2) — the rows an override or a revocation writes, inside the
 * decision's transaction (engine/changes.ts runs them through the one decision path, so a
 * preview shows exactly the rebates that applying changes, R-LVL-3). Portable Kysely.
 */
import type { Kysely } from 'kysely';
import { configInEffect } from '../config/rule-configs';
import type { Database } from '../store/database';

export class LevelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface OverrideWritten {
  before: { level: string | null; experience: number | null };
  after: { overrideId: number; level: string; startsAt: number; endsAt: number | null };
}

/** R-LVL-2: a partner's level is `level` from `startsAt` (the decision's instant) until `endsAt`. */
export async function writeLevelOverride(
  db: Kysely<Database>,
  input: {
    partnerId: string;
    level: string;
    startsAt: number;
    endsAt: number | null;
    reason: string;
    createdBy: string;
    createdAt: number;
  },
): Promise<OverrideWritten> {
  const partner = await db
    .selectFrom('partners')
    .select('partner_id')
    .where('partner_id', '=', input.partnerId)
    .executeTakeFirst();
  if (!partner)
    throw new LevelError(
      'LEVEL_NO_SUCH_PARTNER',
      `没有云客 ${input.partnerId} / no partner ${input.partnerId}`,
      {
        partnerId: input.partnerId,
      },
    );
  const levels = (await configInEffect(db, input.startsAt)).config.levels;
  if (!levels.some((l) => l.id === input.level))
    throw new LevelError(
      'LEVEL_UNKNOWN',
      `等级 ${input.level} 不在生效的等级表中（${levels.map((l) => l.id).join('、')}） / ` +
        `level ${input.level} is not in the level table in force (${levels.map((l) => l.id).join(', ')})`,
      { level: input.level, levels: levels.map((l) => l.id) },
    );
  if (input.endsAt !== null && input.endsAt <= input.startsAt)
    throw new LevelError('LEVEL_BAD_RANGE', '结束时间须晚于开始时间 / the end must come after the start', {
      startsAt: input.startsAt,
      endsAt: input.endsAt,
    });
  const now = await db
    .selectFrom('result_partners')
    .select(['level', 'experience'])
    .where('partner_id', '=', input.partnerId)
    .executeTakeFirst();
  const row = await db
    .insertInto('level_overrides')
    .values({
      partner_id: input.partnerId,
      level: input.level,
      reason: input.reason,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_by: input.createdBy,
      created_at: input.createdAt,
      revoked_by: null,
      revoked_at: null,
      revoke_reason: null,
    })
    .returning('override_id')
    .executeTakeFirstOrThrow();
  return {
    before: { level: now?.level ?? null, experience: now?.experience ?? null },
    after: {
      overrideId: row.override_id,
      level: input.level,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
    },
  };
}

/** Ends an override from `at` (R-LVL-2); one guarded statement: an override is revoked once. */
export async function revokeLevelOverride(
  db: Kysely<Database>,
  input: { overrideId: number; at: number; reason: string; revokedBy: string },
): Promise<{ partnerId: string; before: unknown; after: unknown }> {
  const r = await db
    .updateTable('level_overrides')
    .set({ revoked_by: input.revokedBy, revoked_at: input.at, revoke_reason: input.reason })
    .where('override_id', '=', input.overrideId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const o = await db
    .selectFrom('level_overrides')
    .selectAll()
    .where('override_id', '=', input.overrideId)
    .executeTakeFirst();
  if (!o)
    throw new LevelError(
      'LEVEL_NO_SUCH_OVERRIDE',
      `没有等级调整 ${input.overrideId} / no level override ${input.overrideId}`,
      { overrideId: input.overrideId },
    );
  if (Number(r.numUpdatedRows) !== 1)
    throw new LevelError(
      'LEVEL_OVERRIDE_REVOKED',
      `等级调整 ${input.overrideId} 已于之前被 ${o.revoked_by ?? '?'} 撤销 / level override ${input.overrideId} was revoked already (by ${o.revoked_by ?? '?'})`,
      { overrideId: input.overrideId, revokedBy: o.revoked_by, revokedAt: o.revoked_at },
    );
  return {
    partnerId: o.partner_id,
    before: { overrideId: o.override_id, level: o.level, startsAt: o.starts_at, endsAt: o.ends_at },
    after: { overrideId: o.override_id, revokedAt: input.at },
  };
}
