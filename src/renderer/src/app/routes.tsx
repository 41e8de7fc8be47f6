import {
  IconAdjustmentsHorizontal,
  IconAward,
  IconBan,
  IconCashBanknote,
  IconDatabaseImport,
  IconFingerprint,
  IconGavel,
  IconHistory,
  IconLayoutDashboard,
  IconSearch,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { AuditScreen } from '../features/audit/AuditScreen';
import { auditStrings } from '../features/audit/i18n';
import { BlacklistScreen } from '../features/blacklist/BlacklistScreen';
import { blacklistStrings } from '../features/blacklist/i18n';
import { DashboardScreen } from '../features/dashboard/DashboardScreen';
import { dashboardStrings } from '../features/dashboard/i18n';
import { DisputesScreen } from '../features/disputes/DisputesScreen';
import { disputesStrings } from '../features/disputes/i18n';
import { InvestigationScreen } from '../features/investigation/InvestigationScreen';
import { investigationStrings } from '../features/investigation/i18n';
import { LevelsScreen } from '../features/levels/LevelsScreen';
import { levelsStrings } from '../features/levels/i18n';
import { LookupScreen } from '../features/lookup/LookupScreen';
import { lookupStrings } from '../features/lookup/i18n';
import { PayoutsScreen } from '../features/payouts/PayoutsScreen';
import { payoutsStrings } from '../features/payouts/i18n';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { settingsStrings } from '../features/settings/i18n';
import { SyncScreen } from '../features/sync/SyncScreen';
import { syncStrings } from '../features/sync/i18n';
import type { Strings } from '../shared/strings';

export type NavGroup = 'overview' | 'risk' | 'finance' | 'system';

export interface AppRoute {
  /** Hash path: `#/<path>`. */
  path: string;
  /** i18next namespace of the feature; its strings must define `title` (the nav label). */
  ns: string;
  strings: Strings;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  group: NavGroup;
  Screen: ComponentType;
}

/** Every screen, in navigation order. A new feature adds one line here. */
// prettier-ignore
export const routes: AppRoute[] = [
  { path: 'dashboard', ns: 'dashboard', strings: dashboardStrings, icon: IconLayoutDashboard, group: 'overview', Screen: DashboardScreen },
  { path: 'lookup', ns: 'lookup', strings: lookupStrings, icon: IconSearch, group: 'overview', Screen: LookupScreen },
  { path: 'investigation', ns: 'investigation', strings: investigationStrings, icon: IconFingerprint, group: 'risk', Screen: InvestigationScreen },
  { path: 'disputes', ns: 'disputes', strings: disputesStrings, icon: IconGavel, group: 'risk', Screen: DisputesScreen },
  { path: 'blacklist', ns: 'blacklist', strings: blacklistStrings, icon: IconBan, group: 'risk', Screen: BlacklistScreen },
  { path: 'levels', ns: 'levels', strings: levelsStrings, icon: IconAward, group: 'risk', Screen: LevelsScreen },
  { path: 'payouts', ns: 'payouts', strings: payoutsStrings, icon: IconCashBanknote, group: 'finance', Screen: PayoutsScreen },
  { path: 'audit', ns: 'audit', strings: auditStrings, icon: IconHistory, group: 'system', Screen: AuditScreen },
  { path: 'sync', ns: 'sync', strings: syncStrings, icon: IconDatabaseImport, group: 'system', Screen: SyncScreen },
  { path: 'settings', ns: 'settings', strings: settingsStrings, icon: IconAdjustmentsHorizontal, group: 'system', Screen: SettingsScreen },
];

export const NAV_GROUPS: NavGroup[] = ['overview', 'risk', 'finance', 'system'];
export const DEFAULT_ROUTE = 'dashboard';

export function findRoute(path: string): AppRoute | undefined {
  return routes.find((r) => r.path === path);
}
