import { expect, test } from '@playwright/test';
import { LookupPage } from './pages/lookup-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, type TempStore } from './support/seed';
import { importWorld } from './support/world';

/** A support operator (R-OP-1: reads everything, decides nothing) on the lookup world. */
let store: TempStore;
let bridge: RunningBridge;
let stop: () => Promise<void>;

test.beforeAll(async () => {
  store = await createTempStore(({ sqlite }) =>
    sqlite
      .prepare(
        "INSERT INTO operators (operator_id, name, role, created_at) VALUES ('SUP1', '刘洋', 'support', 0)",
      )
      .run(),
  );
  importWorld(store.file, { recompute: true });
  const started = await startServe(store.file, { as: 'SUP1' });
  bridge = started.bridge;
  stop = started.stop;
});
test.afterAll(async () => {
  await stop?.();
  store?.remove();
});

/** An 11-digit mobile number, or an 18-character ID number. */
const PHONE_OR_ID = /1[3-9]\d{9}|\d{17}[\dX]/;

test('a support operator copies a partner reply that holds no other person’s phone or ID number, and finds no write action', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const lookup = new LookupPage(page);
  await lookup.open(bridge.url, 'lookup');
  await lookup.setLanguage('en');
  await expect(page.getByTestId('operator-menu')).toHaveAttribute('data-role', 'support');
  // no write action for support: no recompute here
  await expect(lookup.recompute).toHaveCount(0);

  // O3: C2 shares P1's phone, so the same person (R-SAME-2): the evidence is masked for support
  await lookup.searchFor('O3');
  await lookup.expectOrderOpen('O3');
  await expect(page.getByTestId('masked-notice')).toBeVisible();
  await expect(lookup.detail).toContainText('138****0001');
  await expect(lookup.detail).not.toContainText('13800000001');
  const reply = page.getByTestId('reply-text');
  await expect(reply).toContainText('earns no rebate');
  await expect(reply).toContainText('the same person as you');
  await page.getByTestId('copy-reply').click();
  await expect(page.getByTestId('copy-reply')).toHaveAttribute('data-copied', 'true');
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(copied).toContain('Order O3');
  expect(copied).toContain('R-SAME-2');
  expect(copied).not.toMatch(PHONE_OR_ID);
  expect(copied).not.toContain('customer:');

  // a partner search shows the partner's standing above their orders, identity masked
  await lookup.searchFor('P2');
  const summary = page.locator('[data-testid="partner-summary"][data-partner="P2"]');
  await expect(summary).toContainText('138****0002');
  await expect(summary.locator('[data-field="confirmed"]')).toContainText('¥100.00');
  await expect(lookup.row('O1')).toBeVisible();
  // a search by the customer's phone finds their orders, shown masked
  await lookup.searchFor('13900000003');
  await expect(lookup.row('O1')).toBeVisible();
  await expect(lookup.row('O1').locator('[data-col="customer-identity"]')).toContainText('139****0003');

  // data sync: read-only for support
  await lookup.goTo('sync');
  await expect(page.getByTestId('sync-read-only')).toBeVisible();
  await page.getByTestId('tab-api').click();
  await expect(page.getByTestId('api-save')).toHaveCount(0);
  await expect(page.getByTestId('pull-all')).toHaveCount(0);
});
