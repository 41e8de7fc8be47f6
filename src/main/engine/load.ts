/**
 * SQLite-specific loading of the engine's input (hot path: raw prepared statements, one pass
 * per table, rows turned into compact in-memory structures). Everything the engine reads from
 * the store goes through this module, so a PostgreSQL store only needs another loader.
 */
import type { SqlPort } from '../store/sql-port';
import { ByteKeys, inlineValues, type CopyRow } from '../store/pg-sync/copy-out';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import {
  defaultRuleConfig,
  engineParams,
  ruleConfigSchema,
  type EngineParams,
  type RuleConfig,
} from '../rules/config';
import {
  IpPairBuilder,
  ipv4NumberOfBytes,
  normalizeIdName,
  normalizePhone,
  type IdentityNodes,
} from '../rules/same-person';
import { NodeValues } from '../rules/node-values';
import { CustomerColumns, EventColumns, OrderColumns } from './world-columns';
import { pushIdName, pushPhone } from './identity-values';
import {
  manualAttributionId,
  type BlacklistInterval,
  type EventIn,
  type LevelOverrideIn,
  type ManualIn,
  type OrderIn,
  type RefundIn,
  type RiskDecisionIn,
} from '../rules/types';

type Db = SqlPort;

export interface LoadedConfig {
  version: number;
  config: RuleConfig;
  params: EngineParams;
}

/**
 * The rule config in effect at `asOf` (R-OP-3: a version counts from its effective instant; a
 * run whose as-of is earlier ignores it): the highest version whose effective_from ≤ asOf.
 * Inserts the RULES.md defaults as version 1 (in effect from the start) when there is none.
 */
export function ensureRuleConfig(
  db: Db,
  asOf: number = Number.MAX_SAFE_INTEGER,
  now = Date.now(),
): LoadedConfig {
  let row = db
    .prepare(
      'SELECT version, config_json FROM rule_configs WHERE effective_from <= ? ORDER BY version DESC LIMIT 1',
    )
    .get(asOf) as { version: number; config_json: string } | undefined;
  if (!row) {
    const any = db.prepare('SELECT 1 FROM rule_configs LIMIT 1').get();
    if (!any)
      db.prepare(
        'INSERT OR IGNORE INTO rule_configs (version, config_json, note, created_by, created_at, effective_from) VALUES (1, ?, ?, ?, ?, 0)',
      ).run(JSON.stringify(defaultRuleConfig), 'RULES.md defaults', 'system', now);
    row = db.prepare('SELECT version, config_json FROM rule_configs ORDER BY version LIMIT 1').get() as {
      version: number;
      config_json: string;
    };
  }
  return configFromRow(row.version, row.config_json);
}

export function loadRuleConfig(db: Db, version: number): LoadedConfig | null {
  const row = db.prepare('SELECT version, config_json FROM rule_configs WHERE version = ?').get(version) as
    { version: number; config_json: string } | undefined;
  return row ? configFromRow(row.version, row.config_json) : null;
}

function configFromRow(version: number, json: string): LoadedConfig {
  const config = ruleConfigSchema.parse(JSON.parse(json));
  return { version, config, params: engineParams(config) };
}

export interface PartnerRow {
  id: string;
  accountId: string | null;
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  status: string;
  verifiedAt: number | null;
}
export interface AdminFacts {
  eligible: Map<string, boolean>;
  salesSubjects: { has(subjectId: string): boolean };
  blacklist: Map<string, BlacklistInterval[]>;
  overrides: Map<string, LevelOverrideIn[]>;
  /** R-CLAW-4: decisions on partners' risk flags, by partner, in decision order */
  riskDecisions: Map<string, RiskDecisionIn[]>;
  paidByCycle: Map<string, Map<string, number>>;
  /** R-PAY-1, R-BL-3: cycles with an approved payout batch, and per partner those with a line of theirs */
  approvedCycles: Set<string>;
  linedCycles: Map<string, Set<string>>;
}

const APPROVED_CYCLES = "SELECT DISTINCT cycle_key FROM payout_batches WHERE status = 'approved'";

const RISK_COLS = 'partner_id, decision_id, decision, effective_at, blacklist_entry_id, reflag_after';
function riskDecision(r: unknown[]): RiskDecisionIn {
  return {
    decisionId: r[1] as number,
    decision: r[2] === 'blacklist' ? 'blacklist' : 'dismiss',
    at: r[3] as number,
    entryId: (r[4] as number | null) ?? null,
    reflagAfter: (r[5] as number | null) ?? null,
  };
}

const cmpId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
export const cmpTimeId = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function rows(db: Db, sql: string, ...params: unknown[]): IterableIterator<unknown[]> {
  return db
    .prepare(sql)
    .raw(true)
    .iterate(...params) as IterableIterator<unknown[]>;
}

export function loadAdminFacts(db: Db): AdminFacts {
  const eligible = new Map<string, boolean>();
  for (const [pl, e] of rows(db, 'SELECT product_line, rebate_eligible FROM product_lines'))
    eligible.set(pl as string, e === 1);
  const salesSubjects = new Set<string>();
  for (const [s] of rows(db, 'SELECT subject_id FROM sales_subjects')) salesSubjects.add(s as string);
  const blacklist = new Map<string, BlacklistInterval[]>();
  for (const [id, pid, restrict, reason, added, lifted] of rows(
    db,
    'SELECT entry_id, partner_id, restrict_promotion, reason, added_at, lifted_at FROM blacklist_entries ORDER BY entry_id',
  )) {
    const list = blacklist.get(pid as string) ?? [];
    list.push({
      entryId: id as number,
      restrictPromotion: restrict === 1,
      reason: reason as string,
      from: added as number,
      until: (lifted as number | null) ?? null,
    });
    blacklist.set(pid as string, list);
  }
  const overrides = new Map<string, LevelOverrideIn[]>();
  for (const [id, pid, level, reason, starts, ends, revoked] of rows(
    db,
    'SELECT override_id, partner_id, level, reason, starts_at, ends_at, revoked_at FROM level_overrides ORDER BY override_id',
  )) {
    const end = [ends, revoked].filter((x): x is number => typeof x === 'number');
    const list = overrides.get(pid as string) ?? [];
    list.push({
      overrideId: id as number,
      level: level as string,
      reason: reason as string,
      from: starts as number,
      until: end.length ? Math.min(...end) : null,
    });
    overrides.set(pid as string, list);
  }
  const riskDecisions = new Map<string, RiskDecisionIn[]>();
  for (const r of rows(db, `SELECT ${RISK_COLS} FROM risk_decisions ORDER BY decision_id`)) {
    const list = riskDecisions.get(r[0] as string) ?? [];
    list.push(riskDecision(r));
    riskDecisions.set(r[0] as string, list);
  }
  const paidByCycle = new Map<string, Map<string, number>>();
  for (const [pid, key, fen] of rows(
    db,
    `SELECT l.partner_id, b.cycle_key, SUM(l.amount_fen) FROM payout_lines l JOIN payout_batches b ON b.batch_id = l.batch_id
     WHERE b.status = 'approved' AND l.status IN ('approved', 'paid') GROUP BY l.partner_id, b.cycle_key`,
  )) {
    const m = paidByCycle.get(pid as string) ?? new Map<string, number>();
    m.set(key as string, fen as number);
    paidByCycle.set(pid as string, m);
  }
  const approvedCycles = new Set<string>();
  for (const [key] of rows(db, APPROVED_CYCLES)) approvedCycles.add(key as string);
  const linedCycles = new Map<string, Set<string>>();
  for (const [pid, key] of rows(
    db,
    `SELECT DISTINCT l.partner_id, b.cycle_key FROM payout_lines l JOIN payout_batches b ON b.batch_id = l.batch_id WHERE b.status = 'approved'`,
  )) {
    const set = linedCycles.get(pid as string) ?? new Set<string>();
    set.add(key as string);
    linedCycles.set(pid as string, set);
  }
  return {
    eligible,
    salesSubjects,
    blacklist,
    overrides,
    riskDecisions,
    paidByCycle,
    approvedCycles,
    linedCycles,
  };
}

