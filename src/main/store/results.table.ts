import type { Generated } from 'kysely';

export interface EngineRunsTable {
  run_id: Generated<number>;
  config_version: number;
  as_of: number;
  mode: 'full' | 'incremental';
  started_at: number;
  duration_ms: number;
  stats_json: string;
}
export interface ResultAttributionsTable {
  event_id: string;
  group_id: string;
  partner_id: string;
  customer_id: string;
  kind: string;
  from_at: number;
  until_at: number | null;
  locked: number;
  status: 'active' | 'replaced' | 'expired' | 'dissolved' | 'failed';
  reasons_json: string;
}
export interface ResultOrdersTable {
  order_id: string;
  customer_id: string;
  group_id: string;
  partner_id: string | null;
  status: 'valid' | 'excluded' | 'not_attributed' | 'not_first' | 'ineligible';
  reasons_json: string;
  ordered_at: number;
  paid_fen: number;
  net_fen: number;
  clawed: number;
  rebate_fen: number;
  gross_rebate_fen: number;
  capped_fen: number;
  rebate_status: 'pending' | 'confirmed' | 'frozen' | 'clawed_back' | 'capped' | null;
  experience: number;
  level: string | null;
  ratio_bp: number | null;
  cycle_key: string | null;
  confirm_at: number | null;
  attribution_event_id: string | null;
  /** R-CLAW-4: the latest clawback (refund counted by R-CLAW-1) of the order, null when none */
  clawed_at: number | null;
}
export interface ResultExperienceTable {
  group_id: string;
  partner_id: string;
  customer_id: string;
  order_id: string;
  at: number;
  delta: number;
  source_id: string;
}
export interface ResultPartnersTable {
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
  /** R-CLAW-4: valid orders of the risk window, those clawed back, and their share */
  risk_valid_orders: number;
  risk_clawed_orders: number;
  risk_rate_bp: number;
  /** R-CLAW-4: the flag's status (null when not flagged) */
  risk_status: 'open' | 'dismissed' | 'blacklisted' | null;
}
export interface ResultLevelsTable {
  partner_id: string;
  /** the level holds from this instant on (after the experience credited at it) */
  at: number;
  level: string;
  experience: number;
  source: 'experience' | 'override';
  override_id: number | null;
}
export interface ResultTrendWeeksTable {
  week_start: number;
  valid_orders: number;
  pending_fen: number;
  confirmed_fen: number;
  paid_fen: number;
  frozen_fen: number;
  clawed_orders: number;
  clawed_fen: number;
  levels_json: string;
}
export interface ResultTrendStateTable {
  one: number;
  run_id: number;
  paid_lines: number;
  from_week: number;
  until_week: number;
}
export interface ResultPayoutsTable {
  partner_id: string;
  cycle_key: string;
  cycle_start: number;
  cycle_end: number;
  confirmed_fen: number;
  paid_fen: number;
  carried_fen: number;
  amount_fen: number;
  status: 'open' | 'due' | 'closed';
}
export interface ResultSamePersonTable {
  member_kind: 'partner' | 'customer';
  member_id: string;
  group_id: string;
}
export interface ResultSamePersonEdgesTable {
  group_id: string;
  a_kind: string;
  a_id: string;
  b_kind: string;
  b_id: string;
  evidence: 'account' | 'phone' | 'id_number_name' | 'ip';
  value: string;
}
/** 同人调查: one queued same-person group (rules/investigation.ts). */
export interface ResultInvestigationTable {
  group_id: string;
  size: number;
  customers: number;
  partners: number;
  referrers: number;
  orders: number;
  valid_orders: number;
  denied_orders: number;
  denied_fen: number;
  confirmed_fen: number;
  pending_fen: number;
  frozen_fen: number;
  stake_fen: number;
  ev_account: number;
  ev_phone: number;
  ev_id_name: number;
  ev_ip: number;
  largest_share: number;
}
export interface ResultInvestigationPartnersTable {
  group_id: string;
  partner_id: string;
  member: number;
  referrer: number;
}
