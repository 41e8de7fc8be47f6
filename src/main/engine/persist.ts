/**
 * SQLite-specific writing of engine results: prepared inserts inside one transaction
 * (delete + insert), so readers never see half a run. Inserts are batched into multi-row
 * `INSERT … VALUES (…), (…)` statements (one native call per batch instead of per row);
 * `flush()` writes what is pending and must run before anything reads or deletes those rows.
 */
import { CopyBuffer } from '../store/pg-sync/copy-buffer';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';

/** About this many bytes of rows per COPY round trip. */
const COPY_CHUNK = 1 << 20;
import { resetSpentAutovacuumSettings } from './pg-result-swap';
import { TeamFullWrite } from './pg-full-write';
import type { SqlPort, SqlStatement } from '../store/sql-port';
import { appendAuditSync } from '../audit/append';
import { withIndexBuildSettings } from './index-build';
import type { AuditInput } from '../audit/chain';
import { INVESTIGATION_COLS, INVESTIGATION_PARTNER_COLS } from '../rules/investigation';
import type {
  AttributionResult,
  ExpEntry,
  OrderResult,
  PartnerResult,
  PayoutRow,
  RebateResult,
} from '../rules/types';
import { ROW_HASH } from '../store/schema/row-hash.sql';

type Db = SqlPort;

export interface RunRecord {
  configVersion: number;
  asOf: number;
  mode: 'full' | 'incremental';
  startedAt: number;
  durationMs: number;
  stats: Record<string, unknown>;
  /** who asked for the run: an audit entry in the run's transaction (R-OP-2); none for the
   * recompute that follows an import or a decision (their own entry covers it) */
  audit?: AuditInput;
}

/** Every table a full recompute rewrites. */
export const RESULT_TABLES = [
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_levels',
  'result_same_person',
  'result_same_person_edges',
  'result_investigation',
  'result_investigation_partners',
];

/** The table each kind of result row goes to. */
export const RESULT_TABLE_OF: Record<ResultTable, string> = {
  attributions: 'result_attributions',
  orders: 'result_orders',
  experience: 'result_experience',
  partners: 'result_partners',
  payouts: 'result_payouts',
  levels: 'result_levels',
  members: 'result_same_person',
  edges: 'result_same_person_edges',
  investigation: 'result_investigation',
  investigationPartners: 'result_investigation_partners',
};

/** Rows of one result table, buffered and written in bulk. */
interface RowInsert {
  /** the values of one row, in column order (exactly as many as the table's columns given) */
  addRow(values: unknown[]): void;
  /** writes every pending row, and waits until they are written */
  flush(): void;
  /** writes (or sends down the connection) every pending row, without waiting */
  send(): void;
  /** the run failed: what was sent and not yet answered is no longer waited for */
  abandon(): void;
}

/** SQLite: a multi-row insert statement, `batch` rows at a time. */
class BatchInsert implements RowInsert {
  private readonly buf: unknown[];
  private n = 0;
  private readonly many: SqlStatement;
  private readonly one: SqlStatement;
  private readonly cols: number;
  private readonly batch: number;
  constructor(db: Db, table: string, columns: string[]) {
    this.cols = columns.length;
    this.batch = Math.max(1, Math.floor(2000 / this.cols));
    const head = `INSERT INTO ${table} (${columns.join(', ')})`;
    const tuple = `(${Array(this.cols).fill('?').join(', ')})`;
    this.many = db.prepare(`${head} VALUES ${Array(this.batch).fill(tuple).join(', ')}`);
    this.one = db.prepare(`${head} VALUES ${tuple}`);
    this.buf = new Array(this.batch * this.cols);
  }
  addRow(values: unknown[]): void {
    const base = this.n * this.cols;
    for (let i = 0; i < this.cols; i++) this.buf[base + i] = values[i];
    if (++this.n === this.batch) {
      this.many.run(this.buf);
      this.n = 0;
    }
  }
  flush(): void {
    for (let r = 0; r < this.n; r++) this.one.run(this.buf.slice(r * this.cols, (r + 1) * this.cols));
    this.n = 0;
  }
  send(): void {
    this.flush();
  }
  abandon(): void {
    this.n = 0;
  }
}