/** `fn` over `ids` in chunks, each passed as one JSON array (for `IN (SELECT value FROM json_each(?))`). */
export function inChunks(ids: string[], fn: (json: string) => void, size = 500): void {
  for (let i = 0; i < ids.length; i += size) fn(JSON.stringify(ids.slice(i, i + size)));
}

/**
 * Admin facts for a few partners only (incremental recompute, explain): product lines in full (small), sales subjects looked up on demand (the subjects named by
 * `subjectIds` in one batch), blacklist, overrides and payouts of the partners named.
 */
export function loadAdminFactsFor(db: Db, partnerIds: string[], subjectIds: string[] = []): AdminFacts {
  const eligible = new Map<string, boolean>();
  for (const [pl, e] of rows(db, 'SELECT product_line, rebate_eligible FROM product_lines'))
    eligible.set(pl as string, e === 1);
  const subjectQ = db.prepare('SELECT 1 FROM sales_subjects WHERE subject_id = ?').pluck();
  const known = new Map<string, boolean>();
  const wanted = [...new Set(subjectIds.filter((x) => x))];
  for (const x of wanted) known.set(x, false);
  const subjectsQ = db
    .prepare('SELECT subject_id FROM sales_subjects WHERE subject_id IN (SELECT value FROM json_each(?))')
    .pluck();
  inChunks(wanted, (json) => {
    for (const x of subjectsQ.all(json)) known.set(x as string, true);
  });
  const facts: AdminFacts = {
    eligible,
    salesSubjects: {
      has: (id) => {
        let k = known.get(id);
        if (k === undefined) known.set(id, (k = subjectQ.get(id) !== undefined));
        return k;
      },
    },
    blacklist: new Map(),
    overrides: new Map(),
    riskDecisions: new Map(),
    paidByCycle: new Map(),
    approvedCycles: new Set(db.prepare(APPROVED_CYCLES).pluck().all() as string[]),
    linedCycles: new Map(),
  };
  addPartnerFacts(db, facts, partnerIds);
  return facts;
}

/**
 * R-BL-3: the cycles closed for a partner without a payout line of theirs — an approved batch
 * of the cycle left them out (frozen then, R-BL-1). A rebate of such a cycle released later goes
 * into the next payout, as the batch of its own cycle is final (R-PAY-3).
 */
export function closedCyclesOf(facts: AdminFacts, partnerId: string): { has(cycleKey: string): boolean } {
  const lined = facts.linedCycles.get(partnerId);
  return { has: (key) => facts.approvedCycles.has(key) && !(lined?.has(key) ?? false) };
}

/** Adds blacklist entries, overrides and paid payouts of more partners to `facts` (batched lookups). */
export function addPartnerFacts(db: Db, facts: AdminFacts, partnerIds: string[]): void {
  const ids = [...new Set(partnerIds)].filter((pid) => !facts.blacklist.has(pid));
  const IN = 'IN (SELECT value FROM json_each(?))';
  const bl = db
    .prepare(
      `SELECT partner_id, entry_id, restrict_promotion, reason, added_at, lifted_at FROM blacklist_entries
       WHERE partner_id ${IN} ORDER BY partner_id, entry_id`,
    )
    .raw(true);
  const ov = db
    .prepare(
      `SELECT partner_id, override_id, level, reason, starts_at, ends_at, revoked_at FROM level_overrides
       WHERE partner_id ${IN} ORDER BY partner_id, override_id`,
    )
    .raw(true);
  const risk = db
    .prepare(
      `SELECT ${RISK_COLS} FROM risk_decisions WHERE partner_id ${IN} ORDER BY partner_id, decision_id`,
    )
    .raw(true);
  const paid = db
    .prepare(
      `SELECT l.partner_id, b.cycle_key, SUM(l.amount_fen) FROM payout_lines l JOIN payout_batches b ON b.batch_id = l.batch_id
       WHERE l.partner_id ${IN} AND b.status = 'approved' AND l.status IN ('approved', 'paid')
       GROUP BY l.partner_id, b.cycle_key ORDER BY l.partner_id, b.cycle_key`,
    )
    .raw(true);
  for (const pid of ids) {
    facts.blacklist.set(pid, []);
    facts.overrides.set(pid, []);
    facts.riskDecisions.set(pid, []);
    facts.paidByCycle.set(pid, new Map());
  }
  inChunks(ids, (json) => {
    for (const [pid, id, restrict, reason, added, lifted] of bl.all(json) as unknown[][])
      facts.blacklist.get(pid as string)!.push({
        entryId: id as number,
        restrictPromotion: restrict === 1,
        reason: reason as string,
        from: added as number,
        until: (lifted as number | null) ?? null,
      });
    for (const [pid, id, level, reason, starts, ends, revoked] of ov.all(json) as unknown[][]) {
      const end = [ends, revoked].filter((x): x is number => typeof x === 'number');
      facts.overrides.get(pid as string)!.push({
        overrideId: id as number,
        level: level as string,
        reason: reason as string,
        from: starts as number,
        until: end.length ? Math.min(...end) : null,
      });
    }
    for (const r of risk.all(json) as unknown[][])
      facts.riskDecisions.get(r[0] as string)!.push(riskDecision(r));
    for (const [pid, key, fen] of paid.all(json) as [string, string, number][])
      facts.paidByCycle.get(pid)!.set(key, fen);
  });
}

