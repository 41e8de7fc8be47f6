/**
 * Running the engine against a store: full recompute, incremental recompute after an import,
 * and recomputing one group on demand (explain). R-RECALC-1: results are a pure function of
 * sources, admin decisions and the config version; every run is recorded in engine_runs.
 */
import type { SqlPort } from '../store/sql-port';
import type { AuditInput } from '../audit/chain';
import type { Store } from '../store/open-store';
import { attributeCustomer } from './attribution';
import { evaluatePartner } from './engine';
import {
  addPartnerFacts,
  closedCyclesOf,
  ensureRuleConfig,
  inChunks,
  loadAdminFactsFor,
  loadCustomers,
  loadOthersFirstPaidOrders,
  cmpTimeId,
  loadPartners,
  loadPartnersById,
  loadCore,
  loadRuleConfig,
  type AdminFacts,
  type CoreWorld,
  type CustomerRows,
  type LoadedConfig,
} from './load';
import {
  attributionRow,
  experienceRow,
  orderRow,
  partnerRows,
  ResultWriter,
  type ResultSink,
  type RunRecord,
} from './persist';
import { startFullRun, type FullRunOptions } from './full-run';
import { groupingResult } from './grouping';
import type { SamePersonResult } from './same-person';
import type {
  AttributionResult,
  EvidenceKind,
  ExpEntry,
  GroupIn,
  OrderIn,
  OrderResult,
  PartnerInfo,
  PartnerResult,
  RebateResult,
  ValidFact,
} from './types';
import { evaluateGroup, type GroupContext } from './valid-order';
import { regroupForIps, type Regroup } from './regroup';
import { investigationOrder, investigationRow, type InvestigationGroupIn } from './investigation';

/** A valid order as phase B needs it. */
const validFact = (o: OrderResult): ValidFact => ({
  orderId: o.orderId,
  at: o.at,
  paidFen: o.paidFen,
  netFen: o.netFen,
  clawed: o.clawed,
  clawedAt: o.clawedAt,
});

type Db = SqlPort;

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

function configFor(db: Db, version: number | undefined, asOf: number): LoadedConfig {
  const latest = ensureRuleConfig(db, asOf);
  if (version === undefined) return latest;
  const c = loadRuleConfig(db, version);
  if (!c) throw Object.assign(new Error(`rule config version ${version} does not exist`), { exitCode: 1 });
  return c;
}