/**
 * A team database: COPY, about a megabyte of rows at a time, pipelined: the engine goes on
 * evaluating while the server takes the last megabytes (at most `window` in flight; a flush before
 * a read waits for them all, and a failed COPY's error is thrown there). A team database's own full
 * run allows more in flight (TEAM_RUN_WINDOW): its rows may wait on the connection behind the
 * reading of the stored rows or index builds, and it may send them elsewhere (`retarget`,
 * engine/pg-full-write.ts).
 */
export class CopyInsert implements RowInsert {
  // rows written straight into UTF-8 bytes, handed to the driver thread without a copy (no
  // string per row for the collector to copy, copy-buffer.ts)
  // (room for a chunk and the row that ends it, in a buffer a copy gave back where one has)
  private readonly data = new CopyBuffer(COPY_CHUNK + (64 << 10), (bytes) => this.port.spareBuffer(bytes));
  private readonly inFlight: number[] = [];
  /** rows sent so far */
  written = 0;
  /** COPY … FREEZE (a swapped table's new rows, pg-result-swap.ts) */
  private freeze = false;
  /** a diff's name: only the rows the stored ones do not match are copied (row-diff.ts) */
  private diff: string | undefined;
  constructor(
    private readonly port: PgSyncPort,
    private table: string,
    readonly columns: string[],
    private readonly window: number,
  ) {}
  /** Where and how the rows go from now on (before any is sent: a team database's own full run,
   * pg-full-write.ts). */
  retarget(table: string, how: { freeze?: boolean; diff?: string } = {}): void {
    this.table = table;
    this.freeze = how.freeze ?? false;
    this.diff = how.diff;
  }
  addRow(values: unknown[]): void {
    this.data.row(-1, values as (string | number | null)[], -1);
    if (this.data.length >= COPY_CHUNK) this.send();
  }
  send(): void {
    if (this.data.rows === 0) return;
    this.written += this.data.rows;
    this.inFlight.push(
      this.port.sendCopy(this.table, this.columns, this.data.take(), {
        freeze: this.freeze,
        diff: this.diff,
        // every row with its digest, for the next full run (store/schema/row-hash.sql.ts)
        digests: true,
      }),
    );
    while (this.inFlight.length > this.window) this.port.settle(this.inFlight.shift()!);
  }
  flush(): void {
    this.send();
    while (this.inFlight.length) this.port.settle(this.inFlight.shift()!);
  }
  abandon(): void {
    for (const id of this.inFlight.splice(0)) this.port.forget(id);
    this.data.clear();
  }
}

/**
 * What an update of a result row adds on a team database: its digest cleared, as the digest
 * trigger also does (store/schema/row-hash.sql.ts), so that a session whose triggers are off
 * (session_replication_role = replica) leaves no digest of what the row was; a store file has none.
 */
const clearDigest = (db: Db) => (db instanceof PgSyncPort ? `, ${ROW_HASH} = NULL` : '');

/** COPYs in flight per table: the usual, and a team database's own full run's (at most this many
 * megabytes each). */
const COPY_WINDOW = 2;
const TEAM_RUN_WINDOW = 48;

function rowInsert(db: Db, table: string, columns: string[], teamRun = false): RowInsert {
  return db instanceof PgSyncPort
    ? new CopyInsert(db, table, columns, teamRun ? TEAM_RUN_WINDOW : COPY_WINDOW)
    : new BatchInsert(db, table, columns);
}

/** The result tables a full recompute fills. */
export type ResultTable =
  | 'attributions'
  | 'orders'
  | 'experience'
  | 'partners'
  | 'payouts'
  | 'levels'
  | 'members'
  | 'edges'
  | 'investigation'
  | 'investigationPartners';

