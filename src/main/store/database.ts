import type * as A from './admin.table';
import type * as D from './disputes.table';
import type * as R from './results.table';
import type * as S from './sources.table';

/** The Kysely database type: every table of the store, by domain. */
export interface Database {
  product_lines: S.ProductLinesTable;
  sales_subjects: S.SalesSubjectsTable;
  partners: S.PartnersTable;
  customers: S.CustomersTable;
  referral_events: S.ReferralEventsTable;
  orders: S.OrdersTable;
  refunds: S.RefundsTable;
  login_ips: S.LoginIpsTable;
  operators: A.OperatorsTable;
  pin_attempts: A.PinAttemptsTable;
  audit_log: A.AuditLogTable;
  audit_head: A.AuditHeadTable;
  blacklist_entries: A.BlacklistEntriesTable;
  level_overrides: A.LevelOverridesTable;
  shared_ips: A.SharedIpsTable;
  risk_decisions: A.RiskDecisionsTable;
  rule_configs: A.RuleConfigsTable;
  payout_batches: A.PayoutBatchesTable;
  payout_lines: A.PayoutLinesTable;
  payout_exports: A.PayoutExportsTable;
  imports: A.ImportsTable;
  import_rejections: A.ImportRejectionsTable;
  api_sources: A.ApiSourcesTable;
  disputes: D.DisputesTable;
  engine_runs: R.EngineRunsTable;
  result_attributions: R.ResultAttributionsTable;
  result_orders: R.ResultOrdersTable;
  result_partners: R.ResultPartnersTable;
  result_experience: R.ResultExperienceTable;
  result_payouts: R.ResultPayoutsTable;
  result_levels: R.ResultLevelsTable;
  result_trend_weeks: R.ResultTrendWeeksTable;
  result_trend_state: R.ResultTrendStateTable;
  result_same_person: R.ResultSamePersonTable;
  result_same_person_edges: R.ResultSamePersonEdgesTable;
  result_investigation: R.ResultInvestigationTable;
  result_investigation_partners: R.ResultInvestigationPartnersTable;
}

export type TableName = keyof Database;
