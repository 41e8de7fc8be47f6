import { expect, test } from '@playwright/test';
import { LookupPage } from './pages/lookup-page';
import { DashboardPage } from './pages/dashboard-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, type TempStore } from './support/seed';
import { importWorld } from './support/world';

/** A store with the world imported; `recompute` decides whether results exist yet. */
function useWorld(recompute: boolean): RunningBridge {
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  test.beforeAll(async () => {
    store = await createTempStore();
    importWorld(store.file, { recompute });
    const started = await startServe(store.file);
    stop = started.stop;
    Object.assign(bridge, started.bridge);
  });
  test.afterAll(async () => {
    await stop?.();
    store?.remove();
  });
  return bridge;
}

test.describe('a support agent looks up orders', () => {
  const bridge = useWorld(true);

  test('pasting O1 and pressing Enter shows a valid order of P2 with a ¥100.00 rebate, and opens it', async ({
    page,
  }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup');
    await expect(lookup.pageTitle).toHaveText('查询');
    await expect(lookup.lastRun).toContainText('2026/11/01 00:00'); // as-of, Beijing time
    await expect(lookup.lastRun).toContainText('规则版本 v1');

    await lookup.searchFor('  O1\n');
    await expect(lookup.results).toHaveAttribute('data-total', '1');
    await expect(lookup.status('O1')).toHaveText('有效订单');
    await expect(lookup.status('O1')).toHaveAttribute('data-status', 'valid');
    await expect(lookup.cell('O1', 'partner')).toHaveText('P2');
    await expect(lookup.cell('O1', 'customer')).toContainText('C1');
    // an admin sees the customer's name and phone in full (support sees them masked)
    await expect(lookup.row('O1').locator('[data-col="customer-identity"]')).toHaveText(
      '客户C1 · 13900000003',
    );
    await expect(lookup.cell('O1', 'paid')).toHaveText('¥500.00');
    await expect(lookup.cell('O1', 'rebate')).toContainText('¥100.00');
    await expect(lookup.cell('O1', 'rebate')).toContainText('已确认');
    await expect(lookup.cell('O1', 'ordered-at')).toHaveText('2026/03/06 12:00');

    // An exact order id opens its explanation straight away, and the address can be shared.
    await lookup.expectOrderOpen('O1');
    await expect(page).toHaveURL(/#\/lookup\?q=O1&order=O1$/);
    await expect(lookup.detail.locator('[data-field="rebate"]')).toContainText('¥100.00');
    await expect(lookup.detail.locator('[data-field="level"]')).toContainText('L1 · 新星云客 · 20%');
    await expect(lookup.detail.getByTestId('computed-with')).toContainText('规则版本 v1');
    await expect(lookup.explanation).toContainText('下单时生效的关联：云客 P2');
    await expect(lookup.ruleBadge('R-ATTR-2')).toBeVisible();
    await expect(lookup.ruleBadge('R-REB-1')).toBeVisible();
    await expect(lookup.partnerCard).toContainText('云客 P2');
    await expect(lookup.partnerCard.locator('[data-field="partner-experience"]')).toContainText('1');
    await expect(lookup.samePerson.getByTestId('same-person-alone')).toBeVisible();

    await lookup.setLanguage('en');
    await expect(lookup.explanation).toContainText('Attribution in force at the order: partner P2');
    await expect(lookup.ruleBadge('R-ATTR-2')).toBeVisible();
    await expect(lookup.status('O1')).toHaveText('Valid');
    await expect(lookup.detail.locator('[data-field="level"]')).toContainText('L1 · Rising Star · 20%');
    await expect(lookup.cell('O1', 'rebate')).toContainText('Confirmed');
  });

  test('a non-earning order shows its reason, translated, with the rule in the tooltip', async ({ page }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup');
    await lookup.searchFor('C1');
    await expect(lookup.results).toHaveAttribute('data-total', '2');
    await expect(lookup.detail).toHaveCount(0); // a customer id lists orders, it opens none
    await expect(lookup.status('O2')).toHaveText('非首单');
    const reason = lookup.reason('O2', 'NOT_FIRST_ORDER');
    await expect(reason).toHaveText('非首个有效订单');
    await reason.hover();
    await expect(page.getByRole('tooltip')).toContainText('R-ORDER-1a');

    await lookup.setLanguage('en');
    await expect(reason).toHaveText('Not the first order');

    await lookup.openOrder('O2');
    await expect(lookup.detail.getByTestId('order-decision')).toContainText('Not the first order');
    await expect(lookup.explanation).toContainText('First-order check: the same person already had order O1');
    await expect(lookup.ruleBadge('R-ORDER-4')).toBeVisible();
  });

  test('the status filter narrows the results; an unknown id says so', async ({ page }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup');
    await expect(lookup.results).toHaveAttribute('data-total', '5');
    await lookup.filterStatus('未关联云客');
    await expect(lookup.results).toHaveAttribute('data-total', '2');
    await expect(lookup.row('O3')).toBeVisible();
    await expect(lookup.row('O5')).toBeVisible();
    await expect(lookup.reason('O3', 'SAME_PERSON_AS_PARTNER')).toHaveText('客户与云客为同一人');

    await lookup.searchFor('O404');
    await expect(lookup.resultsEmpty).toContainText('未找到与“O404”相关的订单');
  });

  test('the deep link #/lookup?order=O3 opens that order, with its same-person evidence', async ({
    page,
  }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup?order=O3');
    await lookup.expectOrderOpen('O3');
    await expect(page.getByTestId('order-detail-title')).toHaveText('订单 O3');
    await expect(lookup.detail).toHaveAttribute('data-status', 'not_attributed');
    await expect(lookup.detail.locator('[data-reason="SAME_PERSON_AS_PARTNER"]')).toBeVisible();
    await expect(lookup.partnerCard).toHaveCount(0); // no partner earned it
    const edge = lookup.samePerson.locator('[data-evidence="phone"]');
    await expect(edge).toContainText('C2');
    await expect(edge).toContainText('P1');
    await expect(edge).toContainText('同一手机号');
    await expect(edge).toContainText('13800000001');

    // Closing the panel leaves the list; Escape works too.
    await page.keyboard.press('Escape');
    await expect(lookup.detail).toHaveCount(0);
    await expect(page).toHaveURL(/#\/lookup$/);
  });

  test('an unknown order in a deep link says it was not found', async ({ page }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup?order=NOPE');
    await expect(page.getByTestId('order-not-explained')).toHaveAttribute(
      'data-error-code',
      'ORDER_NOT_FOUND',
    );
    await expect(page.getByTestId('order-not-explained')).toContainText('未找到订单 NOPE');
  });

  test('copy explanation puts plain text with the rule ids on the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup?order=O1');
    await lookup.expectOrderOpen('O1');
    await lookup.copyExplanation.click();
    await expect(lookup.copyExplanation).toHaveAttribute('data-copied', 'true');
    const text = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(text.split('\n')[0]).toBe('订单 O1：有效订单');
    expect(text).toContain('下单时生效的关联：云客 P2');
    expect(text).toContain('R-ATTR-2');
    expect(text).not.toContain('<');
  });

  test('the partner link lists that partner’s orders', async ({ page }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup?order=O1');
    await lookup.partnerCard.getByTestId('partner-orders').click();
    await expect(page).toHaveURL(/#\/lookup\?q=P2$/);
    await expect(lookup.results).toHaveAttribute('data-total', '2');
    await expect(lookup.row('O1')).toBeVisible();
    await expect(lookup.row('O2')).toBeVisible();
  });
});

test.describe('recompute on demand', () => {
  const bridge = useWorld(false);

  test('before any run the screen says so; Recompute fills the results and the dashboard', async ({
    page,
  }) => {
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup');
    await expect(lookup.neverRun).toContainText('规则引擎尚未运行');
    await expect(lookup.results).toHaveCount(0);

    await lookup.neverRun.getByTestId('recompute').click();
    await expect(page.getByText('计算完成')).toBeVisible();
    await expect(lookup.neverRun).toHaveCount(0);
    await expect(lookup.lastRun).toContainText('规则版本 v1');
    await lookup.searchFor('O1');
    await expect(lookup.status('O1')).toHaveAttribute('data-status', 'valid');
    await expect(lookup.cell('O1', 'rebate')).toContainText('¥100.00');

    // The dashboard's results section offers the same button and shows the new results.
    const dashboard = new DashboardPage(page);
    await dashboard.goTo('dashboard');
    await expect(dashboard.stat('validOrders')).toHaveText('1');
    await page.getByTestId('recompute').click();
    await expect(page.getByTestId('recompute')).not.toHaveAttribute('data-running');
    await expect(dashboard.stat('validOrders')).toHaveText('1');
  });
});