/**
 * Where a full recompute puts its result rows: a ResultWriter (this connection) or a writer in
 * another thread (rules/grouping.ts). Rows are built by the row builders below either way.
 */
export interface ResultSink {
  rows(table: ResultTable, row: unknown[]): void;
  /** writes (or sends) every pending row */
  flush(): void;
  /**
   * `tables` get no more rows in this run: a swapping run may build their indexes now (`alongside`:
   * while the engine has much left to do, so with one server process each)
   */
  done?(tables: ResultTable[], alongside?: boolean): void;
}

/** The rows of a partner result: its result_partners row and its result_payouts rows. */
export function partnerRows(sink: ResultSink, p: PartnerResult): void {
  sink.rows('partners', partnerRow(p));
  for (const r of p.payouts) sink.rows('payouts', payoutRow(r));
  for (const l of levelRows(p)) sink.rows('levels', l);
}

function orderReasons(o: OrderResult, r: RebateResult | undefined): string {
  const list = r && r.extraReasons.length > 0 ? [...o.reasons, ...r.extraReasons] : o.reasons;
  return list.length === 0 ? '[]' : JSON.stringify(list);
}

const IN_JSON = 'IN (SELECT value FROM json_each(?))';

function inJsonChunks(keys: string[], fn: (json: string) => void): void {
  for (let i = 0; i < keys.length; i += 500) fn(JSON.stringify(keys.slice(i, i + 500)));
}

// column lists of the result tables, in the order the row builders below produce them
const ATTR_COLS = [
  'event_id',
  'group_id',
  'partner_id',
  'customer_id',
  'kind',
  'from_at',
  'until_at',
  'locked',
  'status',
  'reasons_json',
];
const ORDER_COLS = [
  'order_id',
  'customer_id',
  'group_id',
  'partner_id',
  'status',
  'reasons_json',
  'ordered_at',
  'paid_fen',
  'net_fen',
  'clawed',
  'rebate_fen',
  'gross_rebate_fen',
  'capped_fen',
  'rebate_status',
  'experience',
  'level',
  'ratio_bp',
  'cycle_key',
  'confirm_at',
  'attribution_event_id',
  'clawed_at',
];
const EXP_COLS = ['group_id', 'partner_id', 'customer_id', 'order_id', 'at', 'delta', 'source_id'];
const PARTNER_COLS = [
  'partner_id',
  'experience',
  'level',
  'blacklisted',
  'pending_fen',
  'confirmed_fen',
  'frozen_fen',
  'negative_balance_fen',
  'risk_flag',
  'details_json',
  'risk_valid_orders',
  'risk_clawed_orders',
  'risk_rate_bp',
  'risk_status',
];
export const PAYOUT_COLS = [
  'partner_id',
  'cycle_key',
  'cycle_start',
  'cycle_end',
  'confirmed_fen',
  'paid_fen',
  'carried_fen',
  'amount_fen',
  'status',
];

export const LEVEL_COLS = ['partner_id', 'at', 'level', 'experience', 'source', 'override_id'];

function levelRows(p: PartnerResult): unknown[][] {
  return p.levels.map((l) => [p.partnerId, l.at, l.level, l.experience, l.source, l.overrideId]);
}

export function attributionRow(groupId: string, a: AttributionResult): unknown[] {
  return [
    a.eventId,
    groupId,
    a.partnerId,
    a.customerId,
    a.kind,
    a.from,
    a.until,
    a.locked ? 1 : 0,
    a.status,
    a.reasons.length === 0 ? '[]' : JSON.stringify(a.reasons),
  ];
}

export function orderRow(o: OrderResult, r: RebateResult | undefined): unknown[] {
  return [
    o.orderId,
    o.customerId,
    o.groupId,
    o.partnerId,
    o.status,
    orderReasons(o, r),
    o.at,
    o.paidFen,
    o.netFen,
    o.clawed ? 1 : 0,
    r?.rebateFen ?? 0,
    r?.grossFen ?? 0,
    r?.cappedFen ?? 0,
    r?.rebateStatus ?? null,
    o.experience,
    r?.level ?? null,
    r?.ratioBp ?? null,
    r?.cycleKey ?? null,
    r?.confirmAt ?? null,
    o.attributionEventId,
    o.clawedAt,
  ];
}

