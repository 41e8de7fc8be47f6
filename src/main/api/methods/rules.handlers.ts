import { refreshTrends } from '../../dashboard/trends';
import { explainOrder, ExplainError } from '../../explain/explain-order';
import { maskEvidence } from '../../explain/mask';
import { searchOrders, searchPartners } from '../../lookup/search';
import { lastRun, type RunSummary } from '../../engine/recompute';
import { runEngine } from '../../engine/run-engine';
import { parseInstant } from '../../rules/time';
import type { Store } from '../../store/open-store';
import { actorOf } from '../context';
import type { HandlersOf } from '../handler-types';
import { ApiError } from '../errors';
import type { EngineRunInfo, OrderResultRow, rulesContract } from './rules.contract';

const runInfo = (store: Store, r: RunSummary): EngineRunInfo => ({
  runId: r.runId,
  mode: r.mode,
  startedAt: store.sqlite
    .prepare('SELECT started_at FROM engine_runs WHERE run_id = ?')
    .pluck()
    .get(r.runId) as number,
  asOf: r.asOf,
  configVersion: r.configVersion,
  durationMs: r.durationMs,
  stats: r.stats as unknown as Record<string, unknown>,
});

export const rulesHandlers: HandlersOf<typeof rulesContract> = {
  'engine.recompute': async (ctx, input) => {
    let asOf: number | undefined;
    if (input.asOf !== undefined) {
      const v = parseInstant(input.asOf);
      if (v === null)
        throw new ApiError('INVALID_AS_OF', `Cannot read the time "${input.asOf}"`, { asOf: input.asOf });
      asOf = v;
    }
    const r = await runEngine(
      ctx.store,
      { kind: 'full', asOf, audit: { actor: actorOf(ctx), action: 'engine.recompute', entity: 'store' } },
      { storeOptions: ctx.storeOptions },
    );
    // the dashboard's weekly trends of this run, kept with the results (dashboard/trends.ts)
    await refreshTrends(ctx.store.db).catch(() => undefined);
    return runInfo(ctx.store, r);
  },
  'engine.recomputeIncremental': async (ctx, input) =>
    runInfo(
      ctx.store,
      await runEngine(
        ctx.store,
        {
          kind: 'incremental',
          scope: input,
          audit: { actor: actorOf(ctx), action: 'engine.recompute', entity: 'store' },
        },
        { storeOptions: ctx.storeOptions },
      ),
    ),
  'engine.lastRun': async (ctx) => {
    const last = lastRun(ctx.store.sqlite);
    if (!last) return null;
    const r = ctx.store.sqlite
      .prepare(
        'SELECT run_id, mode, started_at, as_of, config_version, duration_ms, stats_json FROM engine_runs WHERE run_id = ?',
      )
      .get(last.runId) as {
      run_id: number;
      mode: 'full' | 'incremental';
      started_at: number;
      as_of: number;
      config_version: number;
      duration_ms: number;
      stats_json: string;
    };
    return {
      runId: r.run_id,
      mode: r.mode,
      startedAt: r.started_at,
      asOf: r.as_of,
      configVersion: r.config_version,
      durationMs: r.duration_ms,
      stats: JSON.parse(r.stats_json),
    };
  },
  'orders.explain': async (ctx, input) => {
    try {
      return explainOrder(ctx.store.sqlite, input.orderId, input.lang, {
        mask: actorOf(ctx).role === 'support',
      });
    } catch (e) {
      if (e instanceof ExplainError) throw new ApiError(e.code, e.message, { orderId: input.orderId });
      throw e;
    }
  },
  'orders.search': async (ctx, input) =>
    searchOrders(ctx.store.db, input, actorOf(ctx).role === 'support') as Promise<{
      rows: OrderResultRow[];
      total: number;
      totalIsLowerBound: boolean;
    }>,
  'partners.search': async (ctx, input) =>
    searchPartners(ctx.store.db, input.query, actorOf(ctx).role === 'support'),
  'partners.get': async (ctx, input) => {
    const db = ctx.store.sqlite;
    const p = db.prepare('SELECT * FROM result_partners WHERE partner_id = ?').get(input.partnerId) as
      | {
          partner_id: string;
          experience: number;
          level: string;
          blacklisted: number;
          pending_fen: number;
          confirmed_fen: number;
          frozen_fen: number;
          negative_balance_fen: number;
          risk_flag: number;
          details_json: string;
        }
      | undefined;
    if (!p)
      throw new ApiError('PARTNER_NOT_FOUND', `No results for partner ${input.partnerId}`, {
        partnerId: input.partnerId,
      });
    const details = JSON.parse(p.details_json) as { risk?: { validOrders: number; clawedOrders: number } };
    return {
      partner_id: p.partner_id,
      experience: p.experience,
      level: p.level,
      blacklisted: p.blacklisted === 1,
      pending_fen: p.pending_fen,
      confirmed_fen: p.confirmed_fen,
      frozen_fen: p.frozen_fen,
      negative_balance_fen: p.negative_balance_fen,
      risk_flag: p.risk_flag === 1,
      risk: details.risk ?? null,
      payouts: db
        .prepare(
          'SELECT cycle_key, cycle_start, cycle_end, confirmed_fen, paid_fen, carried_fen, amount_fen, status FROM result_payouts WHERE partner_id = ? ORDER BY cycle_start, cycle_key',
        )
        .all(input.partnerId) as never,
      experienceEntries: db
        .prepare(
          'SELECT at, delta, customer_id, order_id, source_id FROM result_experience WHERE partner_id = ? ORDER BY at, order_id, source_id',
        )
        .all(input.partnerId) as never,
    };
  },
  'sameperson.group': async (ctx, input) => {
    const db = ctx.store.sqlite;
    let groupId = input.groupId;
    if (!groupId) {
      const kind = input.customerId ? 'customer' : input.partnerId ? 'partner' : null;
      const id = input.customerId ?? input.partnerId;
      if (!kind || !id) throw new ApiError('INVALID_INPUT', 'groupId, customerId or partnerId is required');
      groupId =
        (db
          .prepare('SELECT group_id FROM result_same_person WHERE member_kind = ? AND member_id = ?')
          .pluck()
          .get(kind, id) as string | undefined) ?? `${kind}:${id}`;
    }
    const members = db
      .prepare(
        'SELECT member_kind AS kind, member_id AS id FROM result_same_person WHERE group_id = ? ORDER BY member_kind, member_id',
      )
      .all(groupId) as { kind: 'partner' | 'customer'; id: string }[];
    const edges = db
      .prepare(
        'SELECT a_kind, a_id, b_kind, b_id, evidence, value FROM result_same_person_edges WHERE group_id = ? ORDER BY a_kind, a_id, b_kind, b_id, evidence, value',
      )
      .all(groupId) as SamePersonEdgeRow[];
    if (members.length === 0) {
      const [kind, ...rest] = groupId.split(':');
      if (kind === 'customer' || kind === 'partner') members.push({ kind, id: rest.join(':') });
    }
    // support sees evidence masked (138****0001); admins and finance in full
    if (actorOf(ctx).role === 'support') for (const e of edges) e.value = maskEvidence(e.evidence, e.value);
    return { groupId, members, edges };
  },
};

type SamePersonEdgeRow = {
  a_kind: string;
  a_id: string;
  b_kind: string;
  b_id: string;
  evidence: string;
  value: string;
};