/** Some partners by id (missing ids are skipped), sorted by id. */
export function loadPartnersById(db: Db, ids: string[]): PartnerRow[] {
  const q = db
    .prepare(
      'SELECT partner_id, account_id, name, phone, id_number, status, verified_at FROM partners WHERE partner_id IN (SELECT value FROM json_each(?))',
    )
    .raw(true);
  const byId = new Map<string, PartnerRow>();
  inChunks([...new Set(ids)], (json) => {
    for (const r of q.all(json) as unknown[][])
      byId.set(r[0] as string, {
        id: r[0] as string,
        accountId: r[1] as string | null,
        name: r[2] as string | null,
        phone: r[3] as string | null,
        idNumber: r[4] as string | null,
        status: r[5] as string,
        verifiedAt: r[6] as number | null,
      });
  });
  return [...byId.keys()].sort().map((id) => byId.get(id)!);
}

export function loadPartners(db: Db): PartnerRow[] {
  const out: PartnerRow[] = [];
  for (const [id, acc, name, phone, idn, status, verified] of rows(
    db,
    'SELECT partner_id, account_id, name, phone, id_number, status, verified_at FROM partners',
  )) {
    out.push({
      id: id as string,
      accountId: acc as string | null,
      name: name as string | null,
      phone: phone as string | null,
      idNumber: idn as string | null,
      status: status as string,
      verifiedAt: verified as number | null,
    });
  }
  return out.sort(cmpId);
}

/** `map.get`, remembering the last key and answer (rows of one key often come together). */
function lastKeyLookup(map: Map<string, number>): (key: string) => number | undefined {
  let lastKey: string | null = null;
  let last: number | undefined;
  return (key) => {
    if (key !== lastKey) {
      lastKey = key;
      last = map.get(key);
    }
    return last;
  };
}

const CUSTOMER_COLS = 'customer_id, subject_id, channel';
const IDENTITY_COLS = 'customer_id, name, phone, id_number, registration_ip';

/** A customer as an incremental run reads it (a full one keeps them in columns, CustomerColumns;
 * identity fields go to `IdentityLoad`). */
export interface WorldCustomer {
  id: string;
  subjectId: string | null;
  channel: string | null;
}

/**
 * Gives `take` the rows of `SELECT customer_id, … ORDER BY customer_id` in JS id order, each as it
 * comes (no list of half a million rows kept for the collector to copy). They arrive in order
 * straight from the primary key index; checked, as SQLite and PostgreSQL (COLLATE "C") compare
 * UTF-8 bytes and JS compares UTF-16 units (they differ only beyond the BMP): when a row comes
 * out of JS order, `restart` is called and the rows are read again, sorted, and given anew.
 * Both loaders below read customers this way, so their customer numbering is the same.
 */
function eachCustomerRowInIdOrder(
  db: Db,
  sql: string,
  take: (r: unknown[]) => void,
  restart: () => void,
  /** known already (a read from COPY found it): the rows are read once, sorted */
  outOfOrder = false,
): void {
  let last: string | null = null;
  let inOrder = !outOfOrder;
  if (inOrder)
    for (const r of rows(db, sql)) {
      if (!inOrder) continue; // read to its end (the statement finishes as every read does)
      const id = r[0] as string;
      if (last !== null && !(last < id)) {
        inOrder = false;
        continue;
      }
      last = id;
      take(r);
    }
  if (inOrder) return;
  if (!outOfOrder) restart();
  const all = [...rows(db, sql)];
  all.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : a[0] === b[0] ? 0 : 1));
  for (const r of all) take(r);
}

/** The server's estimate of the rows of `table`, kept by ANALYZE and autovacuum; 0 when it has
 * none yet (PostgreSQL says -1, or 0 before version 14). */