export function experienceRow(groupId: string, e: ExpEntry): unknown[] {
  return [groupId, e.partnerId, e.customerId, e.orderId, e.at, e.delta, e.sourceId];
}

function partnerRow(p: PartnerResult): unknown[] {
  return [
    p.partnerId,
    p.experience,
    p.level,
    p.blacklisted ? 1 : 0,
    p.pendingFen,
    p.confirmedFen,
    p.frozenFen,
    p.negativeBalanceFen,
    p.riskFlag ? 1 : 0,
    JSON.stringify({ risk: p.risk }),
    p.risk.validOrders,
    p.risk.clawedOrders,
    p.risk.rateBp,
    p.riskStatus,
  ];
}

function payoutRow(r: PayoutRow): unknown[] {
  return [
    r.partnerId,
    r.cycleKey,
    r.cycleStart,
    r.cycleEnd,
    r.confirmedFen,
    r.paidFen,
    r.carriedFen,
    r.amountFen,
    r.status,
  ];
}

export class ResultWriter implements ResultSink {
  private readonly insAttr;
  private readonly insOrder;
  private readonly insExp;
  private readonly insPartner;
  private readonly insPayout;
  private readonly insLevel;
  private readonly insMember;
  private readonly insEdge;
  private readonly insInvestigation;
  private readonly insInvestigationPartner;
  private readonly updRebate;
  private readonly byTable: Record<ResultTable, RowInsert>;
  /** the same, by table name */
  private readonly byName = new Map<string, RowInsert>();
  /** a team database's own full run: how it writes each table (engine/pg-full-write.ts) */
  private readonly team: TeamFullWrite | undefined;
  /**
   * `team`: a team database's own full run (not a decision's, which runs in its caller's
   * transaction), which writes what changed (engine/pg-full-write.ts); `swappable`: whether its
   * result tables may be swapped (pg-result-swap.ts canSwap).
   */
  constructor(
    private readonly db: Db,
    team?: { swappable: boolean },
  ) {
    const insert = (table: string, cols: string[]) => rowInsert(db, table, cols, team !== undefined);
    this.insAttr = insert('result_attributions', ATTR_COLS);
    this.insOrder = insert('result_orders', ORDER_COLS);
    this.insExp = insert('result_experience', EXP_COLS);
    this.insPartner = insert('result_partners', PARTNER_COLS);
    this.insPayout = insert('result_payouts', PAYOUT_COLS);
    this.insLevel = insert('result_levels', LEVEL_COLS);
    this.insMember = insert('result_same_person', ['member_kind', 'member_id', 'group_id']);
    this.insEdge = insert('result_same_person_edges', [
      'group_id',
      'a_kind',
      'a_id',
      'b_kind',
      'b_id',
      'evidence',
      'value',
    ]);
    this.insInvestigation = insert('result_investigation', [...INVESTIGATION_COLS]);
    this.insInvestigationPartner = insert('result_investigation_partners', [...INVESTIGATION_PARTNER_COLS]);
    this.updRebate = db.prepare(
      `UPDATE result_orders SET reasons_json = ?, rebate_fen = ?, gross_rebate_fen = ?, capped_fen = ?, rebate_status = ?,
         level = ?, ratio_bp = ?, cycle_key = ?, confirm_at = ?${clearDigest(db)} WHERE order_id = ?`,
    );
    this.byTable = {
      attributions: this.insAttr,
      orders: this.insOrder,
      experience: this.insExp,
      partners: this.insPartner,
      payouts: this.insPayout,
      levels: this.insLevel,
      members: this.insMember,
      edges: this.insEdge,
      investigation: this.insInvestigation,
      investigationPartners: this.insInvestigationPartner,
    };
    for (const [key, table] of Object.entries(RESULT_TABLE_OF))
      this.byName.set(table, this.byTable[key as ResultTable]);
    this.team =
      team && db instanceof PgSyncPort
        ? new TeamFullWrite(db, this.byName as Map<string, CopyInsert>, team.swappable)
        : undefined;
  }

