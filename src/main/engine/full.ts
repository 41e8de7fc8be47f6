/**
 * The full recompute (R-RECALC-1): every group and every partner, results replaced in one
 * transaction.
 */
import type { Store } from '../store/open-store';
import { evaluatePartner } from '../rules/engine';
import { closedCyclesOf, loadCore, type CoreWorld, type LoadedConfig } from './load';
import {
  attributionRow,
  experienceRow,
  orderRow,
  partnerRows,
  type ResultSink,
  type RunRecord,
} from './persist';
import { startFullRun } from './full-run';
import { groupingResult } from '../rules/grouping';
import type { SamePersonResult } from '../rules/same-person';
import type { ExpEntry, GroupIn, OrderResult, RebateResult, ValidFact } from '../rules/types';
import { evaluateGroup } from '../rules/valid-order';
import { investigationOrder, investigationRow, type InvestigationGroupIn } from '../rules/investigation';
import {
  RecomputeOptions,
  RunSummary,
  configFor,
  groupContext,
  partnerInfoMap,
  validFact,
} from './run-context';

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
    phase('clear');
    const { customers, partners } = world;
    const grouping = run.grouping();
    const sp = groupingResult(
      grouping,
      customers.allIds(),
      partners.map((p) => p.id),
    );
    // the same-person rows need no evaluation: written now, while the writer has little to do,
    // their indexes built alongside, instead of after the orders' indexes at the end
    samePersonRows(sp, world, run.sink);
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

const kindOf = (nc: number, node: number): 'customer' | 'partner' => (node < nc ? 'customer' : 'partner');
const idOf = (world: CoreWorld, node: number): string =>
  node < world.customers.length ? world.customers.id(node) : world.partners[node - world.customers.length].id;

/** The same-person rows: the members of groups of two or more accounts, and every evidence edge. */
function samePersonRows(sp: SamePersonResult, world: CoreWorld, sink: ResultSink): void {
  const nc = world.customers.length;
  const n = nc + world.partners.length;
  for (let node = 0; node < n; node++) {
    if (sp.sizeOf(node) < 2) continue;
    sink.rows('members', [kindOf(nc, node), idOf(world, node), sp.groupIdOf(node)]);
  }
  for (const e of sp.edges)
    sink.rows('edges', [
      sp.groupIdOf(e.a),
      kindOf(nc, e.a),
      idOf(world, e.a),
      kindOf(nc, e.b),
      idOf(world, e.b),
      e.evidence,
      e.value,
    ]);
  // done sends what is pending of those tables (a sink without it writes them at its next flush)
  sink.done?.(['members', 'edges']);
}

/**
 * Phases A and B of a full recompute over the loaded store: every group, then every partner,
 * then the investigation queue; rows go to `sink` as they are made (only valid orders wait for
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
      g.customers.push({
        id: customers.id(i),
        channel: customers.channel(i),
        subjectId: customers.subjectId(i),
        events: world.events.of(i),
        orders: world.orders.of(i),
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
  // no more attributions or experience: a team database makes their changes (or builds the indexes
  // of tables it makes again) while partners are evaluated (engine/pg-full-write.ts)
  sink.done?.(['attributions', 'experience']);
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
  // the orders' indexes are the most work where the table is made again: the server's parallel
  // workers build them, as the engine has little left to do (the investigation queue; the
  // same-person rows went first)
  sink.done?.(['orders', 'partners', 'payouts', 'levels'], false);
  phase('partners');

  // the members and evidence of groups of two or more accounts (their rows are written already)
  const n = nc + partners.length;
  const groupIds = new Set<string>();
  for (let node = 0; node < n; node++) {
    if (sp.sizeOf(node) < 2) continue;
    const groupId = sp.groupIdOf(node);
    groupIds.add(groupId);
    queue(groupId).members.push({ kind: kindOf(nc, node), id: idOf(world, node) });
  }
  for (const e of sp.edges)
    queued.get(sp.groupIdOf(e.a))?.evidence.push({ evidence: e.evidence, value: e.value });
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
