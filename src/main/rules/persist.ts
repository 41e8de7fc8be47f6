/**
 * SQLite-specific writing of engine results: prepared inserts inside one transaction
 * (delete + insert), so readers never see half a run.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AttributionResult, ExpEntry, OrderResult, PartnerResult, RebateResult } from './types';

type Db = BetterSqlite3.Database;

export interface SamePersonRows {
  members: { kind: 'partner' | 'customer'; id: string; groupId: string }[];
  edges: {
    groupId: string;
    aKind: string;
    aId: string;
    bKind: string;
    bId: string;
    evidence: string;
    value: string;
  }[];
}

export interface RunRecord {
  configVersion: number;
  asOf: number;
  mode: 'full' | 'incremental';
  startedAt: number;
  durationMs: number;
  stats: Record<string, unknown>;
}

function orderReasons(o: OrderResult, r: RebateResult | undefined): string {
  const list = r && r.extraReasons.length > 0 ? [...o.reasons, ...r.extraReasons] : o.reasons;
  return list.length === 0 ? '[]' : JSON.stringify(list);
}

export class ResultWriter {
  private readonly insAttr;
  private readonly insOrder;
  private readonly insExp;
  private readonly insPartner;
  private readonly insPayout;
  private readonly insMember;
  private readonly insEdge;
  private readonly updRebate;
  constructor(private readonly db: Db) {
    this.insAttr = db.prepare(
      `INSERT INTO result_attributions (event_id, group_id, partner_id, customer_id, kind, from_at, until_at, locked, status, reasons_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insOrder = db.prepare(
      `INSERT INTO result_orders (order_id, customer_id, group_id, partner_id, status, reasons_json, ordered_at, paid_fen, net_fen,
         clawed, rebate_fen, gross_rebate_fen, capped_fen, rebate_status, experience, level, ratio_bp, cycle_key, confirm_at,
         attribution_event_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insExp = db.prepare(
      `INSERT INTO result_experience (group_id, partner_id, customer_id, order_id, at, delta, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insPartner = db.prepare(
      `INSERT INTO result_partners (partner_id, experience, level, blacklisted, pending_fen, confirmed_fen, frozen_fen,
         negative_balance_fen, risk_flag, details_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insPayout = db.prepare(
      `INSERT INTO result_payouts (partner_id, cycle_key, cycle_start, cycle_end, confirmed_fen, paid_fen, carried_fen, amount_fen, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insMember = db.prepare(
      `INSERT INTO result_same_person (member_kind, member_id, group_id) VALUES (?, ?, ?)`,
    );
    this.insEdge = db.prepare(
      `INSERT INTO result_same_person_edges (group_id, a_kind, a_id, b_kind, b_id, evidence, value) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updRebate = db.prepare(
      `UPDATE result_orders SET reasons_json = ?, rebate_fen = ?, gross_rebate_fen = ?, capped_fen = ?, rebate_status = ?,
         level = ?, ratio_bp = ?, cycle_key = ?, confirm_at = ? WHERE order_id = ?`,
    );
  }

  attribution(groupId: string, a: AttributionResult): void {
    this.insAttr.run(
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
    );
  }

  order(o: OrderResult, r: RebateResult | undefined): void {
    this.insOrder.run(
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
    );
  }

  /** Rebate fields of a valid order whose group was not recomputed (incremental). */
  rebate(r: RebateResult, clawed: boolean): void {
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

  experience(groupId: string, e: ExpEntry): void {
    this.insExp.run(groupId, e.partnerId, e.customerId, e.orderId, e.at, e.delta, e.sourceId);
  }

  partner(p: PartnerResult): void {
    this.insPartner.run(
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
    );
    for (const r of p.payouts) {
      this.insPayout.run(
        r.partnerId,
        r.cycleKey,
        r.cycleStart,
        r.cycleEnd,
        r.confirmedFen,
        r.paidFen,
        r.carriedFen,
        r.amountFen,
        r.status,
      );
    }
  }

  samePerson(rows: SamePersonRows): void {
    for (const m of rows.members) this.insMember.run(m.kind, m.id, m.groupId);
    for (const e of rows.edges)
      this.insEdge.run(e.groupId, e.aKind, e.aId, e.bKind, e.bId, e.evidence, e.value);
  }

  clearAll(): void {
    for (const t of [
      'result_attributions',
      'result_orders',
      'result_experience',
      'result_partners',
      'result_payouts',
      'result_same_person',
      'result_same_person_edges',
    ]) {
      this.db.exec(`DELETE FROM ${t}`);
    }
  }

  /**
   * Bulk mode for a full recompute: indexes of the result tables are dropped before the inserts
   * and rebuilt after (one sort per index instead of a b-tree update per row).
   */
  dropIndexes(): string[] {
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
    for (const d of defs) this.db.exec(d);
  }

  clearGroups(groupIds: string[]): void {
    const stmts = ['result_attributions', 'result_orders', 'result_experience'].map((t) =>
      this.db.prepare(`DELETE FROM ${t} WHERE group_id = ?`),
    );
    for (const g of groupIds) for (const s of stmts) s.run(g);
  }

  clearPartners(partnerIds: string[]): void {
    const a = this.db.prepare('DELETE FROM result_partners WHERE partner_id = ?');
    const b = this.db.prepare('DELETE FROM result_payouts WHERE partner_id = ?');
    for (const p of partnerIds) {
      a.run(p);
      b.run(p);
    }
  }

  run(r: RunRecord): number {
    const info = this.db
      .prepare(
        'INSERT INTO engine_runs (config_version, as_of, mode, started_at, duration_ms, stats_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(r.configVersion, r.asOf, r.mode, r.startedAt, r.durationMs, JSON.stringify(r.stats));
    return Number(info.lastInsertRowid);
  }
}