  rows(table: ResultTable, row: unknown[]): void {
    this.byTable[table].addRow(row);
  }

  /** Rebate fields of a valid order whose group was not recomputed (incremental). */
  rebate(r: RebateResult, clawed: boolean): void {
    this.flush();
    const reasons = [...(clawed ? ['CLAWED_BACK'] : []), ...r.extraReasons];
    this.updRebate.run(
      JSON.stringify(reasons),
      r.rebateFen,
      r.grossFen,
      r.cappedFen,
      r.rebateStatus,
      r.level,
      r.ratioBp,
      r.cycleKey,
      r.confirmAt,
      r.orderId,
    );
  }

  /**
   * Incremental: makes the stored rows of `groupIds` equal to the fresh rows, writing only what
   * differs (rows by key for attributions and orders, whole groups for experience), so that an
   * import touching a thousand groups rewrites a few pages, not every index page of them.
   * `members`: the customers of each group (from the stored grouping). In a
   * partial group (`partial`: group → customers, recompute.ts PartialScope) only the rows of
   * those customers are compared and replaced.
   */
  syncGroups(
    groupIds: string[],
    members: Map<string, string[]>,
    fresh: { attributions: unknown[][]; orders: unknown[][]; experience: unknown[][] },
    partial: Map<string, Set<string>> = new Map(),
  ): void {
    this.flush();
    const whole = groupIds.filter((g) => !partial.has(g));
    // orders are found through their customers (result_orders has no group index)
    const orderCustomers = groupIds.flatMap((g) => {
      const only = partial.get(g);
      return only ? [...only] : (members.get(g) ?? []);
    });
    // a stored row of a partial group is in scope when its customer is one of the group's touched ones
    const inScope = (groupCol: number, customerCol: number) => (r: unknown[]) => {
      const only = partial.get(r[groupCol] as string);
      return only === undefined || only.has(r[customerCol] as string);
    };
    this.syncKeyed(
      'result_attributions',
      ATTR_COLS,
      1,
      [{ column: 'group_id', values: groupIds }],
      fresh.attributions,
      this.insAttr,
      inScope(1, 3),
    );
    this.syncKeyed(
      'result_orders',
      ORDER_COLS,
      1,
      [{ column: 'customer_id', values: orderCustomers }],
      fresh.orders,
      this.insOrder,
    );
    // experience rows have no key: a unit (a group, or a customer of a partial group) whose rows
    // differ in any way is rewritten
    const unitOf = (r: unknown[]) =>
      partial.has(r[0] as string) ? `${r[0] as string}\u0000${r[2] as string}` : (r[0] as string);
    const keep = inScope(0, 2);
    const stored = new Map<string, string[]>();
    const freshOf = new Map<string, unknown[][]>();
    for (const g of whole) {
      stored.set(g, []);
      freshOf.set(g, []);
    }
    for (const [g, only] of partial)
      for (const c of only) {
        stored.set(`${g}\u0000${c}`, []);
        freshOf.set(`${g}\u0000${c}`, []);
      }
    const q = this.db
      .prepare(`SELECT ${EXP_COLS.join(', ')} FROM result_experience WHERE group_id ${IN_JSON}`)
      .raw(true);
    inJsonChunks(groupIds, (json) => {
      for (const r of q.all(json) as unknown[][]) if (keep(r)) stored.get(unitOf(r))?.push(JSON.stringify(r));
    });
    for (const r of fresh.experience) freshOf.get(unitOf(r))!.push(r);
    const delGroup = this.db.prepare('DELETE FROM result_experience WHERE group_id = ?');
    const delCustomer = this.db.prepare(
      'DELETE FROM result_experience WHERE group_id = ? AND customer_id = ?',
    );
    for (const [unit, rows] of freshOf) {
      const before = stored.get(unit)!.sort();
      const after = rows.map((r) => JSON.stringify(r)).sort();
      if (before.length === after.length && before.every((x, i) => x === after[i])) continue;
      if (before.length > 0) {
        const [g, c] = unit.split('\u0000');
        if (c === undefined) delGroup.run(g);
        else delCustomer.run(g, c);
      }
      for (const r of rows) this.insExp.addRow(r);
    }
    this.flush();
  }