function partnerInfoMap(
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

function groupContext(
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

/**
 * Full recompute (R-RECALC-1): every group and every partner, results replaced in one transaction.
 * Rows are written while groups are evaluated (only valid orders wait for their rebate), so the
 * results of half a million groups never sit in memory; result indexes are dropped for the bulk
 * insert and rebuilt at the end (ResultWriter).
 */
export function recomputeFull(store: Store, options: RecomputeOptions = {}): RunSummary {
  const db = store.sqlite;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const asOf = options.asOf ?? startedAt;
  const cfg = configFor(db, options.configVersion, asOf);
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    options.onPhase?.(name, t - mark);
    mark = t;
  };
  // the write lock is held from the first read (full-run.ts): what is read is what is replaced
  const run = startFullRun(db, store.file, asOf, options.parallel);
  try {
    run.begin();
    const world = loadCore(db, asOf);
    phase('load');
    run.clear();
    const { customers, partners } = world;
    const grouping = run.grouping();
    const sp = groupingResult(
      grouping,
      customers.map((c) => c.id),
      partners.map((p) => p.id),
    );
    phase('same-person');
    const { stats, runRecord } = evaluateAll(world, sp, grouping.danglingEvents, cfg, run.sink, phase);
    const runId = run.finish(
      { ...runRecord, asOf, startedAt, durationMs: now() - startedAt, audit: options.audit },
      phase,
    );
    phase('commit');
    return {
      runId,
      mode: 'full',
      asOf,
      configVersion: cfg.version,
      durationMs: now() - startedAt,
      fullRun: run.kind,
      stats,
    };
  } catch (e) {
    run.abort();
    throw e;
  }
}

/**
 * Phases A and B of a full recompute over the loaded store: every group, then every partner,
 * then the same-person rows; rows go to `sink` as they are made (only valid orders wait for
 * their rebate), so the results of half a million groups never sit in memory.
 */
function evaluateAll(
  world: CoreWorld,
  sp: SamePersonResult,
  danglingEvents: string[],
  cfg: LoadedConfig,
  sink: ResultSink,
  phase: (name: string) => void,
): { stats: RunSummary['stats']; runRecord: Pick<RunRecord, 'configVersion' | 'mode' | 'stats'> } {
  const { customers, partners, asOf } = world;
  const nc = customers.length;
  const pinfo = partnerInfoMap(partners, (_id, i) => sp.groupIdOf(nc + i), world);
  // members of each group, by root (roots of customer groups are customer indices)
  const next = new Int32Array(nc).fill(-1);
  const head = new Int32Array(nc).fill(-1);
  const tail = new Int32Array(nc).fill(-1);
  for (let i = 0; i < nc; i++) {
    const r = sp.root[i];
    if (head[r] < 0) head[r] = i;
    else next[tail[r]] = i;
    tail[r] = i;
  }
  const danglingEventPartners: string[] = [];
  const ctx = groupContext(asOf, cfg, pinfo, world, '', danglingEventPartners);
  const facts = new Map<string, { valid: ValidFact[]; exp: ExpEntry[] }>();
  const factOf = (p: string) => {
    let f = facts.get(p);
    if (!f) facts.set(p, (f = { valid: [], exp: [] }));
    return f;
  };
  const validOrders: OrderResult[] = [];
  const queued = new Map<string, InvestigationGroupIn>();
  const queue = (groupId: string) => {
    let q = queued.get(groupId);
    if (!q)
      queued.set(groupId, (q = { groupId, members: [], referrers: new Set(), evidence: [], orders: [] }));
    return q;
  };
  let groups = 0;
  let orderCount = 0;
  for (let r = 0; r < nc; r++) {
    if (head[r] < 0) continue;
    groups++;
    const groupId = sp.nodeKey(r);
    const g: GroupIn = { groupId, customers: [] };
    for (let i = head[r]; i >= 0; i = next[i]) {
      const c = customers[i];
      g.customers.push({
        id: c.id,
        channel: c.channel,
        subjectId: c.subjectId,
        events: world.events[i],
        orders: world.orders[i],
        manual: world.manual.get(i),
      });
    }
    ctx.groupId = groupId;
    const result = evaluateGroup(g, ctx);
    // groups of two or more accounts are candidates for the investigation queue (investigation.ts)
    const candidate = sp.size[r] >= 2 ? queue(groupId) : undefined;
    for (const a of result.attributions) {
      sink.rows('attributions', attributionRow(groupId, a));
      candidate?.referrers.add(a.partnerId);
    }
    orderCount += result.orders.length;
    for (const o of result.orders) {
      // a valid order's row waits for its rebate (phase B); the others have none
      if (o.status === 'valid' && o.partnerId !== null) {
        validOrders.push(o);
        factOf(o.partnerId).valid.push(validFact(o));
      } else {
        sink.rows('orders', orderRow(o, undefined));
        candidate?.orders.push(investigationOrder(o, undefined));
      }
    }
    for (const e of result.exp) {
      sink.rows('experience', experienceRow(groupId, e));
      factOf(e.partnerId).exp.push(e);
    }
  }
  sink.flush();
  phase('groups');

  const rebates = new Map<string, RebateResult>();
  for (const p of partners) {
    const f = facts.get(p.id) ?? { valid: [], exp: [] };
    const pr = evaluatePartner(
      {
        partnerId: p.id,
        validOrders: f.valid,
        exp: f.exp,
        blacklist: world.blacklist.get(p.id) ?? [],
        overrides: world.overrides.get(p.id) ?? [],
        riskDecisions: world.riskDecisions.get(p.id) ?? [],
        paidByCycle: world.paidByCycle.get(p.id) ?? new Map(),
        closedCycles: closedCyclesOf(world, p.id),
      },
      asOf,
      cfg.params,
    );
    for (const r of pr.rebates) rebates.set(r.orderId, r);
    partnerRows(sink, pr);
  }
  for (const o of validOrders) {
    const r = rebates.get(o.orderId);
    sink.rows('orders', orderRow(o, r));
    queued.get(o.groupId)?.orders.push(investigationOrder(o, r));
  }
  sink.flush();
  phase('partners');

  // same-person rows: groups of two or more accounts, and every evidence edge
  const n = nc + partners.length;
  const groupIds = new Set<string>();
  const kindOf = (node: number): 'customer' | 'partner' => (node < nc ? 'customer' : 'partner');
  const idOf = (node: number) => (node < nc ? customers[node].id : partners[node - nc].id);
  for (let node = 0; node < n; node++) {
    if (sp.sizeOf(node) < 2) continue;
    const groupId = sp.groupIdOf(node);
    groupIds.add(groupId);
    sink.rows('members', [kindOf(node), idOf(node), groupId]);
    queue(groupId).members.push({ kind: kindOf(node), id: idOf(node) });
  }
  for (const e of sp.edges) {
    const groupId = sp.groupIdOf(e.a);
    sink.rows('edges', [groupId, kindOf(e.a), idOf(e.a), kindOf(e.b), idOf(e.b), e.evidence, e.value]);
    queued.get(groupId)?.evidence.push({ evidence: e.evidence, value: e.value });
  }
  // the investigation queue: groups of two or more accounts that touch a partner
  const deniedRatio = cfg.params.levels[0].ratioBp;
  for (const g of queued.values()) {
    const q = investigationRow(g, asOf, deniedRatio);
    if (!q) continue;
    sink.rows('investigation', q.row);
    for (const p of q.partners) sink.rows('investigationPartners', p);
  }
  queued.clear();
  sink.flush();
  phase('write');

  const dangling = {
    events: danglingEvents.length + danglingEventPartners.length,
    orders: world.dangling.orders.length,
    refunds: world.dangling.refunds.length,
    sample: [
      ...danglingEvents.slice(0, 5).map((id) => `event ${id}: unknown customer`),
      ...danglingEventPartners.slice(0, 5).map((id) => `event ${id}: unknown partner`),
      ...world.dangling.orders.slice(0, 5).map((id) => `order ${id}: unknown customer`),
      ...world.dangling.refunds.slice(0, 5).map((id) => `refund ${id}: unknown order`),
    ],
  };
  const stats: RunSummary['stats'] = {
    partners: partners.length,
    customers: nc,
    orders: orderCount,
    validOrders: validOrders.length,
    groups,
    samePersonGroups: groupIds.size,
    dangling,
  };
  return { stats, runRecord: { configVersion: cfg.version, mode: 'full', stats } };
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
function storedGroups(
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
function storedGroupMembers(
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

export interface GroupsEvaluation {
  cfg: LoadedConfig;
  admin: AdminFacts;
  partners: Map<string, PartnerInfo>;
  /** customer members of each stored group evaluated (not in focus) */
  members?: Map<string, string[]>;
  /** `only`: a partial group (PartialScope), whose results are those of these customers */
  results: { groupId: string; result: ReturnType<typeof evaluateGroup>; only?: Set<string> }[];
  /** stored rebate fields of valid orders outside the fresh groups (to skip unchanged updates) */
  storedRebates?: Map<string, { clawed: boolean; signature: string }>;
  /** set when only one customer's results were recomputed (explain, see ExplainFocus) */
  focus?: ExplainFocus;
  /** stored groups that a regroup dissolved: their rows are replaced by the fresh groups' */
  replaced?: Set<string>;
}

/**
 * Explain needs the results of one order only. Its status depends on its customer's
 * attributions and on the same person's orders before it (R-ORDER-1a, R-EXCL-1), its
 * experience on its customer's orders, and its rebate on the partner's valid orders and
 * experience up to its time (R-REB-2 fills the cap in time order, R-LVL-1 uses experience before
 * it). So for a group of thousands of accounts, only that customer is evaluated in full, with
 * the paid orders of the others up to the order's time; the partner's other facts come from the
 * stored results.
 */
export interface ExplainFocus {
  customerId: string;
  /** the order's time */
  at: number;
}

/**
 * The stored columns a rebate result writes, as one comparable string: reasons_json (always
 * written by JSON.stringify, so equal lists give equal text) followed by the JSON array of the
 * other rebate columns, as the stored-facts query builds it with json_array (SQLite formats
 * integers, null and these plain strings as JSON.stringify does; a difference would only cost
 * an unneeded update).
 */
export function rebateSignature(r: RebateResult, clawed: boolean): string {
  const reasons = clawed ? ['CLAWED_BACK', ...r.extraReasons] : r.extraReasons;
  return (
    JSON.stringify(reasons) +
    JSON.stringify([
      r.rebateFen,
      r.grossFen,
      r.cappedFen,
      r.rebateStatus,
      r.level,
      r.ratioBp,
      r.cycleKey,
      r.confirmAt,
    ])
  );
}

/**
 * Incremental recompute of a large same-person group (R-SAME-1, R-ORDER-1a, R-EXCL-1): an order's
 * status depends on the rest of its group only through the group's first qualifying order and
 * its first program order (eligible line, paid > 0, any billing); attributions and experience
 * depend on the customer's own rows. So when an import touched a few accounts of a large group,
 * only those accounts are evaluated (in full, beside the others' first orders, as explain does),
 * provided the group's two first orders stay what the stored results say. Otherwise, or when a
 * touched account's order or event is stored under another account, the whole group is.
 */
export interface PartialScope {
  /** group → its customers the import touched */
  touched: Map<string, string[]>;
  /** groups of at least this many customers qualify (and of which at most half were touched) */
  minCustomers: number;
}

/** Default PartialScope.minCustomers: below it, evaluating the whole group costs about the same. */
export const PARTIAL_GROUP_MIN_CUSTOMERS = 64;

type LoadedCustomer = ReturnType<typeof loadCustomers>[number];

/** The first (time, id) order of `orders` matching `test`, as "id@time", or "" if none. */
function firstOf<T extends { id: string; at: number }>(
  orders: T[],
  test: (o: T) => boolean = () => true,
): string {
  let first: T | null = null;
  for (const o of orders) if (test(o) && (first === null || cmpTimeId(o, first) < 0)) first = o;
  return first ? `${first.id}@${first.at}` : '';
}

/**
 * The stored first qualifying and first program orders of a group's customers (as firstOf gives them):
 * qualifying orders are the ones not `ineligible`; program orders also include the ineligible
 * ones whose only reason is NOT_PREPAID (valid-order.ts).
 */
function storedFirstOrders(db: Db, customerIds: string[]): { qualifying: string; program: string } {
  const rows = db
    .prepare(
      `SELECT order_id, ordered_at, status FROM result_orders
       WHERE customer_id IN (SELECT value FROM json_each(?)) AND (status <> 'ineligible' OR reasons_json = '["NOT_PREPAID"]')`,
    )
    .raw(true)
    .all(JSON.stringify(customerIds)) as [string, number, string][];
  const orders = rows.map(([id, at, status]) => ({ id, at, qualifying: status !== 'ineligible' }));
  return { qualifying: firstOf(orders, (o) => o.qualifying), program: firstOf(orders) };
}

/**
 * `customers` with, beside them, accounts carrying only the others' first orders
 * (loadOthersFirstPaidOrders), sorted by id: what a group evaluated for a few customers sees.
 */
function withFirstOrders(customers: LoadedCustomer[], firsts: OrderIn[]): LoadedCustomer[] {
  const byCustomer = new Map<string, OrderIn[]>();
  for (const o of firsts) byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o]);
  const out = [...customers];
  for (const [id, orders] of byCustomer)
    out.push({
      row: { id, subjectId: null, channel: null },
      events: [],
      orders: orders.sort(cmpTimeId),
      manual: [],
    });
  return out.sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
}

/**
 * Whether a group may be evaluated for its touched customers only (PartialScope): its first
 * qualifying and first program orders, over the touched customers' orders and the others' first
 * orders, are the stored ones, and no order or event of the touched customers is stored under
 * another customer.
 */
function partialCheck(db: Db) {
  const eligible = new Map<string, boolean>();
  for (const [pl, e] of db
    .prepare('SELECT product_line, rebate_eligible FROM product_lines')
    .raw(true)
    .all() as [string, number][])
    eligible.set(pl, e === 1);
  const isProgram = (o: OrderIn) => eligible.get(o.productLine) === true && o.paidFen > 0;
  const isQualifying = (o: OrderIn) => isProgram(o) && o.billing === 'prepaid';
  const storedOwner = db
    .prepare(
      `SELECT customer_id FROM result_orders WHERE order_id IN (SELECT value FROM json_each(@o))
       UNION SELECT customer_id FROM result_attributions WHERE event_id IN (SELECT value FROM json_each(@e))`,
    )
    .pluck();
  return (members: string[], touched: LoadedCustomer[], firsts: OrderIn[]): boolean => {
    const ids = new Set(touched.map((c) => c.row.id));
    const owners = storedOwner.all({
      o: JSON.stringify(touched.flatMap((c) => c.orders.map((o) => o.id))),
      e: JSON.stringify(touched.flatMap((c) => c.events.map((e) => e.id))),
    }) as string[];
    if (owners.some((c) => !ids.has(c))) return false;
    const orders = [...touched.flatMap((c) => c.orders), ...firsts];
    const before = storedFirstOrders(db, members);
    return (
      firstOf(orders, isQualifying) === before.qualifying && firstOf(orders, isProgram) === before.program
    );
  };
}

/** What a regroup already knows of the groups it wrote (rules/regroup.ts): not read again. */
export interface KnownGroups {
  /** group → its customer members, sorted */
  members: Map<string, string[]>;
  /** the customer rows and events of their customers */
  rows: CustomerRows;
}

/** Phase A for a few stored groups (group structure from the last run). */
export function evaluateStoredGroups(
  db: Db,
  groupIds: string[],
  asOf: number,
  cfg: LoadedConfig,
  withTrace = false,
  focus?: ExplainFocus,
  partial?: PartialScope,
  known?: KnownGroups,
): GroupsEvaluation {
  let loadedGroups: { groupId: string; customers: LoadedCustomer[]; only?: Set<string> }[];
  let members: Map<string, string[]> | undefined;
  if (focus) {
    // the customer in full, the rest of its group only through what can change its orders (ExplainFocus)
    const groupId = groupIds[0];
    const customer =
      storedGroups(db, 'customer', [focus.customerId]).get(focus.customerId) === groupId
        ? loadCustomers(db, [focus.customerId], asOf)
        : [];
    const firsts = loadOthersFirstPaidOrders(db, groupId, [focus.customerId], Math.min(focus.at, asOf));
    loadedGroups = [{ groupId, customers: withFirstOrders(customer, firsts) }];
  } else {
    const stored = storedGroupMembers(db, [...new Set(groupIds)].sort(), known?.members);
    members = stored;
    const touchedOf = (g: string) => partial?.touched.get(g) ?? [];
    const candidates = partial
      ? [...stored]
          .filter(([g, ids]) => {
            const n = touchedOf(g).length;
            return ids.length >= partial.minCustomers && n > 0 && n * 2 <= ids.length;
          })
          .map(([g]) => g)
      : [];
    // one batched load for the customers of every group (only the touched ones of candidates)
    const loaded = new Map<string, LoadedCustomer>();
    const load = (ids: string[]) => {
      for (const c of loadCustomers(db, ids, asOf, known?.rows)) loaded.set(c.row.id, c);
    };
    const isCandidate = new Set(candidates);
    load([...stored].flatMap(([g, ids]) => (isCandidate.has(g) ? touchedOf(g) : ids)));
    // partial groups → the others' first orders; a candidate that fails the check is loaded whole
    const firstsOf = new Map<string, OrderIn[]>();
    if (candidates.length > 0) {
      const check = partialCheck(db);
      for (const g of candidates) {
        const firsts = loadOthersFirstPaidOrders(db, g, touchedOf(g), asOf);
        const touched = touchedOf(g).flatMap((id) => loaded.get(id) ?? []);
        if (check(stored.get(g)!, touched, firsts)) firstsOf.set(g, firsts);
        else load(stored.get(g)!.filter((id) => !loaded.has(id)));
      }
    }
    loadedGroups = [...stored].map(([groupId, ids]) => {
      const firsts = firstsOf.get(groupId);
      if (!firsts) return { groupId, customers: ids.flatMap((id) => loaded.get(id) ?? []) };
      const touched = touchedOf(groupId);
      const customers = withFirstOrders(
        touched.flatMap((id) => loaded.get(id) ?? []),
        firsts,
      );
      return { groupId, customers, only: new Set(touched) };
    });
  }
  const partnerIds = new Set<string>();
  for (const g of loadedGroups)
    for (const c of g.customers) {
      for (const e of c.events) partnerIds.add(e.partnerId);
      for (const m of c.manual) partnerIds.add(m.partnerId); // R-DISP-2
    }
  const subjects = loadedGroups.flatMap((g) => g.customers.map((c) => c.row.subjectId ?? ''));
  const admin = loadAdminFactsFor(db, [...partnerIds], subjects);
  const partnerGroups = storedGroups(db, 'partner', [...partnerIds]);
  const pinfo = partnerInfoMap(loadPartnersById(db, [...partnerIds]), (id) => partnerGroups.get(id)!, admin);
  const results: GroupsEvaluation['results'] = [];
  for (const { groupId, customers, only } of loadedGroups) {
    const g: GroupIn = {
      groupId,
      customers: customers.map((c) => ({
        id: c.row.id,
        channel: c.row.channel,
        subjectId: c.row.subjectId,
        events: c.events,
        orders: c.orders,
        manual: c.manual,
      })),
    };
    const ctx = { ...groupContext(asOf, cfg, pinfo, admin, groupId), withTrace };
    const result = evaluateGroup(g, ctx);
    if (only) {
      // a partial group: the rows of its touched customers only (the others' stay as stored)
      result.attributions = result.attributions.filter((a) => only.has(a.customerId));
      result.orders = result.orders.filter((o) => only.has(o.customerId));
      result.exp = result.exp.filter((e) => only.has(e.customerId));
    }
    results.push({ groupId, result, only });
  }
  return { cfg, admin, partners: pinfo, results, focus, members };
}

/**
 * The attributions of one customer at `asOf` (the attribution timeline of a dispute, R-DISP-1).
 * They depend only on its own events and manual attributions, the facts of their partners and
 * the customer's stored same-person group (R-ATTR-4a), never on the group's other accounts, so
 * nothing else of a large group is read.
 */
export function attributeStoredCustomer(
  db: Db,
  customerId: string,
  groupId: string,
  asOf: number,
  cfg: LoadedConfig,
): AttributionResult[] {
  const [c] = loadCustomers(db, [customerId], asOf);
  if (!c) return [];
  const partnerIds = [...new Set([...c.events.map((e) => e.partnerId), ...c.manual.map((m) => m.partnerId)])];
  const admin = loadAdminFactsFor(db, partnerIds, [c.row.subjectId ?? '']);
  const partnerGroups = storedGroups(db, 'partner', partnerIds);
  const pinfo = partnerInfoMap(loadPartnersById(db, partnerIds), (id) => partnerGroups.get(id)!, admin);
  return attributeCustomer(
    {
      id: c.row.id,
      channel: c.row.channel,
      subjectId: c.row.subjectId,
      events: c.events,
      orders: [],
      manual: c.manual,
    },
    groupContext(asOf, cfg, pinfo, admin, groupId),
  );
}

/** Phase B for some partners: stored facts of groups not re-evaluated + the fresh facts of those that were. */
export function evaluatePartnersWith(
  db: Db,
  partnerIds: string[],
  ev: GroupsEvaluation,
  asOf: number,
): PartnerResult[] {
  const ids = [...new Set(partnerIds)].sort();
  const missing = ids.filter((id) => !ev.partners.has(id));
  if (missing.length > 0) {
    addPartnerFacts(db, ev.admin, missing);
    const partnerGroups = storedGroups(db, 'partner', missing);
    for (const [id, info] of partnerInfoMap(
      loadPartnersById(db, missing),
      (pid) => partnerGroups.get(pid)!,
      ev.admin,
    ))
      ev.partners.set(id, info);
  }
  const fresh = new Map(ev.results.map((r) => [r.groupId, r.only] as const));
  const focus = ev.focus;
  // a stored row is replaced by a fresh one when its group was evaluated (only its customer's,
  // in focus; only the touched customers', in a partial group)
  const isFresh = (groupId: string, customerId: string) => {
    if (focus) return customerId === focus.customerId;
    if (ev.replaced?.has(groupId)) return true;
    if (!fresh.has(groupId)) return false;
    const only = fresh.get(groupId);
    return only === undefined || only.has(customerId);
  };
  const freshValid = new Map<string, ValidFact[]>();
  const freshExp = new Map<string, ExpEntry[]>();
  for (const { result } of ev.results) {
    for (const o of result.orders)
      if (o.status === 'valid' && o.partnerId && (!focus || o.customerId === focus.customerId)) {
        const l = freshValid.get(o.partnerId) ?? [];
        l.push(validFact(o));
        freshValid.set(o.partnerId, l);
      }
    for (const e of result.exp) {
      if (focus && e.customerId !== focus.customerId) continue;
      const l = freshExp.get(e.partnerId) ?? [];
      l.push(e);
      freshExp.set(e.partnerId, l);
    }
  }
  // stored facts of the partners, in batches: valid orders and experience of groups not re-evaluated
  const IN = 'IN (SELECT value FROM json_each(?))';
  // in focus, facts after the order's time cannot change its rebate, and no signature is needed
  const upTo = focus ? focus.at : Number.MAX_SAFE_INTEGER;
  const validQ = db
    .prepare(
      `SELECT partner_id, order_id, ordered_at, paid_fen, net_fen, clawed, group_id, ${
        focus
          ? 'NULL'
          : 'reasons_json || json_array(rebate_fen, gross_rebate_fen, capped_fen, rebate_status, level, ratio_bp, cycle_key, confirm_at)'
      }, customer_id, clawed_at
       FROM result_orders WHERE partner_id ${IN} AND status = 'valid' AND ordered_at <= ?`,
    )
    .raw(true);
  const expQ = db
    .prepare(
      `SELECT group_id, partner_id, customer_id, order_id, at, delta, source_id FROM result_experience WHERE partner_id ${IN} AND at <= ?`,
    )
    .raw(true);
  const wanted = ids.filter((pid) => ev.partners.has(pid));
  const storedValid = new Map<string, ValidFact[]>(wanted.map((pid) => [pid, []]));
  const storedExp = new Map<string, ExpEntry[]>(wanted.map((pid) => [pid, []]));
  const stored = (ev.storedRebates ??= new Map());
  inChunks(wanted, (json) => {
    for (const r of validQ.all(json, upTo) as unknown[][]) {
      if (isFresh(r[6] as string, r[8] as string)) continue;
      if (!focus)
        stored.set(r[1] as string, {
          clawed: r[5] === 1,
          signature: r[7] as string,
        });
      storedValid.get(r[0] as string)!.push({
        orderId: r[1] as string,
        at: r[2] as number,
        paidFen: r[3] as number,
        netFen: r[4] as number,
        clawed: r[5] === 1,
        clawedAt: (r[9] as number | null) ?? null,
      });
    }
    for (const r of expQ.all(json, upTo) as unknown[][]) {
      if (isFresh(r[0] as string, r[2] as string)) continue;
      storedExp.get(r[1] as string)!.push({
        partnerId: r[1] as string,
        customerId: r[2] as string,
        orderId: r[3] as string,
        at: r[4] as number,
        delta: r[5] as number,
        sourceId: r[6] as string,
      });
    }
  });
  const out: PartnerResult[] = [];
  for (const pid of wanted) {
    const valid = storedValid.get(pid)!;
    const exp = storedExp.get(pid)!;
    valid.push(...(freshValid.get(pid) ?? []));
    exp.push(...(freshExp.get(pid) ?? []));
    out.push(
      evaluatePartner(
        {
          partnerId: pid,
          validOrders: valid,
          exp,
          blacklist: ev.admin.blacklist.get(pid) ?? [],
          overrides: ev.admin.overrides.get(pid) ?? [],
          riskDecisions: ev.admin.riskDecisions.get(pid) ?? [],
          paidByCycle: ev.admin.paidByCycle.get(pid) ?? new Map(),
          closedCycles: closedCyclesOf(ev.admin, pid),
        },
        asOf,
        ev.cfg.params,
      ),
    );
  }
  return out;
}

export interface IncrementalScope {
  customers?: string[];
  partners?: string[];
  importIds?: number[];
  /**
   * IPs whose shared mark changed (R-SAME-4): the stored groups of the accounts seen on them are
   * regrouped (rules/regroup.ts) and evaluated again, instead of a full recompute.
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
  if (db.inTransaction) write();
  else db.transaction(write)();
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

/**
 * Incremental: the queue rows of some groups again, from their stored rows (members, evidence
 * edges, attributions and orders) through the same investigationRow as a full run.
 */
function refreshInvestigation(
  db: Db,
  w: ResultWriter,
  groupIds: string[],
  asOf: number,
  deniedRatioBp: number,
): void {
  const ids = [...new Set(groupIds)].sort();
  if (ids.length === 0) return;
  const groups = new Map<string, InvestigationGroupIn>(
    ids.map((g) => [g, { groupId: g, members: [], referrers: new Set(), evidence: [], orders: [] }]),
  );
  const IN = 'IN (SELECT value FROM json_each(?))';
  const members = db
    .prepare(`SELECT group_id, member_kind, member_id FROM result_same_person WHERE group_id ${IN}`)
    .raw(true);
  const referrers = db
    .prepare(`SELECT DISTINCT group_id, partner_id FROM result_attributions WHERE group_id ${IN}`)
    .raw(true);
  const edges = db
    .prepare(`SELECT group_id, evidence, value FROM result_same_person_edges WHERE group_id ${IN}`)
    .raw(true);
  const orders = db
    .prepare(
      `SELECT group_id, order_id, customer_id, status, reasons_json, ordered_at, net_fen, rebate_fen, rebate_status, confirm_at
       FROM result_orders WHERE customer_id ${IN}`,
    )
    .raw(true);
  const customers: string[] = [];
  inChunks(ids, (json) => {
    for (const [g, kind, id] of members.all(json) as [string, 'customer' | 'partner', string][]) {
      groups.get(g)!.members.push({ kind, id });
      if (kind === 'customer') customers.push(id);
    }
  });
  // a group of one account (never stored as members) is never queued: only its old row goes
  const queued = ids.filter((g) => groups.get(g)!.members.length >= 2);
  inChunks(queued, (json) => {
    for (const [g, p] of referrers.all(json) as [string, string][]) groups.get(g)!.referrers.add(p);
    for (const [g, evidence, value] of edges.all(json) as [string, EvidenceKind, string][])
      groups.get(g)!.evidence.push({ evidence, value });
  });
  inChunks(customers, (json) => {
    for (const r of orders.all(json) as unknown[][])
      groups.get(r[0] as string)?.orders.push({
        orderId: r[1] as string,
        customerId: r[2] as string,
        status: r[3] as string,
        reasons: JSON.parse(r[4] as string) as string[],
        at: r[5] as number,
        netFen: r[6] as number,
        rebateFen: r[7] as number,
        rebateStatus: r[8] as string | null,
        confirmAt: r[9] as number | null,
      });
  });
  const rows: unknown[][] = [];
  const partners: unknown[][] = [];
  for (const g of groups.values()) {
    const q = investigationRow(g, asOf, deniedRatioBp);
    if (!q) continue;
    rows.push(q.row);
    partners.push(...q.partners);
  }
  w.replaceInvestigation(ids, rows, partners);
}

export type { OrderResult };
