/**
 * 规则配置: the versions of the rule configuration (RULES.md: every number is a default of the
 * configuration). A version takes effect from its effective instant (R-OP-3); the engine uses
 * the highest version in effect at its as-of. Portable Kysely.
 */
import type { Kysely, Transaction } from 'kysely';
import { defaultRuleConfig, ruleConfigSchema, type RuleConfig } from '../rules/config';
import type { Database } from '../store/database';

type Db = Kysely<Database> | Transaction<Database>;

export interface ConfigVersion {
  version: number;
  config: RuleConfig;
  note: string | null;
  createdBy: string;
  createdAt: number;
  effectiveFrom: number;
}

const toVersion = (r: {
  version: number;
  config_json: string;
  note: string | null;
  created_by: string;
  created_at: number;
  effective_from: number;
}): ConfigVersion => ({
  version: r.version,
  config: ruleConfigSchema.parse(JSON.parse(r.config_json)),
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
  effectiveFrom: r.effective_from,
});

export async function listConfigVersions(db: Db): Promise<ConfigVersion[]> {
  const rows = await db.selectFrom('rule_configs').selectAll().orderBy('version', 'desc').execute();
  if (rows.length === 0)
    return [
      {
        version: 1,
        config: defaultRuleConfig,
        note: 'RULES.md defaults',
        createdBy: 'system',
        createdAt: 0,
        effectiveFrom: 0,
      },
    ];
  return rows.map(toVersion);
}

/** The version in effect at `at` (the RULES.md defaults while none is stored). */
export async function configInEffect(db: Db, at: number): Promise<ConfigVersion> {
  const list = await listConfigVersions(db);
  return list.find((v) => v.effectiveFrom <= at) ?? list[list.length - 1];
}

/** Writes a new version (R-OP-2: its reason is the version's note); returns it. */
export async function insertConfigVersion(
  db: Db,
  input: { config: RuleConfig; note: string; createdBy: string; createdAt: number; effectiveFrom: number },
): Promise<ConfigVersion> {
  const last = await db
    .selectFrom('rule_configs')
    .select('version')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last)
    await db
      .insertInto('rule_configs')
      .values({
        version: 1,
        config_json: JSON.stringify(defaultRuleConfig),
        note: 'RULES.md defaults',
        created_by: 'system',
        created_at: input.createdAt,
        effective_from: 0,
      })
      .execute();
  const version = (last?.version ?? 1) + 1;
  const config = ruleConfigSchema.parse(input.config);
  await db
    .insertInto('rule_configs')
    .values({
      version,
      config_json: JSON.stringify(config),
      note: input.note,
      created_by: input.createdBy,
      created_at: input.createdAt,
      effective_from: input.effectiveFrom,
    })
    .execute();
  return {
    version,
    config,
    note: input.note,
    createdBy: input.createdBy,
    createdAt: input.createdAt,
    effectiveFrom: input.effectiveFrom,
  };
}

export interface ConfigDiffLine {
  /** dotted path: `levels.L2.ratio_bp`, `attribution.window_days` */
  path: string;
  before: unknown;
  after: unknown;
}

/** What differs between two configurations, leaf by leaf (levels matched by id). */
export function diffConfigs(a: RuleConfig, b: RuleConfig): ConfigDiffLine[] {
  const out: ConfigDiffLine[] = [];
  const walk = (path: string, x: unknown, y: unknown) => {
    if (Array.isArray(x) || Array.isArray(y)) {
      const key = (v: unknown, i: number) =>
        v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : String(i);
      const xs = new Map(((x as unknown[]) ?? []).map((v, i) => [key(v, i), v]));
      const ys = new Map(((y as unknown[]) ?? []).map((v, i) => [key(v, i), v]));
      for (const k of new Set([...xs.keys(), ...ys.keys()])) walk(`${path}.${k}`, xs.get(k), ys.get(k));
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
        walk(path ? `${path}.${k}` : k, (x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path, before: x ?? null, after: y ?? null });
  };
  walk('', a, b);
  return out;
}
