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
const EVERY_TABLE: TableName[] = [
  'product_lines',
  'sales_subjects',
  'partners',
  'customers',
  'referral_events',
  'orders',
  'refunds',
  'login_ips',
  'operators',
  'audit_log',
  'audit_head',
  'blacklist_entries',
  'level_overrides',
  'shared_ips',
  'rule_configs',
  'payout_batches',
  'payout_lines',
  'imports',
  'import_rejections',
  'api_sources',
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_partners',
  'result_experience',
  'result_payouts',
  'result_same_person',
  'result_same_person_edges',
  'risk_decisions',
  'result_investigation',
  'result_investigation_partners',
];

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
      .refine((v) => v.choose !== (v.name !== undefined), { message: 'name a backup, or choose one' }),
    ADMINS,
    EVERY_TABLE,
  ),
};
