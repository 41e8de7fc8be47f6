/**
 * One engine code path for a decision and its what-if (R-OP-2, R-OP-3): in one transaction on
 * its own connection, the decision's rows are written, its audit entry appended, and the engine
 * recomputes what the decision can change (incrementally, or in full); the result rows it
 * changes are captured (capture.ts). A what-if then rolls everything back and reports the
 * changes; an applied decision commits them. So a what-if shows exactly what applying does.
 */
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import { lastRun, recomputeFull, recomputeIncremental, type RunSummary } from './recompute';
import { openStore, type OpenStoreOptions, type Store } from '../store/open-store';
import {
  capturedChanges,
  completeSnapshot,
  installCapture,
  removeCapture,
  snapshotCapture,
  type RowChange,
} from './capture';
import { changeHandlers, type Change } from './changes';
import type { DecisionOutcome, OrderChange, OrderState, PartnerState } from './decision-types';

export type { DecisionOutcome };

export interface DecisionJob {
  change: Change;
  actor: Actor;
  /** R-OP-2: every decision has its reason */
  reason: string;
  /** R-OP-3: the instant the decision takes effect from (default: when it is recorded) */
  effectiveAt: number;
  recordedAt: number;
  /** false: a what-if (nothing is kept) */
  commit: boolean;
  /** at most this many orders / partners listed (the totals count them all) */
  limit?: number;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const orderState = (r: Record<string, string | number | null> | null): OrderState | null =>
  r && {
    partnerId: (r.partner_id as string | null) ?? null,
    status: r.status as string,
    reasons: JSON.parse((r.reasons_json as string) ?? '[]') as string[],
    rebateFen: num(r.rebate_fen),
    rebateStatus: (r.rebate_status as string | null) ?? null,
    level: (r.level as string | null) ?? null,
    ratioBp: (r.ratio_bp as number | null) ?? null,
    cycleKey: (r.cycle_key as string | null) ?? null,
  };
const partnerState = (r: Record<string, string | number | null> | null): PartnerState | null =>
  r && {
    level: r.level as string,
    experience: num(r.experience),
    blacklisted: r.blacklisted === 1,
    pendingFen: num(r.pending_fen),
    confirmedFen: num(r.confirmed_fen),
    frozenFen: num(r.frozen_fen),
    negativeBalanceFen: num(r.negative_balance_fen),
    riskFlag: r.risk_flag === 1,
    riskStatus: (r.risk_status as string | null) ?? null,
  };
const eventState = (r: Record<string, string | number | null> | null) =>
  r && { status: r.status as string, reasons: JSON.parse((r.reasons_json as string) ?? '[]') as string[] };

function summarize(orderRows: RowChange[], limit: number) {
  const orders = orderRows.map((c) => ({
    orderId: c.key.order_id as string,
    customerId: ((c.after ?? c.before)?.customer_id as string) ?? '',
    before: orderState(c.before),
    after: orderState(c.after),
  }));
  const cycles = new Map<string, { beforeFen: number; afterFen: number }>();
  const money = new Map<string, { beforeFen: number; afterFen: number }>();
  const add = <K>(
    m: Map<K, { beforeFen: number; afterFen: number }>,
    k: K | null | undefined,
    side: 'beforeFen' | 'afterFen',
    fen: number,
  ) => {
    if (k === null || k === undefined || fen === 0) return;
    const e = m.get(k) ?? { beforeFen: 0, afterFen: 0 };
    e[side] += fen;
    m.set(k, e);
  };
  for (const o of orders) {
    add(cycles, o.before?.cycleKey, 'beforeFen', o.before?.rebateFen ?? 0);
    add(cycles, o.after?.cycleKey, 'afterFen', o.after?.rebateFen ?? 0);
    add(money, o.before?.partnerId, 'beforeFen', o.before?.rebateFen ?? 0);
    add(money, o.after?.partnerId, 'afterFen', o.after?.rebateFen ?? 0);
  }
  // the largest changes of money first, then by id
  const delta = (o: OrderChange) => Math.abs((o.after?.rebateFen ?? 0) - (o.before?.rebateFen ?? 0));
  orders.sort((a, b) => delta(b) - delta(a) || (a.orderId < b.orderId ? -1 : 1));
  return {
    orders: { total: orders.length, rows: orders.slice(0, limit) },
    cycles: [...cycles]
      .map(([cycleKey, v]) => ({ cycleKey, ...v }))
      .sort((a, b) => (a.cycleKey < b.cycleKey ? -1 : 1)),
    money: [...money]
      .map(([partnerId, v]) => ({ partnerId, ...v }))
      .filter((m) => m.beforeFen !== m.afterFen)
      .sort(
        (a, b) =>
          Math.abs(b.afterFen - b.beforeFen) - Math.abs(a.afterFen - a.beforeFen) ||
          (a.partnerId < b.partnerId ? -1 : 1),
      ),
  };
}

/** Runs a decision (or its what-if) on a store connection of its own. */
export async function runDecision(store: Store, job: DecisionJob): Promise<DecisionOutcome> {
  const started = performance.now();
  const handler = changeHandlers[job.change.kind];
  const sqlite = store.sqlite;
  let outcome: DecisionOutcome | null = null;
  // this connection is the decision's alone (runDecisionOnFile, or the engine worker's): its Kysely
  // queries and the engine's statements all run inside this one transaction, write lock taken
  // before any read
  const trx = store.db;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    {
      const applied = await handler.apply(trx, job.change as never, job);
      // the decision's own rows are written: from here on, every result row the run changes is kept
      // (link events only for an incremental run; a full one rewrites them all, and is compared
      // with a copy of the rows before it rather than followed row by row)
      const full = applied.scope === 'full';
      if (full) snapshotCapture(sqlite, ['attributions']);
      else installCapture(sqlite);
      const entry = await appendAudit(
        trx,
        {
          actor: job.actor,
          action: applied.action,
          entity: applied.entity,
          entityId: applied.entityId,
          reason: job.reason,
          effectiveAt: job.effectiveAt,
          before: applied.before,
          after: applied.after,
        },
        job.recordedAt,
      );
      let run: RunSummary | null = null;
      // R-RECALC-1: the results follow the decision; the engine's as-of is its last run's
      // (R-OP-3: a decision effective after it changes nothing until a later as-of)
      const hasRun = sqlite.prepare('SELECT 1 FROM engine_runs LIMIT 1').get() !== undefined;
      if (hasRun)
        run =
          applied.scope === 'full'
            ? recomputeFull(store, { asOf: lastRun(sqlite)!.asOf })
            : recomputeIncremental(store, applied.scope);
      if (full) completeSnapshot(sqlite, ['attributions']);
      const limit = job.limit ?? Number.MAX_SAFE_INTEGER;
      const s = summarize(capturedChanges(sqlite, 'orders'), limit);
      const partnerRows = capturedChanges(sqlite, 'partners').map((c) => ({
        partnerId: c.key.partner_id as string,
        before: partnerState(c.before),
        after: partnerState(c.after),
      }));
      const eventRows = capturedChanges(sqlite, 'attributions').map((c) => ({
        eventId: c.key.event_id as string,
        customerId: ((c.after ?? c.before)?.customer_id as string) ?? '',
        partnerId: ((c.after ?? c.before)?.partner_id as string) ?? '',
        before: eventState(c.before),
        after: eventState(c.after),
      }));
      outcome = {
        committed: job.commit,
        auditId: entry.audit_id,
        applied:
          applied.after && typeof applied.after === 'object'
            ? (applied.after as Record<string, unknown>)
            : {},
        run: run && {
          mode: run.mode,
          asOf: run.asOf,
          configVersion: run.configVersion,
          fallback: run.stats.fallback,
        },
        orders: s.orders,
        partners: { total: partnerRows.length, rows: partnerRows.slice(0, limit) },
        events: { total: eventRows.length, rows: eventRows.slice(0, limit) },
        cycles: s.cycles,
        money: s.money,
        members: capturedChanges(sqlite, 'members').map((c) => ({
          kind: c.key.member_kind as string,
          id: c.key.member_id as string,
          beforeGroup: (c.before?.group_id as string | null) ?? null,
          afterGroup: (c.after?.group_id as string | null) ?? null,
        })),
        durationMs: 0,
      };
      removeCapture(sqlite);
    }
    sqlite.exec(job.commit ? 'COMMIT' : 'ROLLBACK');
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    removeCapture(sqlite);
    throw e;
  }
  const out = outcome as DecisionOutcome | null;
  if (!out) throw new Error('the decision run produced no outcome');
  out.durationMs = performance.now() - started;
  return out;
}

/** A decision on a fresh connection to the store's file (never the caller's: see runDecision). */
export async function runDecisionOnFile(
  file: string,
  job: DecisionJob,
  options?: OpenStoreOptions,
): Promise<DecisionOutcome> {
  const store = openStore(file, options);
  try {
    return await runDecision(store, job);
  } finally {
    await store.close();
  }
}
