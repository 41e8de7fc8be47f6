import { z } from 'zod';
import { method, READERS } from '../define';

export interface AppInfo {
  version: string;
  storeFile: string;
  /** the store is a team database (PostgreSQL): its server backs it up, not this desk */
  teamDatabase: boolean;
  transport: 'ipc' | 'bridge';
  isEmpty: boolean;
}

export interface DashboardSummary {
  storeFile: string;
  counts: {
    partners: number;
    customers: number;
    referralEvents: number;
    orders: number;
    refunds: number;
    productLines: number;
  };
  results: {
    computedAt: number | null;
    asOf: number | null;
    configVersion: number | null;
    validOrders: number;
    rebateFen: number;
    pendingFen: number;
    confirmedFen: number;
    frozenFen: number;
    blacklistedPartners: number;
    samePersonGroups: number;
  };
  ordersByStatus: { status: string; count: number }[];
  levels: { level: string; partners: number }[];
  lastImportAt: number | null;
}

export interface DemoLoadResult {
  partners: number;
  customers: number;
  orders: number;
  /** Valid orders found by the engine run that follows the load. */
  validOrders: number;
  durationMs: number;
}

export const appContract = {
  'app.info': method<AppInfo>()(z.object({}).strict(), 'public'),
  /** The page's language, so the application menu (main process) speaks it too; no data changes. */
  'app.setLanguage': method<{ language: 'zh-CN' | 'en' }>()(
    z.object({ language: z.enum(['zh-CN', 'en']) }).strict(),
    'public',
  ),
  'dashboard.summary': method<DashboardSummary>()(z.object({}).strict(), READERS),
  'demo.load': method<DemoLoadResult>()(
    z
      .object({
        scale: z.number().positive().max(5).default(0.2),
        seed: z.number().int().default(20261126),
      })
      .strict(),
    ['admin', 'system'],
    [
      'partners',
      'customers',
      'referral_events',
      'orders',
      'refunds',
      'login_ips',
      'product_lines',
      'sales_subjects',
      'disputes',
      'imports',
      'audit_log',
    ],
  ),
};
