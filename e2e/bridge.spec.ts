import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { useBridge } from './support/bridge';

const bridge = useBridge();

test('the bridge answers 401 without the token', async ({ request }) => {
  const none = await request.post(`${bridge.origin}/api/app.info`, { data: {} });
  expect(none.status()).toBe(401);
  expect(await none.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

  const wrong = await request.post(`${bridge.origin}/api/app.info`, {
    data: {},
    headers: { Authorization: 'Bearer not-the-token' },
  });
  expect(wrong.status()).toBe(401);

  const right = await request.post(`${bridge.origin}/api/app.info`, {
    data: {},
    headers: { Authorization: `Bearer ${bridge.token}` },
  });
  expect(right.status()).toBe(200);
  expect(await right.json()).toMatchObject({ ok: true, value: { transport: 'bridge', isEmpty: true } });
});

test('opening the app without its token shows a translated UNAUTHORIZED error', async ({ page }) => {
  const app = new AppPage(page);
  await page.goto(`${bridge.origin}/#/dashboard`);
  await expect(app.root).toHaveAttribute('data-app-state', 'error');
  const alert = page.getByTestId('error-alert');
  await expect(alert).toHaveAttribute('data-error-code', 'UNAUTHORIZED');
  await expect(alert).toContainText('未授权');
  await app.setLanguage('en');
  await expect(alert).toContainText('Not authorized');
});
