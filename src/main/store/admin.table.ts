import type { Generated, Selectable } from 'kysely';

export type Role = 'admin' | 'finance' | 'support';
export interface OperatorsTable {
  operator_id: string;
  name: string;
  role: Role;
  pin_hash: string | null;
  created_at: number;
  created_by: string | null;
}
/** R-OP-1, R-OP-4: wrong PINs in a row and the pause they started (schema/pin-attempts.sql.ts) */
export interface PinAttemptsTable {
  operator_id: string;
  wrong: number;
  paused_until: number;
  pauses: number;
}
export interface AuditLogTable {
  audit_id: number;
  recorded_at: number;
  effective_at: number;
  /** an operator id, or `system:NAME` for scheduled jobs and scripts (DATA.md) */
  operator_id: string;
  role: Role | 'system';
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  one: number;
  entries: number;
  hash: string;
}
export interface BlacklistEntriesTable {
  entry_id: Generated<number>;
  partner_id: string;
  restrict_promotion: Generated<number>;
  reason: string;
  added_by: string;
  /** R-OP-3: the effective instant of the entry (it is in force from here) */
  added_at: number;
  /** when the entry was recorded */
  recorded_at: number;
  lifted_by: string | null;
  /** the effective instant of the lift (in force until here, end-exclusive) */
  lifted_at: number | null;
  lift_reason: string | null;
  lift_recorded_at: number | null;
}
export interface LevelOverridesTable {
  override_id: Generated<number>;
  partner_id: string;
  level: string;
  reason: string;
  starts_at: number;
  ends_at: number | null;
  created_by: string;
  created_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
}
/** R-SAME-4: one mark of an IP as shared, from marked_at until unmarked_at (effective instants). */
export interface SharedIpsTable {
  mark_id: Generated<number>;
  ip: string;
  reason: string;
  marked_by: string;
  marked_at: number;
  recorded_at: number;
  unmarked_by: string | null;
  unmarked_at: number | null;
  unmark_reason: string | null;
  unmark_recorded_at: number | null;
}
/** R-CLAW-4: an admin's decision on a partner's risk flag. */
export interface RiskDecisionsTable {
  decision_id: Generated<number>;
  partner_id: string;
  decision: 'blacklist' | 'dismiss';
  reason: string;
  decided_by: string;
  effective_at: number;
  recorded_at: number;
  blacklist_entry_id: number | null;
  /** dismiss: only a clawback dated after this instant can open the flag again */
  reflag_after: number | null;
}
export interface RuleConfigsTable {
  version: number;
  config_json: string;
  note: string | null;
  created_by: string;
  created_at: number;
  effective_from: Generated<number>;
}
export type PayoutBatchStatus = 'draft' | 'approved' | 'rejected' | 'held';
export type PayoutLineStatus = 'pending' | 'approved' | 'rejected' | 'held' | 'paid' | 'failed';
export interface PayoutBatchesTable {
  batch_id: Generated<number>;
  cycle_key: string;
  cycle_start: number;
  cycle_end: number;
  status: PayoutBatchStatus;
  /** moves on with every decision on the batch or its lines (R-OP-4: one of two at once passes) */
  revision: Generated<number>;
  config_version: number;
  as_of: number;
  /** the engine run whose results the batch was prepared from */
  run_id: number;
  prepared_by: string;
  prepared_at: number;
  lines: Generated<number>;
  total_fen: Generated<number>;
  /** R-BL-1: blacklisted partners left out, and their frozen rebates of the cycle */
  frozen_partners: Generated<number>;
  frozen_fen: Generated<number>;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  /** R-PAY-3: SHA-256 of the approved lines' content, fixed at approval */
  checksum: string | null;
  approved_lines: number | null;
  approved_fen: number | null;
}
export interface PayoutLinesTable {
  line_id: Generated<number>;
  batch_id: number;
  partner_id: string;
  /** confirmed rebates of the cycle, after the cap (R-PAY-1, R-REB-2) */
  confirmed_fen: number;
  /** what the cap cut from the cycle's rebates (R-REB-2; not carried) */
  capped_fen: number;
  /** carried in from earlier cycles: negative for a clawed-back balance (R-CLAW-3) */
  carried_fen: number;
  amount_fen: number;
  payee_account: string | null;
  payee_name: string | null;
  payee_bank: string | null;
  status: PayoutLineStatus;
  /** `MISSING_PAYEE`: held at preparation, the partner gave no payee details */
  hold_code: string | null;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  /** who recorded it paid (or failed), and when */
  paid_by: string | null;
  paid_at: number | null;
  /** the bank's word on a line (its result file) */
  bank_note: string | null;
}
export interface PayoutExportsTable {
  export_id: Generated<number>;
  batch_id: number;
  format: 'csv' | 'xlsx';
  layout: 'bank' | 'generic';
  sha256: string;
  rows: number;
  total_fen: number;
  bytes: number;
  exported_by: string;
  exported_at: number;
}
export interface ImportsTable {
  import_id: Generated<number>;
  source: string;
  origin: 'file' | 'api' | 'demo';
  file_name: string;
  sha256: string | null;
  rows_added: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  rows_dangling: number;
  duration_ms: number;
  operator_id: string;
  started_at: number;
  status: 'committed' | 'cancelled' | 'failed';
}
export interface ImportRejectionsTable {
  import_id: number;
  line: number;
  column_name: string | null;
  value: string | null;
  code: string;
  message_zh: string;
  message_en: string;
}
export interface ApiSourcesTable {
  source: string;
  base_url: string;
  token_ref: string | null;
  cursor: string | null;
  last_pull_at: number | null;
  last_status: string | null;
  last_error: string | null;
}

export type ImportRecord = Selectable<ImportsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
