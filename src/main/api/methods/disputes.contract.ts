/**
 * 争议处理: attribution disputes (R-DISP-1, R-DISP-2) — support or an admin opens a case, admins
 * work the queue (oldest first) and uphold after a what-if, reject, or revoke an upheld case; a
 * customer's attribution timeline is what they decide on. No Node imports: the renderer imports
 * these types.
 */
import { z } from 'zod';
import type { DecisionOutcome } from '../../engine/decision-types';
import type { DisputeStatus } from '../../store/disputes.table';
import { ADMINS, method, READERS, type Caller } from '../define';
import { effectiveAt, reason, reportLimit } from '../fields';

export type { DisputeStatus };
export const DISPUTE_STATUSES = ['open', 'upheld', 'rejected', 'revoked'] as const;

/** One case (R-DISP-1) as the screens and the CLI show it. */
export interface DisputeView {
  disputeId: number;
  /** the claimant */
  partnerId: string;
  partnerName: string | null;
  customerId: string;
  customerName: string | null;
  orderId: string | null;
  claim: string;
  /** the instant the partner says the customer came to them */
  claimedAt: number;
  openedBy: string;
  openedAt: number;
  status: DisputeStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  /** upheld or revoked: the manual attribution's start (R-DISP-2) */
  manualFrom: number | null;
  revokedBy: string | null;
  revokedAt: number | null;
  revokeReason: string | null;
}

/**
 * The money a case is about, from the current results. The order in question is the order named
 * by the case, else the customer's valid order, else the customer's first `not_attributed` order
 * at or after the instant claimed. `fen`: that order's rebate before the cycle cap (R-REB-1) when
 * it is a valid order (`earned_by_other` or `earned_by_claimant`); for a `not_attributed` order
 * its net paid amount × the claimant's ratio at their current level (`unattributed`, what the
 * claimant could earn); 0 otherwise (`none`: no order, or one no attribution could make valid).
 */
export interface DisputeStake {
  orderId: string | null;
  orderStatus: string | null;
  /** who earns that order now */
  currentPartnerId: string | null;
  fen: number;
  basis: 'earned_by_other' | 'earned_by_claimant' | 'unattributed' | 'none';
}

export interface DisputeQueueRow extends DisputeView {
  /** open: how long it has waited until now; decided: until its decision */
  waitedMs: number;
  stake: DisputeStake;
}

export interface DisputePage {
  rows: DisputeQueueRow[];
  /** every case matching the filter */
  total: number;
}

/** The case view: the case, its stake, its audit trail. Its customer's timeline: customers.timeline. */
export interface DisputeDetail extends DisputeQueueRow {
  /** the order's current result, when the case names one */
  order: {
    orderId: string;
    orderedAt: number;
    paidFen: number;
    status: string | null;
    partnerId: string | null;
    rebateFen: number;
  } | null;
  /** the other cases about the same customer */
  related: { disputeId: number; partnerId: string; status: DisputeStatus; openedAt: number }[];
  /** the audit entries of this case, oldest first (R-OP-2) */
  trail: {
    auditId: number;
    action: string;
    operatorId: string;
    role: string;
    recordedAt: number;
    effectiveAt: number;
    reason: string | null;
  }[];
}

/** What a referral event (or a manual attribution) did, on the customer's time axis (R-DISP-1). */
export type TimelineOutcome =
  /** a new attribution (nothing of another partner was in force) */
  | 'created'
  /** the same partner's attribution continues (R-ATTR-3) */
  | 'renewed'
  /** took the customer over from another partner's attribution in force (R-ATTR-2, R-DISP-2) */
  | 'replaced'
  /** no attribution: `codes` say why (R-ATTR-4) */
  | 'failed'
  /** no attribution, the customer is the partner (R-SAME-2) */
  | 'dissolved'
  /** a visit: evidence only, never attribution */
  | 'evidence'
  /** dated after the as-of of the results: not counted yet (R-OP-3) */
  | 'after_as_of';

export interface TimelineEntry {
  /** the referral event's id, or `dispute:<id>` for a manual attribution */
  id: string;
  kind: 'register' | 'login' | 'visit' | 'manual';
  partnerId: string;
  at: number;
  ip: string | null;
  outcome: TimelineOutcome;
  /** outcome `replaced`: the attribution it took over (and renewed: the one it continued) */
  previous: { id: string; partnerId: string } | null;
  /** failure codes (RULES.md reason codes), the headline first */
  codes: string[];
  /** the rule ids behind the outcome */
  rules: string[];
  /** a created attribution: its window's nominal end (30 days, end-exclusive) */
  until: number | null;
  locked: boolean;
  /** a created attribution: its status now (active, replaced, expired) and what replaced it */
  status: 'active' | 'replaced' | 'expired' | 'dissolved' | 'failed' | null;
  replacedBy: string | null;
  /** a manual attribution: its case and who decided it */
  dispute: { disputeId: number; decidedBy: string | null; decidedAt: number | null } | null;
}

