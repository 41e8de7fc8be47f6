/**
 * The incremental recompute (R-RECALC-1): only the groups and partners an import or a decision
 * touched; falls back to a full recompute when group structure or global facts may change.
 */
import type { Store } from '../store/open-store';
import { ensureRuleConfig, inChunks } from './load';
import { attributionRow, experienceRow, orderRow, ResultWriter } from './persist';
import type { RebateResult } from '../rules/types';
import { regroupForIps, type Regroup } from './regroup';
import { recomputeFull } from './full';
import { refreshInvestigation } from './investigation-refresh';
import { PARTIAL_GROUP_MIN_CUSTOMERS } from './partial-groups';
import { type Db, RecomputeOptions, RunSummary, lastRun, storedGroups } from './run-context';
import { evaluatePartnersWith, evaluateStoredGroups, rebateSignature } from './stored-groups';

export interface IncrementalScope {
  customers?: string[];
  partners?: string[];
  importIds?: number[];
  /**
   * IPs whose shared mark changed (R-SAME-4): the stored groups of the accounts seen on them are
   * regrouped (engine/regroup.ts) and evaluated again, instead of a full recompute.
   */
  sharedIps?: string[];
  /** partners whose own facts changed (a risk decision): their partner results only (phase B) */
  partnerFacts?: string[];
}

const IDENTITY_SOURCES = ['partners', 'customers', 'login_ips', 'product_lines', 'sales_subjects'] as const;

/**
 * Incremental recompute after an import (R-RECALC-1): only the same-person groups of the
 * customers touched, and the partners whose valid orders or experience they hold, at the
 * as-of and config of the last run. Gives exactly what a full recompute gives (tested).
 * Falls back to a full recompute when group structure or global facts may have changed:
 * no earlier run, a newer config, identity sources imported (partners, customers, login_ips,
 * product lines, sales subjects) or new referral events carrying an IP (IP evidence, R-SAME-1).
 */
export function recomputeIncremental(
  store: Store,
  scope: IncrementalScope,
  options: RecomputeOptions = {},
): RunSummary {
  const db = store.sqlite;
  // a regroup rewrites same-person rows before it evaluates: all of it in one transaction
  if ((scope.sharedIps?.length ?? 0) > 0 && !db.inTransaction)
    return db.transaction(() => incrementalRun(store, scope, options)).immediate();
  return incrementalRun(store, scope, options);
}

