import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { SessionPage } from './pages/session-page';
import { useBridge } from './support/bridge';

// An empty store, as on first start: the first operator, then the first-run welcome panel.
const bridge = useBridge(undefined, { signedIn: false });

test('R-OP-1: an empty store asks for the first operator (an admin with a PIN), then offers the demo dataset', async ({
  page,
}) => {
  const dashboard = new DashboardPage(page);
  const session = new SessionPage(page);
  await dashboard.open(bridge.url);
  await expect(session.firstOperator).toBeVisible();
  // nothing else answers before someone operates: no navigation, no screen
  await expect(page.getByTestId('nav-dashboard')).toBeHidden();
  await session.createFirstOperator({ id: 'ADM1', name: '周敏', pin: '2468', pin2: '2469' });
  await expect(session.firstOperator).toContainText('两次输入的 PIN 不一致');
  await session.createFirstOperator({ id: 'ADM1', name: '周敏', pin: '2468' });
  await expect(session.operatorMenu).toHaveAttribute('data-operator', 'ADM1');
  await expect(session.operatorMenu).toHaveAttribute('data-role', 'admin');
  await expect(session.operatorMenu).toContainText('管理员');
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
