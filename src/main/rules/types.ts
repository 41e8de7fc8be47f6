import type { CycleKind } from './time';

/** Reason codes of RULES.md "Order status and reason codes". */
export type EventCode =
  | 'SAME_PERSON_AS_PARTNER'
  | 'LOCKED_BY_OTHER_PARTNER'
  | 'SALES_OWNED'
  | 'PARTNER_BLACKLISTED'
  | 'PARTNER_NOT_ACTIVE';

/** R-ATTR-4: the order in which failure codes are listed; the first is the headline. */
export const EVENT_CODE_ORDER: EventCode[] = [
  'SAME_PERSON_AS_PARTNER',
  'LOCKED_BY_OTHER_PARTNER',
  'SALES_OWNED',
  'PARTNER_BLACKLISTED',
  'PARTNER_NOT_ACTIVE',
];

export type OrderStatus = 'valid' | 'excluded' | 'not_attributed' | 'not_first' | 'ineligible';
export type RebateStatus = 'pending' | 'confirmed' | 'frozen' | 'clawed_back' | 'capped';
export type AttributionStatus = 'active' | 'replaced' | 'expired' | 'dissolved' | 'failed';
export type RiskStatus = 'open' | 'dismissed' | 'blacklisted';
export type EvidenceKind = 'account' | 'phone' | 'id_number_name' | 'ip';

/** A time range [from, until) — until null means open-ended. */
export interface Interval {
  from: number;
  until: number | null;
}

export interface BlacklistInterval extends Interval {
  entryId: number;
  restrictPromotion: boolean;
  reason: string;
}

/** R-CLAW-4: an admin's decision on a partner's risk flag, effective from `at` (R-OP-3). */
export interface RiskDecisionIn {
  decisionId: number;
  decision: 'blacklist' | 'dismiss';
  at: number;
  /** blacklist: the entry it created or found in force (its lift ends the review, see risk.ts) */
  entryId: number | null;
  /** dismiss: only a clawback dated after this instant opens the flag again */
  reflagAfter: number | null;
}

export interface LevelOverrideIn extends Interval {
  overrideId: number;
  level: string;
  reason: string;
}

/** What phase A needs to know about a partner. */
export interface PartnerInfo {
  id: string;
  groupId: string;
  status: string;
  verifiedAt: number | null;
  blacklist: BlacklistInterval[];
}

export interface EventIn {
  id: string;
  partnerId: string;
  kind: string;
  at: number;
}

/**
 * A manual attribution (R-DISP-2): an upheld dispute grants the claimant the customer from
 * `at`, for the attribution window, locked like a registration. An engine input loaded per
 * customer beside its events (only upheld cases whose start is at or before as-of, R-OP-3).
 */
export interface ManualIn {
  /** `dispute:<id>`: the key of its result row (result_attributions.event_id) */
  id: string;
  disputeId: number;
  partnerId: string;
  at: number;
}

/** The key of a dispute's manual attribution among the attribution results. */
export const manualAttributionId = (disputeId: number): string => `dispute:${disputeId}`;

export interface RefundIn {
  id: string;
  kind: string;
  amountFen: number;
  at: number;
}

export interface OrderIn {
  id: string;
  customerId: string;
  productLine: string;
  billing: string;
  subscription: boolean;
  paidFen: number;
  at: number;
  refunds: RefundIn[];
}

export interface CustomerIn {
  id: string;
  channel: string | null;
  subjectId: string | null;
  /** sorted by (at, id); only events at or before as-of */
  events: EventIn[];
  /** only orders at or before as-of */
  orders: OrderIn[];
  /** upheld disputes' manual attributions starting at or before as-of, sorted by (at, id) */
  manual?: ManualIn[];
}

export interface GroupIn {
  groupId: string;
  /** sorted by id */
  customers: CustomerIn[];
}

export interface AttributionResult {
  eventId: string;
  partnerId: string;
  customerId: string;
  /** `manual`: granted by an upheld dispute (R-DISP-2); eventId is then `dispute:<id>` */
  kind: 'register' | 'login' | 'manual';
  from: number;
  until: number | null;
  locked: boolean;
  status: AttributionStatus;
  reasons: EventCode[];
  /** consecutive attributions of one partner (renewals, R-ATTR-3) share a tenure */
  tenure: number;
  tenureStart: number;
  /** the event that replaced this attribution (replaced status) */
  replacedBy: string | null;
}