function incrementalRun(store: Store, scope: IncrementalScope, options: RecomputeOptions): RunSummary {
  const db = store.sqlite;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const last = lastRun(db);
  const full = (why: string) => {
    const r = recomputeFull(store, { asOf: options.asOf ?? last?.asOf, now, audit: options.audit });
    r.stats.fallback = why;
    return r;
  };
  if (!last) return full('no earlier run');
  const asOf = options.asOf ?? last.asOf;
  if (asOf !== last.asOf) return full('as-of changed');
  // the config in effect at the run's as-of (R-OP-3)
  const latest = ensureRuleConfig(db, asOf);
  if (latest.version !== last.configVersion) return full('config changed');
  const cfg = latest;
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    options.onPhase?.(name, t - mark);
    mark = t;
  };
  const customers = new Set(scope.customers ?? []);
  const partnerScope = new Set(scope.partners ?? []);
  const importIds = [...new Set(scope.importIds ?? [])];
  if (importIds.length > 0) {
    const ph = importIds.map(() => '?').join(',');
    // the imports table says which sources an import touched: scan only those tables
    const recorded = db
      .prepare(`SELECT DISTINCT source FROM imports WHERE import_id IN (${ph})`)
      .pluck()
      .all(...importIds) as string[];
    const touched = (source: string) => recorded.length === 0 || recorded.includes(source);
    for (const t of IDENTITY_SOURCES) {
      if (!touched(t)) continue;
      const hit = db.prepare(`SELECT 1 FROM ${t} WHERE import_id IN (${ph}) LIMIT 1`).get(...importIds);
      if (hit) return full(`${t} imported`);
    }
    if (touched('referral_events')) {
      const ipHit = db
        .prepare(
          `SELECT 1 FROM referral_events WHERE import_id IN (${ph}) AND ip IS NOT NULL AND ip <> '' LIMIT 1`,
        )
        .get(...importIds);
      if (ipHit) return full('referral events with IP evidence imported');
      for (const c of db
        .prepare(`SELECT DISTINCT customer_id FROM referral_events WHERE import_id IN (${ph})`)
        .pluck()
        .all(...importIds))
        customers.add(c as string);
    }
    if (touched('orders'))
      for (const c of db
        .prepare(`SELECT DISTINCT customer_id FROM orders WHERE import_id IN (${ph})`)
        .pluck()
        .all(...importIds))
        customers.add(c as string);
    if (touched('refunds'))
      for (const c of db
        .prepare(
          `SELECT DISTINCT o.customer_id FROM refunds r JOIN orders o ON o.order_id = r.order_id WHERE r.import_id IN (${ph})`,
        )
        .pluck()
        .all(...importIds))
        customers.add(c as string);
  }
  if (partnerScope.size > 0) {
    const q = db.prepare('SELECT DISTINCT customer_id FROM referral_events WHERE partner_id = ?').pluck();
    // and the customers a partner holds by an upheld dispute (R-DISP-2: its manual attribution
    // fails when the partner is blacklisted at its start, R-BL-2)
    const m = db
      .prepare("SELECT DISTINCT customer_id FROM disputes WHERE partner_id = ? AND status = 'upheld'")
      .pluck();
    for (const p of partnerScope) for (const c of [...q.all(p), ...m.all(p)]) customers.add(c as string);
  }
  const w = new ResultWriter(db);
  // R-SAME-4: the groups an IP decision can split or join, regrouped and written first
  let regroup: Regroup | null = null;
  if ((scope.sharedIps?.length ?? 0) > 0) {
    regroup = regroupForIps(db, scope.sharedIps!, asOf, w);
    for (const c of regroup.customers) customers.add(c);
    phase('regroup');
  }
  phase('scope');
  // the region's groups as the regroup wrote them
  const knownGroupOf = new Map<string, string>();
  for (const [g, ids] of regroup?.members ?? []) for (const c of ids) knownGroupOf.set(c, g);
  const groupOf = storedGroups(db, 'customer', [...customers], knownGroupOf);
  const groupIds = [...new Set(groupOf.values())].sort();
  // groups of the region that no longer exist: their stored rows go
  const gone = regroup ? regroup.before.filter((g) => !groupIds.includes(g)) : [];
  const touched = new Map<string, string[]>();
  for (const [c, g] of groupOf) touched.set(g, [...(touched.get(g) ?? []), c]);
  for (const list of touched.values()) list.sort();
  const ev = evaluateStoredGroups(
    db,
    groupIds,
    asOf,
    cfg,
    false,
    undefined,
    { touched, minCustomers: options.partialGroupMin ?? PARTIAL_GROUP_MIN_CUSTOMERS },
    regroup ? { members: regroup.members, rows: regroup.rows } : undefined,
  );
  const partial = new Map<string, Set<string>>();
  for (const r of ev.results) if (r.only) partial.set(r.groupId, r.only);
  const wholeGroups = groupIds.filter((g) => !partial.has(g));
  phase('groups');

  const affectedPartners = new Set([...partnerScope, ...(scope.partnerFacts ?? [])]);
  // partners the groups' stored results credited (valid orders, experience), batched by group
  // (orders through their customers; only the touched customers' rows in a partial group)
  const oldPartners = db
    .prepare(
      `SELECT partner_id FROM result_orders WHERE customer_id IN (SELECT value FROM json_each(@c)) AND status = 'valid'
       UNION SELECT partner_id FROM result_experience WHERE group_id IN (SELECT value FROM json_each(@g))
         AND (@partial = 0 OR customer_id IN (SELECT value FROM json_each(@c)))`,
    )
    .pluck();
  const credited = (g: string[], c: string[], isPartial: boolean) => {
    for (const p of oldPartners.all({
      g: JSON.stringify(g),
      c: JSON.stringify(c),
      partial: isPartial ? 1 : 0,
    }))
      if (p) affectedPartners.add(p as string);
  };
  for (let i = 0; i < wholeGroups.length; i += 500) {
    const chunk = wholeGroups.slice(i, i + 500);
    credited(
      chunk,
      chunk.flatMap((g) => ev.members!.get(g)!),
      false,
    );
  }
  for (const [g, only] of partial) credited([g], [...only], true);
  if (gone.length > 0) credited(gone, [], false);
  for (const { result } of ev.results) {
    for (const o of result.orders) if (o.status === 'valid' && o.partnerId) affectedPartners.add(o.partnerId);
    for (const e of result.exp) affectedPartners.add(e.partnerId);
  }
  ev.replaced = new Set(gone);
  const partnerResults = evaluatePartnersWith(db, [...affectedPartners], ev, asOf);
  phase('partners');
  const rebates = new Map<string, RebateResult>();
  for (const p of partnerResults) for (const r of p.rebates) rebates.set(r.orderId, r);

  let orders = 0;
  let valid = 0;
  let runId = 0;
  const stats: RunSummary['stats'] = {
    partners: affectedPartners.size,
    customers: customers.size,
    orders: 0,
    validOrders: 0,
    groups: groupIds.length,
    samePersonGroups: 0,
    recomputedGroups: groupIds.length,
    partialGroups: partial.size,
    recomputedPartners: partnerResults.length,
    dangling: { events: 0, orders: 0, refunds: 0, sample: [] },
  };
  const write = () => {
    // only rows that differ from the stored ones are written (ResultWriter.syncGroups)
    const fresh = {
      attributions: [] as unknown[][],
      orders: [] as unknown[][],
      experience: [] as unknown[][],
    };
    const freshOrders = new Set<string>();
    for (const { groupId, result } of ev.results) {
      for (const a of result.attributions) fresh.attributions.push(attributionRow(groupId, a));
      for (const o of result.orders) {
        orders++;
        if (o.status === 'valid') valid++;
        freshOrders.add(o.orderId);
        fresh.orders.push(orderRow(o, rebates.get(o.orderId)));
      }
      for (const e of result.exp) fresh.experience.push(experienceRow(groupId, e));
    }
    w.syncGroups([...groupIds, ...gone], ev.members!, fresh, partial);
    phase('write groups');
    const rebated: string[] = [];
    for (const p of partnerResults) {
      for (const r of p.rebates) {
        if (freshOrders.has(r.orderId)) continue;
        const old = ev.storedRebates?.get(r.orderId);
        const clawed = old?.clawed ?? false;
        if (old && old.signature === rebateSignature(r, clawed)) continue; // unchanged
        w.rebate(r, clawed);
        rebated.push(r.orderId);
      }
    }
    w.syncPartners(partnerResults);
    phase('write partners');
    // the queue rows of every group whose results or members may have changed (investigation.ts)
    refreshInvestigation(
      db,
      w,
      [
        ...groupIds,
        ...(regroup ? [...regroup.before, ...regroup.after] : []),
        ...groupsOfOrders(db, rebated),
      ],
      asOf,
      cfg.params.levels[0].ratioBp,
    );
    phase('investigation');
    stats.orders = orders;
    stats.validOrders = valid;
    runId = w.run({
      configVersion: cfg.version,
      asOf,
      mode: 'incremental',
      startedAt,
      durationMs: now() - startedAt,
      stats,
      audit: options.audit,
    });
  };
  // inside a caller's transaction (a decision, a regroup) the writes are part of it: a nested
  // db.transaction would be a SAVEPOINT, under which SQLite copies every page the writes change
  // into its statement journal and walks that journal again at the end of every statement
  // (quadratic: about 0.3 s for the thousands of pages of a shared-IP decision on a large group)
  const writeAll = () => {
    w.restoreAutovacuumDefaults();
    write();
  };
  if (db.inTransaction) writeAll();
  else db.transaction(writeAll)();
  return {
    runId,
    mode: 'incremental',
    asOf,
    configVersion: cfg.version,
    durationMs: now() - startedAt,
    stats,
  };
}

/** The stored group of some orders (batched through the order key). */
function groupsOfOrders(db: Db, orderIds: string[]): string[] {
  const q = db
    .prepare('SELECT DISTINCT group_id FROM result_orders WHERE order_id IN (SELECT value FROM json_each(?))')
    .pluck();
  const out = new Set<string>();
  inChunks(orderIds, (json) => {
    for (const g of q.all(json)) out.add(g as string);
  });
  return [...out];
}
