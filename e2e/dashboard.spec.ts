import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { useBridge } from './support/bridge';
import { SMALL, seedSmall } from './support/seed';

const bridge = useBridge(seedSmall);

test('the dashboard shows the store’s counts and engine results', async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(bridge.url, 'dashboard');

  await expect(dashboard.stat('partners')).toHaveText(String(SMALL.partners));
  await expect(dashboard.stat('customers')).toHaveText(String(SMALL.customers));
  await expect(dashboard.stat('referralEvents')).toHaveText(String(SMALL.referralEvents));
  await expect(dashboard.stat('orders')).toHaveText(String(SMALL.orders));
  await expect(dashboard.stat('refunds')).toHaveText(String(SMALL.refunds));

  await expect(dashboard.stat('validOrders')).toHaveText(String(SMALL.validOrders));
  await expect(dashboard.stat('rebateFen')).toHaveText('¥1,743.32');
  await expect(dashboard.stat('pendingFen')).toHaveText('¥1,234.56');
  await expect(dashboard.stat('confirmedFen')).toHaveText('¥10,000.00');
  await expect(dashboard.stat('frozenFen')).toHaveText('¥500.00');
  await expect(dashboard.stat('blacklistedPartners')).toHaveText(String(SMALL.blacklistedPartners));
  await expect(dashboard.stat('samePersonGroups')).toHaveText(String(SMALL.samePersonGroups));

  await expect(dashboard.rowCount(dashboard.ordersByStatus, 'valid')).toHaveText('3');
  await expect(dashboard.rowCount(dashboard.ordersByStatus, 'excluded')).toHaveText('1');
  await expect(dashboard.ordersByStatus.locator('[data-row="valid"]')).toContainText('有效订单');
  await expect(dashboard.rowCount(dashboard.partnersByLevel, 'L1')).toHaveText('2');
  await expect(dashboard.partnersByLevel.locator('[data-row="L2"]')).toContainText('银牌云客');
});

test('the last import time is shown in Beijing time, whatever the machine’s zone', async ({ page }) => {
  // The browser runs in America/New_York (playwright.config.ts): there it is 2026-11-19 21:30.
  const dashboard = new DashboardPage(page);
  await dashboard.open(bridge.url, 'dashboard');
  await expect(dashboard.lastImport).toContainText('2026/11/20 10:30');
  await expect(dashboard.lastImport).toContainText('北京时间');
  await dashboard.setLanguage('en');
  await expect(dashboard.lastImport).toContainText('11/20/2026, 10:30');
  await expect(dashboard.lastImport).toContainText('Beijing time');
});
