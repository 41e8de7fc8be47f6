/**
 * What a decision changes (engine/decision-run.ts), as the contract returns it: node-free, so the
 * renderer can import the types.
 */
export interface OrderChange {
  orderId: string;
  customerId: string;
  before: OrderState | null;
  after: OrderState | null;
}
export interface OrderState {
  partnerId: string | null;
  status: string;
  reasons: string[];
  rebateFen: number;
  rebateStatus: string | null;
  level: string | null;
  ratioBp: number | null;
  cycleKey: string | null;
}
export interface PartnerState {
  level: string;
  experience: number;
  blacklisted: boolean;
  pendingFen: number;
  confirmedFen: number;
  frozenFen: number;
  negativeBalanceFen: number;
  riskFlag: boolean;
  /** R-CLAW-4: open, dismissed or blacklisted while flagged */
  riskStatus: string | null;
}
export interface PartnerChange {
  partnerId: string;
  before: PartnerState | null;
  after: PartnerState | null;
}

/** A link event whose outcome changes (R-ATTR-4, R-BL-2). */
export interface EventChange {
  eventId: string;
  customerId: string;
  partnerId: string;
  before: { status: string; reasons: string[] } | null;
  after: { status: string; reasons: string[] } | null;
}

export interface DecisionOutcome {
  committed: boolean;
  /** the audit entry the decision has (or would have) */
  auditId: number;
  /** what the decision wrote: its own ids (the blacklist entry, the config version …) */
  applied: Record<string, unknown>;
  run: { mode: 'full' | 'incremental'; asOf: number; configVersion: number; fallback?: string } | null;
  orders: { total: number; rows: OrderChange[] };
  partners: { total: number; rows: PartnerChange[] };
  /**
   * link events whose status or reasons change (R-BL-2: events that fail from a blacklist's
   * start); not listed (empty) for a decision that recomputes everything (a rule config)
   */
  events: { total: number; rows: EventChange[] };
  /** money per payout cycle of the orders whose rebate changes (R-LVL-1 cycles) */
  cycles: { cycleKey: string; beforeFen: number; afterFen: number }[];
  /** money per partner: rebates of the orders whose rebate changes */
  money: { partnerId: string; beforeFen: number; afterFen: number }[];
  /** accounts that move to another same-person group (R-SAME) */
  members: { kind: string; id: string; beforeGroup: string | null; afterGroup: string | null }[];
  durationMs: number;
}
