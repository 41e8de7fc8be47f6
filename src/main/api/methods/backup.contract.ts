/**
 * 备份与恢复 (R-OP-1: admins, and scheduled scripts for backups; R-OP-2: audited). Backups live
 * in the store's backups folder; the app's native dialog may choose another file. A page never
 * names a path. No Node imports.
 */
import { z } from 'zod';
import type { TableName } from '../../store/database';
import { ADMINS, method } from '../define';
import { reason } from '../fields';

export interface BackupInfoView {
  name: string;
  file: string;
  bytes: number;
  modifiedAt: number;
  automatic: boolean;
}
export interface BackupResultView {
  file: string;
  bytes: number;
  integrity: string;
  migrations: number;
  auditEntries: number;
  auditHead: string;
  copyMs: number;
  verifyMs: number;
}
export interface RestoreResultView {
  restored: string;
  keptAside: string;
  auditId: number;
  auditEntries: number;
  auditHead: string;
}

/** A restore replaces every table. */
/** Every table (the type makes a new table impossible to forget here). */
const TABLES: Record<TableName, true> = {
  product_lines: true,
  sales_subjects: true,
  partners: true,
  customers: true,
  referral_events: true,
  orders: true,
  refunds: true,
  login_ips: true,
  operators: true,
  pin_attempts: true,
  audit_log: true,
  audit_head: true,
  blacklist_entries: true,
  level_overrides: true,
  shared_ips: true,
  rule_configs: true,
  payout_batches: true,
  payout_lines: true,
  payout_exports: true,
  imports: true,
  import_rejections: true,
  api_sources: true,
  disputes: true,
  engine_runs: true,
  result_attributions: true,
  result_orders: true,
  result_partners: true,
  result_experience: true,
  result_payouts: true,
  result_levels: true,
  result_trend_weeks: true,
  result_trend_state: true,
  result_same_person: true,
  result_same_person_edges: true,
  risk_decisions: true,
  result_investigation: true,
  result_investigation_partners: true,
};
const EVERY_TABLE = Object.keys(TABLES) as TableName[];

export const backupContract = {
  'backup.list': method<{ dir: string; backups: BackupInfoView[] }>()(z.object({}).strict(), ADMINS),
  /** Backs up now (into the backups folder, or a file chosen in the app's save dialog). */
  'backup.create': method<BackupResultView | null>()(
    z.object({ choose: z.boolean().default(false) }).strict(),
    ['admin', 'system'],
    ['audit_log'],
  ),
  /** Restores a backup of the backups folder (by name) or one chosen in the app's open dialog. */
  'backup.restore': method<RestoreResultView | null>()(
    z
      .object({ name: z.string().min(1).max(255).optional(), choose: z.boolean().default(false), reason })
      .strict()
      .refine((v) => v.choose !== (v.name !== undefined), {
        message: '请指定备份名称，或选择一个备份 / name a backup, or choose one',
      }),
    ADMINS,
    EVERY_TABLE,
  ),
};