  /** Incremental: result_partners, result_payouts and result_levels of these partners, writing only what differs. */
  syncPartners(partners: PartnerResult[]): void {
    this.flush();
    const ids = partners.map((p) => p.partnerId);
    this.syncKeyed(
      'result_partners',
      PARTNER_COLS,
      1,
      [{ column: 'partner_id', values: ids }],
      partners.map(partnerRow),
      this.insPartner,
    );
    this.syncKeyed(
      'result_payouts',
      PAYOUT_COLS,
      2,
      [{ column: 'partner_id', values: ids }],
      partners.flatMap((p) => p.payouts.map(payoutRow)),
      this.insPayout,
    );
    this.syncKeyed(
      'result_levels',
      LEVEL_COLS,
      2,
      [{ column: 'partner_id', values: ids }],
      partners.flatMap(levelRows),
      this.insLevel,
    );
    this.flush();
  }

  /**
   * Rows of `table` in scope (whose column is one of the values of a scope, and that `keep`)
   * become `fresh` (rows in `cols` order, the key first, `keyLen` columns): unchanged rows are
   * left alone, changed ones deleted and inserted again, missing ones deleted.
   */
  private syncKeyed(
    table: string,
    cols: string[],
    keyLen: 1 | 2,
    scopes: { column: string; values: string[] }[],
    fresh: unknown[][],
    ins: RowInsert,
    keep: (row: unknown[]) => boolean = () => true,
  ): void {
    const keyOf = (r: unknown[]) =>
      keyLen === 1 ? (r[0] as string) : `${r[0] as string}\u0000${r[1] as string}`;
    const stored = new Map<string, unknown[]>();
    for (const { column, values } of scopes) {
      const q = this.db
        .prepare(`SELECT ${cols.join(', ')} FROM ${table} WHERE ${column} ${IN_JSON}`)
        .raw(true);
      inJsonChunks(values, (json) => {
        for (const r of q.all(json) as unknown[][]) if (keep(r)) stored.set(keyOf(r), r);
      });
    }
    const where = cols
      .slice(0, keyLen)
      .map((c) => `${c} = ?`)
      .join(' AND ');
    const del = this.db.prepare(`DELETE FROM ${table} WHERE ${where}`);
    for (const r of fresh) {
      const k = keyOf(r);
      const old = stored.get(k);
      if (old) {
        stored.delete(k);
        // a changed row is updated in place, only in the columns that differ: indexes on the
        // others are left alone (a regroup changes little more than group_id)
        const changed: number[] = [];
        for (let i = keyLen; i < r.length; i++) if (old[i] !== r[i]) changed.push(i);
        if (changed.length === 0) continue;
        this.update(table, cols, where, changed).run([...changed.map((i) => r[i]), ...r.slice(0, keyLen)]);
        continue;
      }
      ins.addRow(r);
    }
    for (const old of stored.values()) del.run(old.slice(0, keyLen));
  }

  private readonly updates = new Map<string, SqlStatement>();
  /** `UPDATE table SET <the changed columns> WHERE <key>`, prepared once per set of columns. */
  private update(table: string, cols: string[], where: string, changed: number[]): SqlStatement {
    const sig = `${table}:${changed.join(',')}`;
    let st = this.updates.get(sig);
    if (!st) {
      st = this.db.prepare(
        `UPDATE ${table} SET ${changed.map((i) => `${cols[i]} = ?`).join(', ')}${clearDigest(this.db)} WHERE ${where}`,
      );
      this.updates.set(sig, st);
    }
    return st;
  }

