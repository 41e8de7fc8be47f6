/**
 * 黑名单 and 风险复核 (#/blacklist): entries with the amount frozen now, a partner's history, adding
 * (reason, effective time, restrict promotion or not) and lifting after a preview by the real
 * engine (R-BL-1..3, R-OP-1..3); partners flagged by R-CLAW-4 with their refunds over the window,
 * decided as blacklist or dismiss. Flags never blacklist by themselves. No Node imports.
 */
import { z } from 'zod';
import type { DecisionOutcome } from '../../engine/decision-types';
import { ADMINS, method, READERS } from '../define';
import { effectiveAt, idField, reason, reportLimit } from '../fields';

export type BlacklistStatus = 'active' | 'scheduled' | 'lifted';

export interface BlacklistRow {
  entryId: number;
  partnerId: string;
  partnerName: string | null;
  reason: string;
  addedBy: string;
  /** effective instant (R-OP-3): in force from here */
  since: number;
  recordedAt: number;
  /** effective instant of the lift: in force until here */
  until: number | null;
  liftedBy: string | null;
  liftReason: string | null;
  liftRecordedAt: number | null;
  restrictPromotion: boolean;
  /** now (the clock): in force, not yet in force, or lifted */
  status: BlacklistStatus;
  /** the partner's frozen rebates in the latest results, on the entry in force (0 otherwise) */
  frozenFen: number;
}

export interface RiskDecisionView {
  decisionId: number;
  partnerId: string;
  decision: 'blacklist' | 'dismiss';
  reason: string;
  decidedBy: string;
  effectiveAt: number;
  recordedAt: number;
  blacklistEntryId: number | null;
  /** dismiss: only a clawback dated after this instant flags the partner again (R-CLAW-4) */
  reflagAfter: number | null;
}

export interface BlacklistHistory {
  partnerId: string;
  partnerName: string | null;
  /** in the latest results */
  blacklisted: boolean;
  frozenFen: number;
  /** newest first */
  entries: BlacklistRow[];
  riskDecisions: RiskDecisionView[];
}

/** What a blacklist change does (the decision's outcome, summed for the dialog). */
export interface BlacklistOutcome extends DecisionOutcome {
  partnerId: string;
  action: 'add' | 'lift';
  effectiveAt: number;
  /** R-OP-3: effective after the results' as-of — nothing changes until a later recompute */
  takesEffectLater: boolean;
  summary: {
    /** rebates that become frozen (add) or are released (lift), R-BL-1 / R-BL-3 */
    frozenBeforeFen: number;
    frozenAfterFen: number;
    pendingBeforeFen: number;
    pendingAfterFen: number;
    confirmedBeforeFen: number;
    confirmedAfterFen: number;
    /** link events that fail (add, R-BL-2) or no longer fail (lift) */
    eventsFailing: number;
    eventsReleased: number;
  };
}

export type RiskStatus = 'open' | 'dismissed' | 'blacklisted';

/** A partner flagged by R-CLAW-4 (`risk list --format json` in snake case). */
export interface RiskRow {
  partnerId: string;
  partnerName: string | null;
  /** valid orders of the risk window (default 90 days up to the as-of) */
  validOrders: number;
  clawedBack: number;
  refundRateBp: number;
  status: RiskStatus;
  level: string;
  frozenFen: number;
  lastDecision: RiskDecisionView | null;
}

export interface RiskDetail {
  partnerId: string;
  row: RiskRow | null;
  asOf: number | null;
  window: { days: number; from: number | null; to: number | null };
  threshold: { minClawed: number; minShareBp: number };
  /** per week of the window: valid orders placed, and how many of them were clawed back */
  series: { start: number; end: number; validOrders: number; clawedBack: number }[];
  /** the window's clawed-back valid orders */
  clawed: {
    orderId: string;
    customerId: string;
    orderedAt: number;
    paidFen: number;
    netFen: number;
    clawedAt: number | null;
  }[];
  decisions: RiskDecisionView[];
}

const partnerId = idField;

const BLACKLIST_WRITES = [
  'blacklist_entries',
  'audit_log',
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_investigation',
  'result_investigation_partners',
] as const;

export const blacklistContract = {
  /** Entries, paged and sorted in the store, with the amount frozen now. */
  'blacklist.list': method<{ rows: BlacklistRow[]; total: number }>()(
    z
      .object({
        status: z.enum(['active', 'scheduled', 'lifted', 'all']).default('active'),
        partnerId: partnerId.optional(),
        sort: z.enum(['since', 'frozen', 'partner']).default('since'),
        dir: z.enum(['asc', 'desc']).default('desc'),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    READERS,
  ),
  /** A partner's blacklist history and risk decisions (the partner page). */
  'blacklist.history': method<BlacklistHistory>()(z.object({ partnerId }).strict(), READERS),
  /**
   * What adding (or lifting) would change — rewards that freeze, pending rewards, events that
   * would fail — computed by the engine without writing. `action` defaults to the opposite of
   * the partner's state.
   */
  'blacklist.preview': method<BlacklistOutcome>()(
    z
      .object({
        partnerId,
        action: z.enum(['add', 'lift']).optional(),
        restrictPromotion: z.boolean().default(true),
        reason: reason.optional(),
        effectiveAt,
        limit: reportLimit,
      })
      .strict(),
    READERS,
  ),
  'blacklist.add': method<BlacklistOutcome>()(
    z
      .object({
        partnerId,
        reason,
        effectiveAt,
        restrictPromotion: z.boolean().default(true),
        limit: reportLimit,
      })
      .strict(),
    ADMINS,
    [...BLACKLIST_WRITES],
  ),
  'blacklist.lift': method<BlacklistOutcome>()(
    z.object({ partnerId, reason, effectiveAt, limit: reportLimit }).strict(),
    ADMINS,
    [...BLACKLIST_WRITES],
  ),
  /** Partners flagged by R-CLAW-4, paged and sorted in the store. */
  'risk.list': method<{ rows: RiskRow[]; total: number; asOf: number | null }>()(
    z
      .object({
        status: z.enum(['open', 'dismissed', 'blacklisted', 'all']).default('all'),
        sort: z.enum(['rate', 'clawed', 'valid', 'partner']).default('rate'),
        dir: z.enum(['asc', 'desc']).default('desc'),
        limit: z.number().int().min(1).max(1000).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    READERS,
  ),
  /** One partner's refunds over the risk window (a chart's data), clawed orders and decisions. */
  'risk.partner': method<RiskDetail>()(z.object({ partnerId }).strict(), READERS),
  /** Blacklist or dismiss a flag (R-CLAW-4); a dismissal holds until a later clawback flags again. */
  'risk.decide': method<DecisionOutcome>()(
    z
      .object({
        partnerId,
        decision: z.enum(['blacklist', 'dismiss']),
        reason,
        effectiveAt,
        restrictPromotion: z.boolean().default(true),
        limit: reportLimit,
      })
      .strict(),
    ADMINS,
    [...BLACKLIST_WRITES, 'risk_decisions'],
  ),
};
