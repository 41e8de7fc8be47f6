/**
 * Screenshots for review (opt-in): YUNKE_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts
 * Writes screenshots/*.png: the first-run panel, the dashboard after the demo dataset (zh-CN/en,
 * light/dark) and a placeholder screen.
 *
 * The demo generator fills the sources only; the rule engine has not landed yet. So that the
 * results half of the dashboard can be reviewed too, this file (and only this file) derives
 * stand-in engine results from the demo rows with plain SQL. They are not the rule engine.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DashboardPage } from './pages/dashboard-page';
import { PlaceholderPage } from './pages/placeholder-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, type TempStore } from './support/seed';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'screenshots');

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 1000 } });

/** Stand-in results (see the header): valid = first prepaid paid order on an eligible line. */
function deriveStandInResults(file: string): void {
  const db = new BetterSqlite3(file);
  const now = Date.UTC(2026, 10, 26, 6, 0);
  db.exec(`
    INSERT INTO engine_runs (config_version, as_of, mode, started_at, duration_ms, stats_json)
      VALUES (1, ${now}, 'full', ${now + 90_000}, 2400, '{}');
    CREATE TEMP TABLE ranked AS
      SELECT o.order_id, o.customer_id, o.paid_fen, o.billing, o.ordered_at, pl.rebate_eligible AS eligible,
             (SELECT e.partner_id FROM referral_events e WHERE e.customer_id = o.customer_id
                AND e.occurred_at <= o.ordered_at ORDER BY e.occurred_at DESC LIMIT 1) AS partner_id,
             ROW_NUMBER() OVER (PARTITION BY o.customer_id,
                (o.billing = 'prepaid' AND o.paid_fen > 0 AND pl.rebate_eligible = 1) ORDER BY o.ordered_at) AS n
        FROM orders o JOIN product_lines pl ON pl.product_line = o.product_line;
    INSERT INTO result_orders (order_id, customer_id, group_id, ordered_at, paid_fen, net_fen, partner_id, status, rebate_fen)
      SELECT order_id, customer_id, customer_id, ordered_at, paid_fen, paid_fen, partner_id,
             CASE WHEN NOT (billing = 'prepaid' AND paid_fen > 0 AND eligible = 1) THEN 'ineligible'
                  WHEN partner_id IS NULL THEN 'not_attributed'
                  WHEN n > 1 THEN 'not_first'
                  WHEN abs(random()) % 20 = 0 THEN 'excluded'
                  ELSE 'valid' END,
             0
        FROM ranked;
    UPDATE result_orders SET rebate_fen = (SELECT paid_fen * 25 / 100 FROM orders o WHERE o.order_id = result_orders.order_id)
      WHERE status = 'valid';
    INSERT INTO result_partners (partner_id, experience, level, blacklisted, pending_fen, confirmed_fen, frozen_fen)
      SELECT p.partner_id, x.valid, CASE WHEN x.valid >= 60 THEN 'L4' WHEN x.valid >= 30 THEN 'L3' WHEN x.valid >= 10 THEN 'L2' ELSE 'L1' END,
             b.partner_id IS NOT NULL,
             CASE WHEN b.partner_id IS NULL THEN x.fen * 3 / 10 ELSE 0 END,
             CASE WHEN b.partner_id IS NULL THEN x.fen - x.fen * 3 / 10 ELSE 0 END,
             CASE WHEN b.partner_id IS NULL THEN 0 ELSE x.fen END
        FROM partners p
        LEFT JOIN (SELECT partner_id, count(*) AS valid, sum(rebate_fen) AS fen FROM result_orders
                    WHERE status = 'valid' GROUP BY partner_id) x0 ON x0.partner_id = p.partner_id
        JOIN (SELECT p2.partner_id, coalesce(x1.valid, 0) AS valid, coalesce(x1.fen, 0) AS fen FROM partners p2
                LEFT JOIN (SELECT partner_id, count(*) AS valid, sum(rebate_fen) AS fen FROM result_orders
                            WHERE status = 'valid' GROUP BY partner_id) x1 ON x1.partner_id = p2.partner_id) x
          ON x.partner_id = p.partner_id
        LEFT JOIN (SELECT DISTINCT partner_id FROM blacklist_entries WHERE lifted_at IS NULL) b ON b.partner_id = p.partner_id;
    INSERT OR IGNORE INTO result_same_person (member_kind, member_id, group_id)
      SELECT 'customer', customer_id, 'ip:' || registration_ip FROM customers
       WHERE registration_ip IN (SELECT registration_ip FROM customers WHERE registration_ip IS NOT NULL
                                  GROUP BY registration_ip HAVING count(*) > 1);
  `);
  db.close();
}

let empty: TempStore;
let populated: TempStore;
const stops: (() => Promise<void>)[] = [];
let emptyBridge: RunningBridge;
let populatedBridge: RunningBridge;

test.beforeAll(async () => {
  empty = await createTempStore();
  populated = await createTempStore();
  execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'yunke-desk.mjs'), 'demo', '--db', populated.file, '--scale', '0.2'],
    {
      cwd: ROOT,
    },
  );
  deriveStandInResults(populated.file);
  for (const [store, set] of [
    [empty, (b: RunningBridge) => (emptyBridge = b)],
    [populated, (b: RunningBridge) => (populatedBridge = b)],
  ] as const) {
    const s = await startServe(store.file);
    stops.push(s.stop);
    set(s.bridge);
  }
});

test.afterAll(async () => {
  for (const stop of stops) await stop();
  empty?.remove();
  populated?.remove();
});

test('first run: welcome panel, then the demo dataset', async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(emptyBridge.url);
  await expect(dashboard.welcome).toBeVisible();
  await page.screenshot({ path: join(OUT, 'first-run-zh-light.png') });
  await dashboard.loadDemo('0.2');
  await expect(dashboard.stat('partners').or(dashboard.errorAlert)).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: join(OUT, 'after-demo-zh-light.png') });
});

for (const language of ['zh-CN', 'en'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`dashboard ${language} ${scheme}`, async ({ page }) => {
      const dashboard = new DashboardPage(page);
      await dashboard.open(populatedBridge.url, 'dashboard');
      await dashboard.setLanguage(language);
      await dashboard.setColorScheme(scheme);
      await expect(dashboard.stat('partners')).toBeVisible();
      await page.mouse.move(720, 990);
      await expect(page.getByRole('tooltip')).toHaveCount(0);
      await page.screenshot({
        path: join(OUT, `dashboard-${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}.png`),
      });
    });
  }
}

test('placeholder screen', async ({ page }) => {
  const screen = new PlaceholderPage(page);
  await screen.open(populatedBridge.url, 'blacklist');
  await expect(screen.notice).toBeVisible();
  await page.screenshot({ path: join(OUT, 'placeholder-blacklist-zh-light.png') });
  await screen.setLanguage('en');
  await screen.setColorScheme('dark');
  await page.mouse.move(720, 990);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.screenshot({ path: join(OUT, 'placeholder-blacklist-en-dark.png') });
});