  /**
   * Incremental regroup (R-SAME-4, engine/regroup.ts): the stored same-person rows of `groupIds`
   * (the groups an IP decision can split or join) become `members` and `edges` (the rows of the
   * groups the region forms now, in the column order of a full run).
   */
  replaceSamePerson(
    groupIds: string[],
    members: unknown[][],
    edges: unknown[][],
    /** the stored member rows of `groupIds` (kind, id, group), when the caller has read them */
    storedMembers?: [string, string, string][],
  ): void {
    this.flush();
    // members by key: unchanged ones stay, moved ones are updated, ones now alone are removed
    const stored = new Map<string, string>();
    const storedEdges = new Set<string>();
    const memberQ = this.db
      .prepare(`SELECT member_kind, member_id, group_id FROM result_same_person WHERE group_id ${IN_JSON}`)
      .raw(true);
    const edgeQ = this.db
      .prepare(
        `SELECT group_id, a_kind, a_id, b_kind, b_id, evidence, value FROM result_same_person_edges WHERE group_id ${IN_JSON}`,
      )
      .raw(true);
    for (const [kind, id, g] of storedMembers ?? []) stored.set(`${kind}\u0000${id}`, g);
    if (!storedMembers)
      inJsonChunks(groupIds, (json) => {
        for (const [kind, id, g] of memberQ.all(json) as string[][]) stored.set(`${kind}\u0000${id}`, g);
      });
    // edges carry their group: those of a stored group whose id no fresh row has all go, unread;
    // only groups whose id remains are compared edge by edge
    const freshGroups = new Set<unknown>([...members.map((r) => r[2]), ...edges.map((r) => r[0])]);
    const dropGroup = this.db.prepare(`DELETE FROM result_same_person_edges WHERE group_id ${IN_JSON}`);
    inJsonChunks(
      groupIds.filter((g) => !freshGroups.has(g)),
      (json) => dropGroup.run(json),
    );
    inJsonChunks(
      groupIds.filter((g) => freshGroups.has(g)),
      (json) => {
        for (const r of edgeQ.all(json) as string[][]) storedEdges.add(JSON.stringify(r));
      },
    );
    const move = this.db.prepare(
      `UPDATE result_same_person SET group_id = ?${clearDigest(this.db)} WHERE member_kind = ? AND member_id = ?`,
    );
    const drop = this.db.prepare('DELETE FROM result_same_person WHERE member_kind = ? AND member_id = ?');
    for (const r of members) {
      const k = `${r[0] as string}\u0000${r[1] as string}`;
      const g = stored.get(k);
      stored.delete(k);
      if (g === r[2]) continue;
      if (g === undefined) this.insMember.addRow(r);
      else move.run(r[2], r[0], r[1]);
    }
    for (const k of stored.keys()) drop.run(k.split('\u0000'));
    // edges have no key: the ones no longer there are removed, the new ones added
    const dropEdge = this.db.prepare(
      `DELETE FROM result_same_person_edges WHERE group_id = ? AND a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?
         AND evidence = ? AND value = ?`,
    );
    for (const r of edges) {
      const k = JSON.stringify(r);
      if (storedEdges.delete(k)) continue;
      this.insEdge.addRow(r);
    }
    for (const k of storedEdges) dropEdge.run(JSON.parse(k) as string[]);
    this.flush();
  }

  /** Incremental: the queue rows of `groupIds` (rules/investigation.ts) become `rows` and `partners`. */
  replaceInvestigation(groupIds: string[], rows: unknown[][], partners: unknown[][]): void {
    this.flush();
    // only what differs is written (syncKeyed): an import of new orders changes a queued group's
    // stake, seldom who is in it, so its partner rows and their indexes are mostly left alone
    const scope = [{ column: 'group_id', values: groupIds }];
    this.syncKeyed('result_investigation', [...INVESTIGATION_COLS], 1, scope, rows, this.insInvestigation);
    this.syncKeyed(
      'result_investigation_partners',
      [...INVESTIGATION_PARTNER_COLS],
      2,
      scope,
      partners,
      this.insInvestigationPartner,
    );
    this.flush();
  }

