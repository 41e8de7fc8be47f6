/**
 * What every engine run shares (R-RECALC-1): its summary and options, the rule config it runs
 * with, the partner facts and group context the pure rules take, the last run recorded in
 * engine_runs, and the stored same-person groups of accounts.
 */
import type { SqlPort } from '../store/sql-port';
import type { AuditInput } from '../audit/chain';
import {
  ensureRuleConfig,
  inChunks,
  loadPartners,
  loadRuleConfig,
  type AdminFacts,
  type LoadedConfig,
} from './load';
import { type FullRunOptions } from './full-run';
import type { OrderResult, PartnerInfo, ValidFact } from '../rules/types';
import { type GroupContext } from '../rules/valid-order';

/** A valid order as phase B needs it. */
export const validFact = (o: OrderResult): ValidFact => ({
  orderId: o.orderId,
  at: o.at,
  paidFen: o.paidFen,
  netFen: o.netFen,
  clawed: o.clawed,
  clawedAt: o.clawedAt,
});

export type Db = SqlPort;

export interface RunSummary {
  runId: number;
  mode: 'full' | 'incremental';
  asOf: number;
  configVersion: number;
  durationMs: number;
  /** a full run: where its store work was done (full-run.ts) */
  fullRun?: 'inline' | 'helper' | 'pg-grouping';
  stats: {
    partners: number;
    customers: number;
    orders: number;
    validOrders: number;
    groups: number;
    samePersonGroups: number;
    recomputedGroups?: number;
    /** incremental: groups of which only the touched customers were evaluated (PartialScope) */
    partialGroups?: number;
    recomputedPartners?: number;
    dangling: { events: number; orders: number; refunds: number; sample: string[] };
    fallback?: string;
  };
}

export interface RecomputeOptions {
  asOf?: number;
  /** rule config version; default the latest (version 1 = RULES.md defaults is created if none) */
  configVersion?: number;
  now?: () => number;
  /** timings of the phases of a full recompute (benchmark) */
  onPhase?: (phase: string, ms: number) => void;
  /** where a full recompute does its store work (default: a helper thread on a large store, full-run.ts) */
  parallel?: FullRunOptions;
  /** incremental: PartialScope.minCustomers (default PARTIAL_GROUP_MIN_CUSTOMERS) */
  partialGroupMin?: number;
  /** the audit entry of a run someone asked for (R-OP-2), written in the run's transaction */
  audit?: AuditInput;
}

export function configFor(db: Db, version: number | undefined, asOf: number): LoadedConfig {
  const latest = ensureRuleConfig(db, asOf);
  if (version === undefined) return latest;
  const c = loadRuleConfig(db, version);
  if (!c)
    throw Object.assign(
      new Error(`规则配置版本 ${version} 不存在 / rule config version ${version} does not exist`),
      { exitCode: 1 },
    );
  return c;
}

export function partnerInfoMap(
  partners: ReturnType<typeof loadPartners>,
  groupOf: (id: string, i: number) => string,
  admin: AdminFacts,
) {
  const m = new Map<string, PartnerInfo>();
  partners.forEach((p, i) =>
    m.set(p.id, {
      id: p.id,
      groupId: groupOf(p.id, i),
      status: p.status,
      verifiedAt: p.verifiedAt,
      blacklist: admin.blacklist.get(p.id) ?? [],
    }),
  );
  return m;
}

export function groupContext(
  asOf: number,
  cfg: LoadedConfig,
  partners: Map<string, PartnerInfo>,
  admin: AdminFacts,
  groupId: string,
  dangling?: string[],
): GroupContext {
  return {
    asOf,
    params: cfg.params,
    groupId,
    partners,
    salesSubjects: admin.salesSubjects,
    eligible: (pl) => admin.eligible.get(pl) === true,
    dangling,
  };
}

export interface LastRun {
  runId: number;
  asOf: number;
  configVersion: number;
}

export function lastRun(db: Db): LastRun | null {
  const r = db
    .prepare('SELECT run_id, as_of, config_version FROM engine_runs ORDER BY run_id DESC LIMIT 1')
    .get() as { run_id: number; as_of: number; config_version: number } | undefined;
  return r ? { runId: r.run_id, asOf: r.as_of, configVersion: r.config_version } : null;
}

/**
 * Group id of customers / partners as the last full run stored it (singletons are not stored),
 * batched lookups through the primary key.
 */
export function storedGroups(
  db: Db,
  kind: 'customer' | 'partner',
  ids: string[],
  /** the stored groups of some of them, already known (they are not read again) */
  known?: Map<string, string>,
): Map<string, string> {
  const q = db
    .prepare(
      'SELECT member_id, group_id FROM result_same_person WHERE member_kind = ? AND member_id IN (SELECT value FROM json_each(?))',
    )
    .raw(true);
  const unique = [...new Set(ids)];
  const out = new Map<string, string>(unique.map((id) => [id, known?.get(id) ?? `${kind}:${id}`]));
  inChunks(known ? unique.filter((id) => !known.has(id)) : unique, (json) => {
    for (const [m, g] of q.all(kind, json) as [string, string][]) out.set(m, g);
  });
  return out;
}

/**
 * Customer members of stored groups, sorted by id (a singleton group is its own customer); those
 * of `known` groups as given (a regroup has just written them).
 */
export function storedGroupMembers(
  db: Db,
  groupIds: string[],
  known?: Map<string, string[]>,
): Map<string, string[]> {
  // group_id only in WHERE, so that the planner uses the group index (not the primary key)
  const q = db
    .prepare(
      'SELECT group_id, member_kind, member_id FROM result_same_person WHERE group_id IN (SELECT value FROM json_each(?))',
    )
    .raw(true);
  const out = new Map<string, string[]>(groupIds.map((g) => [g, []]));
  const unknown = known ? groupIds.filter((g) => !known.has(g)) : groupIds;
  inChunks(unknown, (json) => {
    for (const [g, kind, id] of q.all(json) as [string, string, string][])
      if (kind === 'customer') out.get(g)?.push(id);
  });
  for (const [g, list] of out) {
    const given = known?.get(g);
    if (given) out.set(g, [...given]);
    else if (list.length > 0) list.sort();
    else if (g.startsWith('customer:')) list.push(g.slice('customer:'.length));
  }
  return out;
}