/** A band on the time axis: an attribution's window, or a lock (R-ATTR-1, R-DISP-2). */
export interface TimelineBand {
  kind: 'window' | 'lock';
  partnerId: string;
  /** the entry that made it */
  entryId: string;
  from: number;
  /** the nominal end (from + 30 days) */
  until: number;
  /** where it really ended: the next attribution (or lock) that took over, else `until` */
  endsAt: number;
}

export interface TimelineOrder {
  orderId: string;
  at: number;
  paidFen: number;
  productLine: string;
  billing: string;
  /** null: no result yet (placed after the as-of, or never recomputed) */
  status: string | null;
  reasons: string[];
  /** the partner it went to */
  partnerId: string | null;
  rebateFen: number;
  rebateStatus: string | null;
  /** the attribution in force at its time (an event id, or `dispute:<id>`) */
  attributionId: string | null;
  /** the order's partner holds it by this dispute (R-DISP-2) */
  disputeId: number | null;
}

export interface CustomerTimeline {
  customerId: string;
  customerName: string | null;
  /** the same-person group of the last run */
  groupId: string;
  asOf: number;
  configVersion: number;
  windowMs: number;
  lockMs: number;
  /** a suggested axis: the first entry or order to the last band end or order */
  range: { from: number; until: number };
  /** events and manual attributions in time order (ties: events first, then by id) */
  entries: TimelineEntry[];
  bands: TimelineBand[];
  orders: TimelineOrder[];
  /** every case about this customer */
  disputes: {
    disputeId: number;
    partnerId: string;
    status: DisputeStatus;
    claimedAt: number;
    manualFrom: number | null;
  }[];
  /** the stored order results agree with the attribution computed here */
  consistent: boolean;
}

const disputeId = z.number().int().min(1);
const id = z.string().trim().min(1).max(200);
const instant = z.number().int().min(0).max(8_640_000_000_000_000);
const page = {
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).default(0),
};

/** R-OP-1: support may open a case (R-DISP-1); deciding is the admins'. */
const OPENERS: readonly Caller[] = ['admin', 'support'];

/** The tables an uphold or a revoke writes: the case, the audit log, the results of the engine run. */
const DECISION_TABLES = [
  'disputes',
  'audit_log',
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
] as const;

const upholdInput = z
  .object({
    disputeId,
    reason,
    /** the manual attribution's start (R-DISP-2, CLI --at); default: the instant claimed */
    effectiveAt,
    limit: reportLimit,
  })
  .strict();
const revokeInput = z.object({ disputeId, reason, limit: reportLimit }).strict();

export const disputesContract = {
  /** Records a claim (R-DISP-1). */
  'disputes.open': method<DisputeView>()(
    z
      .object({
        partnerId: id,
        customerId: id,
        orderId: id.optional(),
        claim: z
          .string()
          .trim()
          .min(4, '请用几句话写明申诉内容（至少 4 个字）/ the claim in a few words (at least 4 characters)')
          .max(2000),
        claimedAt: instant,
      })
      .strict(),
    OPENERS,
    ['disputes', 'audit_log'],
  ),
  /** Open cases, oldest first, with how long each has waited and the money at stake. */
  'disputes.queue': method<DisputePage>()(z.object({ ...page }).strict(), READERS),
  /** Cases of any status (or one), filtered by claimant or customer, oldest first. */
  'disputes.list': method<DisputePage>()(
    z
      .object({
        status: z.enum(DISPUTE_STATUSES).optional(),
        partnerId: id.optional(),
        customerId: id.optional(),
        ...page,
      })
      .strict(),
    READERS,
  ),
  'disputes.get': method<DisputeDetail>()(z.object({ disputeId }).strict(), READERS),
  /** What upholding would change, computed by the engine without writing anything. */
  'disputes.upholdPreview': method<DecisionOutcome>()(upholdInput, ADMINS),
  /** Upholds: the claimant gets a manual attribution of the customer (R-DISP-2). */
  'disputes.uphold': method<DecisionOutcome>()(upholdInput, ADMINS, [...DECISION_TABLES]),
  /** Rejects with a reason: changes nothing but the case. */
  'disputes.reject': method<DisputeView>()(z.object({ disputeId, reason, effectiveAt }).strict(), ADMINS, [
    'disputes',
    'audit_log',
  ]),
  /** What revoking an upheld case would change (without writing anything). */
  'disputes.revokePreview': method<DecisionOutcome>()(revokeInput, ADMINS),
  /** Withdraws an upheld case's manual attribution: the results are as if it was never granted. */
  'disputes.revoke': method<DecisionOutcome>()(revokeInput, ADMINS, [...DECISION_TABLES]),
  /**
   * A customer's attribution timeline (R-DISP-1): every referral event of every partner with what
   * it did, the windows and locks as bands, the orders and the partner each went to, and manual
   * attributions — at the as-of and config of the last run.
   */
  'customers.timeline': method<CustomerTimeline>()(z.object({ customerId: id }).strict(), READERS),
};