  /**
   * Writes every pending row (before reading, deleting or updating result rows). A team
   * database's own full run sends them down the connection without waiting: nothing reads what it
   * writes before its end, which waits for every row (createIndexes).
   */
  flush(): void {
    for (const b of Object.values(this.byTable)) {
      if (this.team) b.send();
      else b.flush();
    }
  }

  /**
   * A team database's own full run: `tables` are complete, their changes are made or their keys
   * and indexes built meanwhile (`alongside` the engine's evaluation: one server process each,
   * engine/pg-full-write.ts).
   */
  done(tables: ResultTable[], alongside = true): void {
    this.team?.done(
      tables.map((t) => RESULT_TABLE_OF[t]),
      alongside,
    );
  }

  /**
   * A team database, a run that writes results in place (incremental, a decision's): the
   * autovacuum thresholds a full run raised go back to the defaults once spent
   * (pg-result-swap.ts). In the run's transaction; nothing on a store file.
   */
  restoreAutovacuumDefaults(): void {
    if (this.db instanceof PgSyncPort) resetSpentAutovacuumSettings(this.db, RESULT_TABLES);
  }

  /** The run failed (its caller rolls back): replies still due are dropped as they come. */
  abandon(): void {
    for (const b of Object.values(this.byTable)) b.abandon();
    this.team?.abandon();
  }

  /** Before a full run's rows: the tables emptied (a team database's own run: see TeamFullWrite). */
  clearAll(): void {
    this.flush();
    if (this.team) this.team.begin();
    else for (const t of RESULT_TABLES) this.db.exec(`DELETE FROM ${t}`);
  }

  /**
   * Bulk mode for a full recompute: indexes of the result tables are dropped before the inserts
   * and rebuilt after (one sort per index instead of a b-tree update per row).
   */
  dropIndexes(): string[] {
    this.flush();
    // a team database keeps them: dropping an index locks its table against the other desks'
    // readers until the commit, where rewriting results under MVCC lets them read the last results
    if (this.db instanceof PgSyncPort) return [];
    const defs = this.db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND (tbl_name LIKE 'result\\_%' ESCAPE '\\') ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const names = this.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND (tbl_name LIKE 'result\\_%' ESCAPE '\\') ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const n of names) this.db.exec(`DROP INDEX ${n}`);
    return defs;
  }

  createIndexes(defs: string[]): void {
    this.flush();
    // a store file's sorter writes small runs on two threads where it can (index-build.ts)
    if (this.db instanceof PgSyncPort || defs.length === 0) for (const d of defs) this.db.exec(d);
    else withIndexBuildSettings(this.db, () => defs.forEach((d) => this.db.exec(d)));
    // a team database plans its queries from statistics: after every result row was rewritten,
    // they are taken again (sampled; the lookups and lists would otherwise plan for the old rows);
    // its own full run takes them of the tables it rebuilt or changed much (TeamFullWrite)
    if (this.team) this.team.finish();
    else if (this.db instanceof PgSyncPort) this.db.query(`ANALYZE ${RESULT_TABLES.join(', ')}`);
  }

  run(r: RunRecord): number {
    this.flush();
    const info = this.db
      .prepare(
        'INSERT INTO engine_runs (config_version, as_of, mode, started_at, duration_ms, stats_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(r.configVersion, r.asOf, r.mode, r.startedAt, r.durationMs, JSON.stringify(r.stats));
    const runId = Number(info.lastInsertRowid);
    if (r.audit)
      appendAuditSync(this.db, {
        ...r.audit,
        after: {
          runId,
          mode: r.mode,
          asOf: r.asOf,
          configVersion: r.configVersion,
          durationMs: r.durationMs,
        },
      });
    return runId;
  }
}
