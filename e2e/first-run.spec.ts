import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { useBridge } from './support/bridge';

// An empty store: the first-run welcome panel.
const bridge = useBridge();

test('an empty store shows the welcome panel offering the demo dataset', async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(bridge.url);
  await expect(dashboard.welcome).toBeVisible();
  await expect(dashboard.welcome).toContainText('欢迎使用云客工作台');
  await expect(dashboard.demoScale).toHaveValue('0.2');
});

test('an invalid input shows the structured error in both languages', async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(bridge.url);
  await dashboard.loadDemo('-1');
  await dashboard.expectError('INVALID_INPUT');
  await expect(dashboard.errorAlert).toContainText('演示数据加载失败');
  await expect(dashboard.errorAlert.getByTestId('error-title')).toHaveText('输入无效');
  await expect(dashboard.errorAlert.getByTestId('error-issues')).toContainText('scale');
  await expect(dashboard.errorAlert.getByTestId('error-message')).toContainText(
    'Invalid input for demo.load',
  );

  await dashboard.setLanguage('en');
  await expect(dashboard.errorAlert).toContainText('Loading the demo data failed');
  await expect(dashboard.errorAlert.getByTestId('error-title')).toHaveText('Invalid input');
  await expect(dashboard.errorAlert.getByTestId('error-hint')).toContainText('did not pass validation');
});

test('loading the demo dataset fills the dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  const dashboard = new DashboardPage(page);
  await dashboard.open(bridge.url);
  await dashboard.loadDemo('0.2');
  await expect(dashboard.stat('partners')).toBeVisible({ timeout: 110_000 });
  await expect(dashboard.errorAlert).toHaveCount(0);
  await expect(dashboard.welcome).toHaveCount(0);
  await expect(dashboard.stat('partners')).not.toHaveText('0');
  await expect(dashboard.stat('orders')).not.toHaveText('0');
  await expect(dashboard.lastImport).toContainText('北京时间');
});
