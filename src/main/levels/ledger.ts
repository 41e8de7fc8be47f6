/**
 * 等级 / 经验值: what the level screens read — the level table in force with partners per level
 * (R-LVL-1), a partner's experience ledger (R-EXP-1, R-EXP-2, R-CLAW-1) and level history
 * (result_levels, written by the engine), and level overrides (R-LVL-2). Reads of stored
 * results only (R-RECALC-1); portable Kysely, every query on an index.
 */
import type { Kysely } from 'kysely';
import type {
  ExperienceEntryView,
  LevelOverrideView,
  LevelTableView,
  PartnerLevelsView,
} from '../api/methods/levels.contract';
import { configInEffect } from '../config/rule-configs';
import { ruleConfigSchema, type RuleConfig } from '../rules/config';
import type { Database } from '../store/database';
import { LevelError } from './overrides';

type Db = Kysely<Database>;

/** The latest engine run and the configuration it used (the table "in force" for the results). */
async function runAndConfig(db: Db): Promise<{ asOf: number | null; version: number; config: RuleConfig }> {
  const run = await db
    .selectFrom('engine_runs')
    .select(['as_of', 'config_version'])
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (run) {
    const c = await db
      .selectFrom('rule_configs')
      .select('config_json')
      .where('version', '=', run.config_version)
      .executeTakeFirst();
    if (c)
      return {
        asOf: run.as_of,
        version: run.config_version,
        config: ruleConfigSchema.parse(JSON.parse(c.config_json)),
      };
  }
  const v = await configInEffect(db, Date.now());
  return { asOf: run?.as_of ?? null, version: v.version, config: v.config };
}

type OverrideRow = {
  override_id: number;
  partner_id: string;
  level: string;
  reason: string;
  starts_at: number;
  ends_at: number | null;
  created_by: string;
  created_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
};

function overrideView(o: OverrideRow, at: number): LevelOverrideView {
  const end =
    o.revoked_at !== null && (o.ends_at === null || o.revoked_at < o.ends_at) ? o.revoked_at : o.ends_at;
  const state: LevelOverrideView['state'] =
    o.revoked_at !== null && o.revoked_at <= at
      ? 'revoked'
      : o.starts_at > at
        ? 'scheduled'
        : end !== null && end <= at
          ? 'ended'
          : 'in_force';
  return {
    overrideId: o.override_id,
    partnerId: o.partner_id,
    level: o.level,
    reason: o.reason,
    startsAt: o.starts_at,
    endsAt: o.ends_at,
    createdBy: o.created_by,
    createdAt: o.created_at,
    revokedBy: o.revoked_by,
    revokedAt: o.revoked_at,
    revokeReason: o.revoke_reason,
    state,
  };
}

/** R-LVL-1: the level table of the configuration the results use, and partners per level. */
export async function levelTable(db: Db): Promise<LevelTableView> {
  const { asOf, version, config } = await runAndConfig(db);
  const counts = await db
    .selectFrom('result_partners')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('level')
    .execute();
  // overrides in force at the as-of, per level: a partner's row at as-of says its source
  const overridden = await db
    .selectFrom('result_levels as l')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('result_levels')
          .select(['partner_id', (e) => e.fn.max<number>('at').as('at')])
          .groupBy('partner_id')
          .as('last'),
      (join) => join.onRef('last.partner_id', '=', 'l.partner_id').onRef('last.at', '=', 'l.at'),
    )
    .select(['l.level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.source', '=', 'override')
    .groupBy('l.level')
    .execute();
  const n = (rows: { level: string; n: number }[], id: string) =>
    Number(rows.find((r) => r.level === id)?.n ?? 0);
  const levels = config.levels.map((l) => ({
    id: l.id,
    nameZh: l.name_zh,
    nameEn: l.name_en,
    threshold: l.threshold,
    ratioBp: l.ratio_bp,
    capFen: l.cap_fen,
    cycle: l.cycle,
    partners: n(counts, l.id),
    overridden: n(overridden, l.id),
  }));
  return {
    configVersion: version,
    asOf,
    levels,
    totalPartners: counts.reduce((s, r) => s + Number(r.n), 0),
  };
}

/**
 * A partner's experience ledger (each credit and deduction with its order or refund and time),
 * level history and overrides, from the stored results of the latest run.
 */
export async function partnerLevels(db: Db, partnerId: string): Promise<PartnerLevelsView> {
  const partner = await db
    .selectFrom('partners')
    .select(['partner_id', 'name'])
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!partner)
    throw new LevelError('LEVEL_NO_SUCH_PARTNER', `没有云客 ${partnerId} / no partner ${partnerId}`, {
      partnerId,
    });
  const [{ asOf, version }, result, entries, history, overrides] = await Promise.all([
    runAndConfig(db),
    db
      .selectFrom('result_partners')
      .select(['level', 'experience'])
      .where('partner_id', '=', partnerId)
      .executeTakeFirst(),
    db
      .selectFrom('result_experience as e')
      .leftJoin('refunds as r', 'r.refund_id', 'e.source_id')
      .select(['e.at', 'e.delta', 'e.customer_id', 'e.order_id', 'e.source_id', 'r.refund_id'])
      .where('e.partner_id', '=', partnerId)
      .orderBy('e.at')
      .orderBy('e.source_id')
      .orderBy('e.customer_id')
      .execute(),
    db
      .selectFrom('result_levels')
      .select(['at', 'level', 'experience', 'source', 'override_id'])
      .where('partner_id', '=', partnerId)
      .orderBy('at')
      .execute(),
    db
      .selectFrom('level_overrides')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('override_id')
      .execute(),
  ]);
  let balance = 0;
  const ledger: ExperienceEntryView[] = entries.map((e) => {
    balance += e.delta;
    return {
      at: e.at,
      delta: e.delta,
      balance,
      customerId: e.customer_id,
      orderId: e.order_id,
      sourceId: e.source_id,
      sourceKind: e.refund_id !== null ? 'refund' : 'order',
    };
  });
  const at = asOf ?? Date.now();
  return {
    partnerId,
    name: partner.name,
    asOf,
    configVersion: asOf === null ? null : version,
    level: result?.level ?? null,
    experience: result?.experience ?? 0,
    ledger,
    history: history.map((h) => ({
      at: h.at,
      level: h.level,
      experience: h.experience,
      source: h.source,
      overrideId: h.override_id,
    })),
    overrides: overrides.map((o) => overrideView(o, at)),
  };
}

/** Level overrides, newest first; of one partner, or in one state at the engine's as-of. */
export async function listOverrides(
  db: Db,
  filter: { partnerId?: string; state?: LevelOverrideView['state'] },
): Promise<LevelOverrideView[]> {
  const { asOf } = await runAndConfig(db);
  let q = db.selectFrom('level_overrides').selectAll().orderBy('override_id', 'desc');
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  const rows = await q.execute();
  const views = rows.map((o) => overrideView(o, asOf ?? Date.now()));
  return filter.state ? views.filter((v) => v.state === filter.state) : views;
}
