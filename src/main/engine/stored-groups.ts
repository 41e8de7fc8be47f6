/**
 * Evaluating some stored same-person groups and partners again (incremental runs, explain,
 * disputes): the group structure is the last full run's; phase A for the groups, phase B for
 * their partners beside the stored facts of the others.
 */
import { attributeCustomer } from '../rules/attribution';
import { evaluatePartner } from '../rules/engine';
import {
  addPartnerFacts,
  closedCyclesOf,
  inChunks,
  loadAdminFactsFor,
  loadCustomers,
  loadOthersFirstPaidOrders,
  loadPartnersById,
  type AdminFacts,
  type CustomerRows,
  type LoadedConfig,
} from './load';
import type {
  AttributionResult,
  ExpEntry,
  GroupIn,
  OrderIn,
  PartnerInfo,
  PartnerResult,
  RebateResult,
  ValidFact,
} from '../rules/types';
import { evaluateGroup } from '../rules/valid-order';
import { type LoadedCustomer, PartialScope, partialCheck, withFirstOrders } from './partial-groups';
import {
  type Db,
  groupContext,
  partnerInfoMap,
  storedGroupMembers,
  storedGroups,
  validFact,
} from './run-context';

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

/** What a regroup already knows of the groups it wrote (engine/regroup.ts): not read again. */
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