/** Why an order got its status: the evidence explain/ renders (R-RECALC-2). */
export interface OrderTrace {
  inForce: AttributionResult | null;
  failedEvents: AttributionResult[];
  firstQualifying: { orderId: string; at: number } | null;
  earliestProgramOrder: { orderId: string; at: number } | null;
  refundsCounted: RefundIn[];
  refundsIgnored: RefundIn[];
  channel: string | null;
}

export interface OrderResult {
  orderId: string;
  customerId: string;
  groupId: string;
  partnerId: string | null;
  status: OrderStatus;
  reasons: string[];
  at: number;
  paidFen: number;
  /** paid amount net of clawbacks within the window (R-CLAW-1) */
  netFen: number;
  clawed: boolean;
  /** the latest refund counted by R-CLAW-1 (null when none): R-CLAW-4 dates clawbacks by it */
  clawedAt: number | null;
  /** experience the customer gives the partner through this valid order (R-EXP-1); 0 otherwise */
  experience: number;
  attributionEventId: string | null;
  trace?: OrderTrace;
}

/** One credit or debit of experience (R-EXP-1, R-CLAW-1), at the instant it happens. */
export interface ExpEntry {
  partnerId: string;
  customerId: string;
  orderId: string;
  at: number;
  delta: number;
  /** the order or refund that caused it */
  sourceId: string;
}

export interface GroupResult {
  attributions: AttributionResult[];
  orders: OrderResult[];
  exp: ExpEntry[];
}

/** Phase B input: a valid order as the partner computation needs it. */
export interface ValidFact {
  orderId: string;
  at: number;
  paidFen: number;
  netFen: number;
  clawed: boolean;
  clawedAt: number | null;
}

export interface PartnerIn {
  partnerId: string;
  validOrders: ValidFact[];
  exp: ExpEntry[];
  blacklist: BlacklistInterval[];
  overrides: LevelOverrideIn[];
  /** R-CLAW-4: the admins' decisions on the partner's risk flag */
  riskDecisions: RiskDecisionIn[];
  /** fen already paid out per cycle key (approved payout lines) */
  paidByCycle: Map<string, number>;
  /** R-BL-3: cycles closed for the partner although no line of theirs was approved (load.ts closedCyclesOf) */
  closedCycles?: { has(cycleKey: string): boolean };
}

export interface RebateResult {
  orderId: string;
  level: string;
  ratioBp: number;
  grossFen: number;
  rebateFen: number;
  cappedFen: number;
  rebateStatus: RebateStatus;
  extraReasons: string[];
  cycleKey: string;
  cycleKind: CycleKind;
  confirmAt: number;
  levelSource: 'experience' | 'override';
  experienceBefore: number;
  overrideId: number | null;
  capFen: number;
  capFilledBefore: number;
}

export interface PayoutRow {
  partnerId: string;
  cycleKey: string;
  cycleStart: number;
  cycleEnd: number;
  confirmedFen: number;
  paidFen: number;
  carriedFen: number;
  amountFen: number;
  status: 'open' | 'due' | 'closed';
}

/** A change of a partner's level (R-LVL-1, R-LVL-2): the level from `at` on. */
export interface LevelChange {
  at: number;
  level: string;
  experience: number;
  source: 'experience' | 'override';
  overrideId: number | null;
}

export interface PartnerResult {
  partnerId: string;
  experience: number;
  level: string;
  blacklisted: boolean;
  pendingFen: number;
  confirmedFen: number;
  frozenFen: number;
  negativeBalanceFen: number;
  riskFlag: boolean;
  risk: { validOrders: number; clawedOrders: number; rateBp: number };
  /** R-CLAW-4: open, dismissed or blacklisted while flagged; null when not flagged */
  riskStatus: RiskStatus | null;
  rebates: RebateResult[];
  payouts: PayoutRow[];
  /** the level over time up to as-of, a row where it changes (the first at instant 0) */
  levels: LevelChange[];
}
