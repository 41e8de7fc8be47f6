// Bundled by scripts/bench/payouts.mjs: the payout, level and trend entry points it times.
export { openStore } from '../../src/main/store/open-store';
export { migrations, migrationChecksum, migrationsOf } from '../../src/main/store/migrations';
export { decide, prepareBatch } from '../../src/main/payouts/batches';
export { payoutFile } from '../../src/main/payouts/files';
export { partnerLevels, levelTable } from '../../src/main/levels/ledger';
export { dashboardTrends } from '../../src/main/dashboard/trends';
export { partnerStatement } from '../../src/main/payouts/statement';