export function estimatedRows(db: PgSyncPort, table: string): number {
  const n = Number(db.query(`SELECT reltuples FROM pg_class WHERE oid = '${table}'::regclass`).rows[0][0]);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * The customers of `sql` (`SELECT customer_id, …`, `columns` columns) in JS id order, as
 * eachCustomerRowInIdOrder gives them. On a team database in a transaction they come from COPY's
 * bytes (`fromCopy`, with the row's id) and each id is numbered by its bytes as it comes, in the
 * keys returned: not encoded again to look the customers up later (half a million ids: 0.3–0.6 s
 * of a full run's loading, issue 13). Their table is sized by the server's estimate, between
 * 65,536 and 2M (a stale estimate of a table since emptied costs at most some 64 MB; more
 * customers grow it). Otherwise, or when a row came out of JS order (`forget` is called first),
 * they come as rows (`fromRow`) and null is returned.
 */
function eachCustomerInIdOrder(
  db: Db,
  sql: string,
  columns: number,
  fromCopy: (r: CopyRow, id: string) => void,
  fromRow: (r: unknown[]) => void,
  forget: () => void,
): ByteKeys | null {
  const team = db instanceof PgSyncPort && db.inTransaction ? db : null;
  if (team) {
    const keys = new ByteKeys(Math.min(Math.max(estimatedRows(team, 'customers'), 1 << 16), 1 << 21));
    let last: string | null = null;
    let inOrder = true;
    team.eachCopyRow(sql, columns, (r) => {
      if (!inOrder) return; // read to its end (the statement finishes as every read does)
      const n = keys.addField(r, 0);
      const id = n < 0 ? null : keys.key(n);
      // an id seen before is out of order too (the ids are unique: the store's key)
      if (id === null || n !== keys.size - 1 || (last !== null && !(last < id))) {
        inOrder = false;
        return;
      }
      last = id;
      fromCopy(r, id);
    });
    if (inOrder) return keys;
    forget();
  }
  eachCustomerRowInIdOrder(db, sql, fromRow, forget, team !== null);
  return null;
}

/** Everything of the store a full recompute needs except same-person evidence (IdentityLoad). */
export interface CoreWorld extends AdminFacts {
  asOf: number;
  /** sorted by id */
  partners: PartnerRow[];
  /** sorted by id (customer index: its position) */
  customers: CustomerColumns;
  /** per customer: its register and login events up to as-of, by (time, id) (`events.of(index)`) */
  events: EventColumns;
  /** per customer: its orders up to as-of with their refunds, by (time, id) (`orders.of(index)`) */
  orders: OrderColumns;
  /** by customer index: manual attributions of upheld disputes up to as-of (R-DISP-2), by (time, id) */
  manual: Map<number, ManualIn[]>;
  dangling: { orders: string[]; refunds: string[] };
}

/** The same-person evidence of every account, and the events naming no known customer. */
export interface IdentityLoad {
  identity: IdentityNodes;
  sharedIps: Set<string>;
  /** ids of referral events (any kind, any time) whose customer is not in the store, sorted */
  danglingEvents: string[];
}

export interface World extends CoreWorld, IdentityLoad {}

/**
 * Upheld disputes whose manual attribution starts at or before as-of (R-DISP-2, R-OP-3: a later
 * start is ignored, as a later event is), in (time, dispute id) order; all of them, or those of
 * some customers (`customersJson`: a JSON array). Revoked and rejected cases grant nothing.
 */
function* manualRows(
  db: Db,
  asOf: number,
  customersJson?: string,
): Generator<{ customerId: string; manual: ManualIn }> {
  const sql = `SELECT dispute_id, partner_id, customer_id, manual_from FROM disputes
     WHERE status = 'upheld' AND manual_from <= ?${customersJson === undefined ? '' : ' AND customer_id IN (SELECT value FROM json_each(?))'}
     ORDER BY manual_from, dispute_id`;
  const params: unknown[] = customersJson === undefined ? [asOf] : [asOf, customersJson];
  for (const r of rows(db, sql, ...params)) {
    const disputeId = r[0] as number;
    yield {
      customerId: r[2] as string,
      manual: {
        id: manualAttributionId(disputeId),
        disputeId,
        partnerId: r[1] as string,
        at: r[3] as number,
      },
    };
  }
}

/**
 * The store's attribution and order facts for a full recompute, one pass per table. Only
 * register and login events up to as-of are read (visits never change attribution, R-ATTR; their
 * IPs are identity evidence, read by loadIdentity). Repeated strings of events and orders
 * (partner ids, product lines, billing) share one string each.
 */
export function loadCore(db: Db, asOf: number): CoreWorld {
  const admin = loadAdminFacts(db);
  const partners = loadPartners(db);
  // a team database: the largest reads taken from the bytes of COPY, the customers and partners
  // looked up by their ids' bytes (loadEventsFromCopy); a store file: by their ids
  const team = db instanceof PgSyncPort && db.inTransaction ? db : null;
  // in columns (world-columns.ts), the subjects as COPY's bytes on a team database
  const customers = new CustomerColumns(team !== null);
  const channels = new ByteKeys();
  const customerKeys = eachCustomerInIdOrder(
    db,
    `SELECT ${CUSTOMER_COLS} FROM customers ORDER BY customer_id`,
    3,
    // (a channel is one of a few: each kept once, not once per customer)
    (r, id) => customers.addFrom(id, r, 1, keyOf(channels, r, 2)),
    (r) => customers.add(r[0] as string, r[1] as string | null, r[2] as string | null),
    () => customers.clear(),
  );
  const nc = customers.length;
  const copy: WorldKeys | null = team
    ? {
        customers: customerKeys ?? idKeysByBytes(customers.allIds()),
        partners: idKeysByBytes(partners.map((p) => p.id)),
      }
    : null;
  const byId = copy ? null : idKeysOf(customers, partners);
  const customerOf = copy ? numberOf(copy.customers) : (id: string) => byId!.customers.get(id);

  // events and orders are kept in columns by customer (world-columns.ts): objects made per group
  // die young, objects kept for the whole run were copied by the scavenger
  const events = new EventColumns(nc, copy !== null);
  if (copy) loadEventsFromCopy(db as PgSyncPort, asOf, copy, partners, events);
  else loadEventsFromRows(db, asOf, byId!, partners, events);
  events.seal();
  const manual = new Map<number, ManualIn[]>();
  for (const m of manualRows(db, asOf)) {
    const ci = customerOf(m.customerId);
    if (ci === undefined) continue; // a case of a customer not in the store grants nothing
    const l = manual.get(ci);
    if (l) l.push(m.manual);
    else manual.set(ci, [m.manual]);
  }

  const dangling = { orders: [] as string[], refunds: [] as string[] };
  const refundsOf = new Map<string, RefundIn[]>();
  for (const [id, oid, kind, amount, at] of rows(
    db,
    'SELECT refund_id, order_id, kind, amount_fen, refunded_at FROM refunds',
  )) {
    const r: RefundIn = {
      id: id as string,
      kind: kind as string,
      amountFen: amount as number,
      at: at as number,
    };
    const l = refundsOf.get(oid as string);
    if (l) l.push(r);
    else refundsOf.set(oid as string, [r]);
  }
  const orders = new OrderColumns(nc, (ci) => customers.id(ci), copy !== null);
  if (copy) loadOrdersFromCopy(db as PgSyncPort, asOf, copy, refundsOf, orders, dangling);
  else loadOrdersFromRows(db, asOf, byId!, refundsOf, orders, dangling);
  orders.seal();
  // refunds whose order is not in the store (or not known at as-of)
  for (const l of refundsOf.values()) for (const r of l) dangling.refunds.push(r.id);
  dangling.orders.sort();
  dangling.refunds.sort();
  return { ...admin, asOf, partners, customers, events, orders, manual, dangling };
}

const EVENTS_SQL =
  "SELECT event_id, partner_id, customer_id, kind, occurred_at FROM referral_events WHERE kind IN ('register', 'login') AND occurred_at <= ?";
const ORDERS_SQL =
  'SELECT order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at FROM orders';

/** Customers' and partners' ids, numbered as in the world (customer index, partner index). */
interface IdKeys {
  customers: Map<string, number>;
  partners: Map<string, number>;
}

function idKeysOf(customers: CustomerColumns, partners: PartnerRow[]): IdKeys {
  const keys: IdKeys = { customers: new Map(), partners: new Map() };
  customers.allIds().forEach((id, i) => keys.customers.set(id, i));
  partners.forEach((p, i) => keys.partners.set(p.id, i));
  return keys;
}

/**
 * loadCore's events of a store file. Hot loops here index rows instead of destructuring them
 * (measurably cheaper per row), and look a customer up once per run of rows with the same
 * customer (exports often list a customer's rows together).
 */
function loadEventsFromRows(
  db: Db,
  asOf: number,
  keys: IdKeys,
  partners: PartnerRow[],
  events: EventColumns,
): void {
  const customerIndex = lastKeyLookup(keys.customers);
  for (const r of rows(db, EVENTS_SQL, asOf)) {
    const ci = customerIndex(r[2] as string);
    if (ci === undefined) continue; // listed by loadIdentity (danglingEvents)
    const pid = r[1] as string;
    const p = keys.partners.get(pid);
    events.add(
      ci,
      r[0] as string,
      p === undefined ? pid : partners[p].id,
      r[3] === 'register' ? 'register' : 'login',
      r[4] as number,
    );
  }
}

/** loadCore's orders of a store file, as loadEventsFromRows: a refund goes with its order. */
function loadOrdersFromRows(
  db: Db,
  asOf: number,
  keys: IdKeys,
  refundsOf: Map<string, RefundIn[]>,
  orders: OrderColumns,
  dangling: { orders: string[] },
): void {
  const customerIndex = lastKeyLookup(keys.customers);
  const lines = new Map<string, string>();
  const line = (pl: string) => {
    const s = lines.get(pl);
    if (s !== undefined) return s;
    lines.set(pl, pl);
    return pl;
  };
  for (const r of rows(db, ORDERS_SQL)) {
    const id = r[0] as string;
    const ci = customerIndex(r[1] as string);
    if (ci === undefined) {
      dangling.orders.push(id);
      continue;
    }
    const refunds = refundsOf.size > 0 ? refundsOf.get(id) : undefined;
    if (refunds) refundsOf.delete(id);
    const at = r[6] as number;
    if (at > asOf) continue;
    const billing = r[3] as string;
    orders.add(
      ci,
      {
        id,
        productLine: line(r[2] as string),
        billing: billing === 'prepaid' ? 'prepaid' : billing === 'postpaid' ? 'postpaid' : billing,
        subscription: r[4] === 1,
        paidFen: r[5] as number,
        at,
      },
      refunds,
    );
  }
}

/** Customers' and partners' ids by their bytes, numbered as in the world (customer index, partner index). */
interface WorldKeys {
  customers: ByteKeys;
  partners: ByteKeys;
}

/** Unique ids by their bytes: the n-th id is numbered n. */
function idKeysByBytes(ids: readonly string[]): ByteKeys {
  const keys = new ByteKeys(ids.length);
  for (const id of ids) keys.add(id);
  return keys;
}

/** An id's number in `keys`, undefined for none (as a Map's get). */
function numberOf(keys: ByteKeys): (id: string) => number | undefined {
  return (id) => {
    const n = keys.findString(id);
    return n < 0 ? undefined : n;
  };
}

/** EVENTS_SQL with its as-of written in (COPY takes no parameters). */
function eventsCopyText(asOf: number): string {
  const text = inlineValues(EVENTS_SQL.replace('?', '$1'), [asOf]);
  if (text === null) throw new Error(`loadCore: as-of ${asOf} is no instant`);
  return text;
}

const REGISTER = Buffer.from('register');
const PREPAID = Buffer.from('prepaid');
const POSTPAID = Buffer.from('postpaid');

/**
 * loadCore's events of a team database, the same values as its rows() loop, from COPY's bytes: an
 * id and nothing else made a string per row (the customer and partner looked up by bytes, the kind
 * compared, the time read as digits).
 */
function loadEventsFromCopy(
  db: PgSyncPort,
  asOf: number,
  keys: WorldKeys,
  partners: PartnerRow[],
  events: EventColumns,
): void {
  db.eachCopyRow(eventsCopyText(asOf), 5, (r: CopyRow) => {
    const ci = keys.customers.find(r, 2);
    if (ci < 0) return; // listed by loadIdentity (danglingEvents)
    const p = keys.partners.find(r, 1);
    events.addFrom(
      ci,
      r,
      0,
      (p < 0 ? r.text(1) : partners[p].id) as string,
      r.is(3, REGISTER) ? 'register' : 'login',
      r.int(4) as number,
    );
  });
}

/** loadCore's orders of a team database from COPY's bytes, as loadEventsFromCopy. */
function loadOrdersFromCopy(
  db: PgSyncPort,
  asOf: number,
  keys: WorldKeys,
  refundsOf: Map<string, RefundIn[]>,
  orders: OrderColumns,
  dangling: { orders: string[] },
): void {
  const lines = new ByteKeys();
  // the orders refunded, looked up by their ids' bytes (no string per order)
  const refunded = new ByteKeys(refundsOf.size);
  for (const id of refundsOf.keys()) refunded.add(id);
  db.eachCopyRow(ORDERS_SQL, 7, (r: CopyRow) => {
    const ci = keys.customers.find(r, 1);
    if (ci < 0) {
      dangling.orders.push(r.text(0) as string);
      return;
    }
    const k = refunded.size > 0 ? refunded.find(r, 0) : -1;
    const refunds = k < 0 ? undefined : refundsOf.get(refunded.key(k));
    if (refunds) refundsOf.delete(refunded.key(k));
    const at = r.int(6) as number;
    if (at > asOf) return;
    orders.addFrom(
      ci,
      r,
      0,
      {
        productLine: keyOf(lines, r, 2) as string,
        billing: r.is(3, PREPAID) ? 'prepaid' : r.is(3, POSTPAID) ? 'postpaid' : (r.text(3) as string),
        subscription: r.int(4) === 1,
        paidFen: r.int(5) as number,
        at,
      },
      refunds,
    );
  });
}

/** Field `i` of `r` as the string `keys` keeps for its text (added the first time), or null. */
function keyOf(keys: ByteKeys, r: CopyRow, i: number): string | null {
  const k = keys.addField(r, i);
  return k < 0 ? null : keys.key(k);
}

/**
 * R-SAME-4, R-OP-3: the IPs marked shared at `asOf` — a mark counts from its effective instant
 * (marked_at) until its unmark's (unmarked_at, end-exclusive); a recompute with an earlier as-of
 * ignores it.
 */
export function sharedIpsAt(db: Db, asOf: number): Set<string> {
  const out = new Set<string>();
  for (const [ip] of rows(
    db,
    'SELECT ip FROM shared_ips WHERE marked_at <= ? AND (unmarked_at IS NULL OR unmarked_at > ?)',
    asOf,
    asOf,
  ))
    out.add((ip as string).trim());
  return out;
}

const LOGIN_IPS_SQL = 'SELECT account_id, ip FROM login_ips GROUP BY account_id, ip';
const EVENT_IPS_SQL = 'SELECT customer_id, ip FROM referral_events GROUP BY ip, customer_id';

/** Field `i` of `row`, an IP, as evidence of `node`: a canonical IPv4 text read as a number
 * (ipv4NumberOfBytes), any other text made a string. */
function addIp(ip: IpPairBuilder, node: number, r: CopyRow, i: number): void {
  const num = r.plain(i) ? ipv4NumberOfBytes(r.buf, r.start[i], r.end[i]) : -1;
  if (num >= 0) ip.addIpv4(node, num);
  else ip.add(node, r.text(i) as string);
}

/**
 * loadIdentity's IP evidence on a team database, the same pairs in the same order as its rows()
 * loops, from COPY's bytes: accounts looked up by their ids' bytes, canonical IPv4 texts read as
 * numbers (ipv4NumberOfBytes); any other IP text is made a string and added as before.
 */
function ipEvidenceFromCopy(
  db: PgSyncPort,
  customers: ByteKeys,
  accountNodes: Map<string, number[]>,
  ip: IpPairBuilder,
  unknown: Set<string>,
): void {
  const accounts = new ByteKeys(accountNodes.size);
  const nodesOf: number[][] = [];
  for (const [account, nodes] of accountNodes) nodesOf[accounts.add(account)] = nodes;
  const add = (node: number, r: CopyRow, i: number) => addIp(ip, node, r, i);
  db.eachCopyRow(LOGIN_IPS_SQL, 2, (r) => {
    const ci = customers.find(r, 0);
    const a = nodesOf.length > 0 ? accounts.find(r, 0) : -1;
    if (ci < 0 && a < 0) return;
    if (ci >= 0) add(ci, r, 1);
    if (a >= 0) for (const n of nodesOf[a]) add(n, r, 1);
  });
  // every event's IP is evidence about its customer; events of unknown customers are listed
  db.eachCopyRow(EVENT_IPS_SQL, 2, (r) => {
    const ci = customers.find(r, 0);
    if (ci < 0) {
      unknown.add(r.text(0) as string);
      return;
    }
    if (!r.isNull(1) && r.end[1] > r.start[1]) add(ci, r, 1);
  });
}

/**
 * Same-person evidence of every account (R-SAME-1), reduced while scanning: phones and ID +
 * name are normalized per node, IPs interned to integers (IdentityNodes), so neither raw
 * identity rows nor millions of IP strings stay in memory. IPs are added in a fixed order
 * (registration, login_ips, referral events), which fixes the order of evidence edges.
 * Evidence carries no time (R-ATTR-5): every referral event's IP is evidence; only the shared-IP
 * marks depend on as-of (R-SAME-4, R-OP-3).
 */
export function loadIdentity(db: Db, asOf: number): IdentityLoad {
  const sharedIps = sharedIpsAt(db, asOf);
  const partners = loadPartners(db);
  const customerIds: string[] = [];
  let phones = new NodeValues();
  let idNames = new NodeValues();
  const regIps: (string | null)[] = [];
  let ip = new IpPairBuilder();
  const customerKeys = eachCustomerInIdOrder(
    db,
    `SELECT ${IDENTITY_COLS} FROM customers ORDER BY customer_id`,
    5,
    (r, id) => {
      customerIds.push(id);
      pushPhone(phones, r, 2);
      pushIdName(idNames, r, 3, 1);
      // the registration IP: evidence first (as below), a canonical IPv4 read as a number
      if (!r.isNull(4) && r.end[4] > r.start[4]) addIp(ip, customerIds.length - 1, r, 4);
    },
    (r) => {
      customerIds.push(r[0] as string);
      phones.push(normalizePhone(r[2] as string | null));
      idNames.push(normalizeIdName(r[3] as string | null, r[1] as string | null));
      regIps.push(r[4] as string | null);
    },
    () => {
      customerIds.length = 0;
      phones = new NodeValues();
      idNames = new NodeValues();
      regIps.length = 0;
      ip = new IpPairBuilder();
    },
  );
  const nc = customerIds.length;
  for (const p of partners) {
    phones.push(normalizePhone(p.phone));
    idNames.push(normalizeIdName(p.idNumber, p.name));
  }

  for (let i = 0; i < regIps.length; i++) {
    const r = regIps[i];
    if (r) ip.add(i, r);
  }
  regIps.length = 0;
  const accountNodes = new Map<string, number[]>();
  partners.forEach((p, i) => {
    if (!p.accountId) return;
    const l = accountNodes.get(p.accountId) ?? [];
    l.push(nc + i);
    accountNodes.set(p.accountId, l);
  });
  // A node's IP is evidence once however often it was seen (buildSamePerson takes one edge per
  // node and value), so each (account, IP) pair is read once: SQLite groups them along covering
  // indexes without a sort, a team database on the server, and a third of the referral events'
  // rows come to the engine. The order of evidence edges within the grouping follows the
  // indexes' (not the tables' rows'); every reader orders them. Login IPs are grouped in the
  // order of their primary key (account, IP): both stores read it from that index alone (a team
  // database grouping by IP first read every row through the IP index and sorted: 3.0 s instead
  // of 0.3 s for 1M rows), and an account's rows come together (one lookup of the account each).
  const unknown = new Set<string>();
  // customers numbered once: by their ids' bytes on a team database (read from COPY), by their
  // ids on a store file
  let customerNodeOf: (id: string) => number | undefined;
  if (db instanceof PgSyncPort && db.inTransaction) {
    const keys = customerKeys ?? idKeysByBytes(customerIds);
    ipEvidenceFromCopy(db, keys, accountNodes, ip, unknown);
    customerNodeOf = numberOf(keys);
  } else {
    const cIndex = new Map<string, number>();
    for (let i = 0; i < nc; i++) cIndex.set(customerIds[i], i);
    customerNodeOf = (id) => cIndex.get(id);
    const customerIndex = lastKeyLookup(cIndex);
    for (const r of rows(db, LOGIN_IPS_SQL)) {
      const acc = r[0] as string;
      const ci = customerIndex(acc);
      const pn = accountNodes.size > 0 ? accountNodes.get(acc) : undefined;
      if (ci === undefined && !pn) continue;
      const v = r[1] as string;
      if (ci !== undefined) ip.add(ci, v);
      if (pn) for (const n of pn) ip.add(n, v);
    }
    // every event's IP is evidence about its customer; events of unknown customers are listed
    for (const r of rows(db, EVENT_IPS_SQL)) {
      const ci = customerIndex(r[0] as string);
      if (ci === undefined) {
        unknown.add(r[0] as string);
        continue;
      }
      const addr = r[1] as string | null;
      if (addr) ip.add(ci, addr);
    }
  }
  const danglingEvents: string[] = [];
  const eventsOf = db
    .prepare('SELECT event_id FROM referral_events WHERE customer_id IN (SELECT value FROM json_each(?))')
    .pluck();
  inChunks([...unknown], (json) => {
    for (const id of eventsOf.all(json)) danglingEvents.push(id as string);
  });
  danglingEvents.sort();
  const identity: IdentityNodes = {
    customerIds,
    partnerIds: partners.map((p) => p.id),
    partnerAccounts: partners.map((p) => p.accountId),
    customerNodeOf,
    phones,
    idNames,
    ip: ip.build(),
  };
  return { identity, sharedIps, danglingEvents };
}

/** The whole store for a full recompute, read by one connection (loadCore + loadIdentity). */
export function loadWorld(db: Db, asOf: number): World {
  return { ...loadCore(db, asOf), ...loadIdentity(db, asOf) };
}

/** The columns orderFromRow reads, in its order (`o.` prefixed for joins). */
const ORDER_COLS =
  'o.order_id, o.customer_id, o.product_line, o.billing, o.subscription, o.paid_fen, o.ordered_at';

/** An order (without refunds) from a row whose first columns are ORDER_COLS. */
function orderFromRow(o: unknown[]): OrderIn {
  return {
    id: o[0] as string,
    customerId: o[1] as string,
    productLine: o[2] as string,
    billing: o[3] as string,
    subscription: o[4] === 1,
    paidFen: o[5] as number,
    at: o[6] as number,
    refunds: [],
  };
}

/**
 * Customers with their events, orders and refunds, for a few same-person groups (incremental,
 * explain): batched lookups through the (customer_id, time) indexes, json_each keeping one
 * statement per table, refunds joined to their orders.
 */
export function loadCustomers(db: Db, ids: string[], asOf: number, rows?: CustomerRows) {
  const list = [...new Set(ids)].sort();
  const out: { row: WorldCustomer; events: EventIn[]; orders: OrderIn[]; manual: ManualIn[] }[] = [];
  if (list.length === 0) return out;
  const IN = 'IN (SELECT value FROM json_each(?))';
  const cust = db
    .prepare(`SELECT customer_id, subject_id, channel FROM customers WHERE customer_id ${IN}`)
    .raw(true);
  const ev = db
    .prepare(
      `SELECT customer_id, event_id, partner_id, kind, occurred_at FROM referral_events WHERE customer_id ${IN} AND occurred_at <= ? AND kind IN ('register', 'login')`,
    )
    .raw(true);
  const ord = db
    .prepare(
      `SELECT ${ORDER_COLS}, r.refund_id, r.kind, r.amount_fen, r.refunded_at
       FROM orders o LEFT JOIN refunds r ON r.order_id = o.order_id WHERE o.customer_id ${IN} AND o.ordered_at <= ?`,
    )
    .raw(true);
  const byId = new Map<
    string,
    { row: WorldCustomer; events: EventIn[]; orders: OrderIn[]; manual: ManualIn[] }
  >();
  for (let i = 0; i < list.length; i += 500) {
    const ids = list.slice(i, i + 500);
    const chunk = JSON.stringify(ids);
    // customer rows and events already read for these customers (CustomerRows) are not read again
    const cached = rows !== undefined && ids.every((id) => rows.has(id));
    const customerRows = cached
      ? ids.flatMap((id) => {
          const c = rows.customer(id);
          return c ? [[c[0], c[CUSTOMER_ROW.subject], c[CUSTOMER_ROW.channel]]] : [];
        })
      : (cust.all(chunk) as unknown[][]);
    for (const r of customerRows)
      byId.set(r[0] as string, {
        row: { id: r[0] as string, subjectId: r[1] as string | null, channel: r[2] as string | null },
        events: [],
        orders: [],
        manual: [],
      });
    const eventRows = cached
      ? ids.flatMap((id) =>
          rows
            .events(id)
            .filter((e) => (e[4] as number) <= asOf && (e[3] === 'register' || e[3] === 'login')),
        )
      : (ev.all(chunk, asOf) as unknown[][]);
    for (const e of eventRows) {
      byId.get(e[0] as string)?.events.push({
        id: e[1] as string,
        partnerId: e[2] as string,
        kind: e[3] as string,
        at: e[4] as number,
      });
    }
    const orderById = new Map<string, OrderIn>();
    for (const o of ord.all(chunk, asOf) as unknown[][]) {
      let order = orderById.get(o[0] as string);
      if (order === undefined) {
        const c = byId.get(o[1] as string);
        if (!c) continue;
        order = orderFromRow(o);
        c.orders.push(order);
        orderById.set(order.id, order);
      }
      if (o[7] !== null)
        order.refunds.push({
          id: o[7] as string,
          kind: o[8] as string,
          amountFen: o[9] as number,
          at: o[10] as number,
        });
    }
    // already in (time, dispute id) order
    for (const m of manualRows(db, asOf, chunk)) byId.get(m.customerId)?.manual.push(m.manual);
  }
  for (const id of list) {
    const c = byId.get(id);
    if (!c) continue;
    c.events.sort(cmpTimeId);
    c.orders.sort(cmpTimeId);
    for (const o of c.orders) o.refunds.sort(cmpTimeId);
    out.push(c);
  }
  return out;
}

/**
 * What the other accounts of a stored same-person group contribute to R-ORDER-1a / R-EXCL-1
 * before `at` (explain of one order, incremental recompute of a few accounts of a large group):
 * their earliest order with a paid amount on a rebate-eligible line, and their earliest such
 * order that is prepaid (the first "program" order and the first qualifying order), by
 * (time, id). No other order of theirs can change the status of the orders of `customerIds`.
 */
export function loadOthersFirstPaidOrders(
  db: Db,
  groupId: string,
  customerIds: string[],
  at: number,
): OrderIn[] {
  const q = db
    .prepare(
      `SELECT ${ORDER_COLS}
       FROM result_same_person m
       JOIN orders o ON o.customer_id = m.member_id
       JOIN product_lines p ON p.product_line = o.product_line AND p.rebate_eligible = 1
       WHERE m.group_id = ? AND m.member_kind = 'customer' AND m.member_id NOT IN (SELECT value FROM json_each(?))
         AND o.ordered_at <= ? AND o.paid_fen > 0`,
    )
    .raw(true);
  let program: OrderIn | null = null;
  let qualifying: OrderIn | null = null;
  for (const o of q.all(groupId, JSON.stringify(customerIds), at) as unknown[][]) {
    const order = orderFromRow(o);
    if (program === null || cmpTimeId(order, program) < 0) program = order;
    if (order.billing === 'prepaid' && (qualifying === null || cmpTimeId(order, qualifying) < 0))
      qualifying = order;
  }
  const out: OrderIn[] = [];
  if (program) out.push(program);
  if (qualifying && qualifying !== program) out.push(qualifying);
  return out;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The accounts seen on some IPs (R-SAME-1's IP evidence, whatever the marks): customers whose
 * registration IP or a referral event's IP it is, or whose account id logged in from it, and
 * partners whose account id logged in from it. Exact values: importers trim every cell. Through
 * the `ip` indexes of customers, referral_events and login_ips.
 */
export function accountsSeenOn(db: Db, ips: string[]): { customers: string[]; partners: string[] } {
  const customers = new Set<string>();
  const accounts = new Set<string>();
  const IN = 'IN (SELECT value FROM json_each(?))';
  const json = JSON.stringify([...new Set(ips)]);
  for (const id of db
    .prepare(`SELECT customer_id FROM customers WHERE registration_ip ${IN}`)
    .pluck()
    .all(json))
    customers.add(id as string);
  for (const id of db
    .prepare(
      `SELECT DISTINCT e.customer_id FROM referral_events e JOIN customers c ON c.customer_id = e.customer_id WHERE e.ip ${IN}`,
    )
    .pluck()
    .all(json))
    customers.add(id as string);
  for (const id of db.prepare(`SELECT DISTINCT account_id FROM login_ips WHERE ip ${IN}`).pluck().all(json))
    accounts.add(id as string);
  const partners: string[] = [];
  const customerQ = db.prepare(`SELECT customer_id FROM customers WHERE customer_id ${IN}`).pluck();
  inChunks([...accounts], (chunk) => {
    for (const id of customerQ.all(chunk)) customers.add(id as string);
  });
  // partners are few: their account ids are matched by one scan (no index on account_id)
  if (accounts.size > 0)
    for (const id of db
      .prepare(`SELECT partner_id FROM partners WHERE account_id ${IN}`)
      .pluck()
      .all(JSON.stringify([...accounts])))
      partners.push(id as string);
  return { customers: [...customers].sort(byText), partners: [...new Set(partners)].sort(byText) };
}

/** The columns of a customer row in CustomerRows (IDENTITY_COLS, then these). */
const CUSTOMER_ROW = { subject: 5, channel: 6 } as const;

/**
 * The customer rows and every referral event of some customers, read once: an IP decision's
 * regroup reads their identity (loadIdentityOf) and then evaluates their groups (loadCustomers)
 * from the same rows. Events are `[customer_id, event_id, partner_id, kind, occurred_at, ip]`.
 */
export interface CustomerRows {
  has(customerId: string): boolean;
  customer(customerId: string): unknown[] | undefined;
  events(customerId: string): unknown[][];
}

export function readCustomerRows(db: Db, customerIds: string[]): CustomerRows {
  const IN = 'IN (SELECT value FROM json_each(?))';
  const ids = [...new Set(customerIds)];
  const customers = new Map<string, unknown[]>();
  const events = new Map<string, unknown[][]>();
  const cust = db
    .prepare(`SELECT ${IDENTITY_COLS}, subject_id, channel FROM customers WHERE customer_id ${IN}`)
    .raw(true);
  const ev = db
    .prepare(
      `SELECT customer_id, event_id, partner_id, kind, occurred_at, ip FROM referral_events WHERE customer_id ${IN}`,
    )
    .raw(true);
  inChunks(ids, (json) => {
    for (const r of cust.all(json) as unknown[][]) customers.set(r[0] as string, r);
    for (const e of ev.all(json) as unknown[][]) {
      const list = events.get(e[0] as string);
      if (list) list.push(e);
      else events.set(e[0] as string, [e]);
    }
  });
  const asked = new Set(ids);
  return {
    has: (id) => asked.has(id),
    customer: (id) => customers.get(id),
    events: (id) => events.get(id) ?? [],
  };
}

/**
 * Same-person evidence of some accounts only (an IP decision's region, engine/regroup.ts): what
 * loadIdentity reads for them, numbered the same way (customers by id, then partners by id). Only
 * valid for a set of accounts that no evidence links to an account outside it.
 */
export function loadIdentityOf(
  db: Db,
  customerIds: string[],
  partnerIds: string[],
  rows: CustomerRows = readCustomerRows(db, customerIds),
): IdentityNodes {
  const IN = 'IN (SELECT value FROM json_each(?))';
  const cust = new Map<string, unknown[]>();
  for (const id of customerIds) {
    const r = rows.customer(id);
    if (r) cust.set(id, r);
  }
  const ids = [...cust.keys()].sort(byText);
  const partners = loadPartnersById(db, partnerIds);
  const nc = ids.length;
  const cIndex = new Map<string, number>();
  ids.forEach((id, i) => cIndex.set(id, i));
  const phones = new NodeValues(ids.length + partners.length);
  const idNames = new NodeValues(ids.length + partners.length);
  for (const id of ids) {
    const r = cust.get(id)!;
    phones.push(normalizePhone(r[2] as string | null));
    idNames.push(normalizeIdName(r[3] as string | null, r[1] as string | null));
  }
  for (const p of partners) {
    phones.push(normalizePhone(p.phone));
    idNames.push(normalizeIdName(p.idNumber, p.name));
  }
  const ip = new IpPairBuilder();
  ids.forEach((id, i) => {
    const reg = cust.get(id)![4] as string | null;
    if (reg) ip.add(i, reg);
  });
  const accountNodes = new Map<string, number[]>();
  partners.forEach((p, i) => {
    if (!p.accountId) return;
    const l = accountNodes.get(p.accountId) ?? [];
    l.push(nc + i);
    accountNodes.set(p.accountId, l);
  });
  const accounts = [...new Set([...ids, ...accountNodes.keys()])];
  const loginQ = db.prepare(`SELECT account_id, ip FROM login_ips WHERE account_id ${IN}`).raw(true);
  inChunks(accounts, (json) => {
    for (const [acc, v] of loginQ.all(json) as [string, string][]) {
      const ci = cIndex.get(acc);
      if (ci !== undefined) ip.add(ci, v);
      for (const n of accountNodes.get(acc) ?? []) ip.add(n, v);
    }
  });
  // every event's IP, in the order of the customers' events as stored (event id order)
  ids.forEach((id, i) => {
    for (const e of rows.events(id)) if (e[5]) ip.add(i, e[5] as string);
  });
  return {
    customerIds: ids,
    partnerIds: partners.map((p) => p.id),
    partnerAccounts: partners.map((p) => p.accountId),
    customerNodeOf: (id) => cIndex.get(id),
    phones,
    idNames,
    ip: ip.build(),
  };
}
