/**
 * Screenshots for review (opt-in): YUNKE_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts
 * Writes screenshots/*.png of every screen in zh-CN and English, light and dark: most over the demo
 * dataset or a small world computed by the real rule engine.
 *
 * The first tests (dashboard, lookup) predate the rule engine: for them this file (and only this
 * file) derives stand-in engine results from the demo rows with plain SQL.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AuditPage } from './pages/audit-page';
import { DashboardPage } from './pages/dashboard-page';
import { LevelsPage } from './pages/levels-page';
import { BlacklistPage } from './pages/blacklist-page';
import { DisputesPage, OpenDisputeForm } from './pages/disputes-page';
import { InvestigationPage } from './pages/investigation-page';
import { LookupPage } from './pages/lookup-page';
import { PayoutsPage } from './pages/payouts-page';
import { SessionPage } from './pages/session-page';
import { SettingsPage } from './pages/settings-page';
import { SyncPage } from './pages/sync-page';
import { startTestApiServer } from '../src/main/sync/test-server';
import { startServe, type RunningBridge } from './support/bridge';
import { cli as financeCli } from './support/finance-world';
import { createTempStore, E2E_ADMIN, type TempStore } from './support/seed';
import { importWorld } from './support/world';

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
/** The demo dataset with the real engine's results (`yunke-desk recompute`), for the lookup screen. */
let computed: TempStore;
let computedBridge: RunningBridge;
/** Orders worth showing: a valid one with same-person evidence, and a refused one with reasons. */
let showcase: { partner: string; valid: string; notFirst: string };
const stops: (() => Promise<void>)[] = [];
let emptyBridge: RunningBridge;
let populatedBridge: RunningBridge;

test.beforeAll(async () => {
  empty = await createTempStore();
  populated = await createTempStore();
  execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'yunke-desk.mjs'), 'demo', '--db', populated.file, '--scale', '0.2', '--no-recompute'],
    {
      cwd: ROOT,
    },
  );
  deriveStandInResults(populated.file);
  computed = await createTempStore();
  for (const args of [
    ['demo', '--db', computed.file, '--scale', '0.2'],
    ['recompute', '--db', computed.file],
  ])
    execFileSync(process.execPath, [join(ROOT, 'bin', 'yunke-desk.mjs'), ...args], { cwd: ROOT });
  {
    const db = new BetterSqlite3(computed.file, { readonly: true });
    const valid = db
      .prepare(
        `SELECT order_id, partner_id FROM result_orders r WHERE status = 'valid' AND rebate_status = 'confirmed'
           AND EXISTS (SELECT 1 FROM result_same_person_edges e WHERE e.group_id = r.group_id)
           AND (SELECT count(*) FROM result_orders o WHERE o.partner_id = r.partner_id AND o.status <> 'valid') > 2
         ORDER BY order_id LIMIT 1`,
      )
      .get() as { order_id: string; partner_id: string };
    const notFirst = db
      .prepare(`SELECT order_id FROM result_orders WHERE status = 'not_first' ORDER BY order_id LIMIT 1`)
      .pluck()
      .get() as string;
    db.close();
    showcase = { partner: valid.partner_id, valid: valid.order_id, notFirst };
  }
  for (const [store, set] of [
    [empty, (b: RunningBridge) => (emptyBridge = b)],
    [populated, (b: RunningBridge) => (populatedBridge = b)],
    [computed, (b: RunningBridge) => (computedBridge = b)],
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
  computed?.remove();
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

/** An orders export with two bad amounts, a bad time and an extra column, as an admin would drop it. */
function ordersWithErrors(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yunke-shots-'));
  const rows = [
    '订单号,客户ID,产品线,计费方式,包年包月,实付金额,下单时间,备注',
    'SO-20261120-001,C000101,ecs,prepaid,是,"1,200.50",2026-11-20 09:12:00,',
    'SO-20261120-002,C000102,ecs,prepaid,否,¥399.00,2026-11-20 09:30:41,续费',
    'SO-20261120-003,C000103,rds,prepaid,是,12O0,2026-11-20 10:02:13,',
    'SO-20261120-004,C000104,cdn,postpaid,否,86.4,2026-11-20 10:15:00,',
    'SO-20261120-005,C000105,ecs,prepaid,是,-50,2026-11-20 10:47:29,退款冲正',
    'SO-20261120-006,C000106,oss,prepaid,否,2680,2026/11/20 25:00,',
    'SO-20261120-007,C000107,ecs,prepaid,是,15800.00,2026-11-20 11:20:05,',
  ];
  const file = join(dir, '订单导出-2026-11-20.csv');
  writeFileSync(file, rows.join('\r\n') + '\r\n');
  return file;
}

test('sync: preview with errors (zh light), then history (en dark)', async ({ page }) => {
  const sync = new SyncPage(page);
  await sync.open(populatedBridge.url, 'sync');
  await sync.addFiles(ordersWithErrors());
  const card = sync.file('订单导出-2026-11-20.csv');
  await card.waitPreview();
  await expect(card.errors).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 1260 });
  await page.mouse.move(720, 1250);
  await page.screenshot({ path: join(OUT, 'sync-preview-errors-zh-light.png') });
  await sync.setLanguage('en');
  await sync.setColorScheme('dark');
  await page.mouse.move(720, 1250);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.screenshot({ path: join(OUT, 'sync-preview-errors-en-dark.png') });
  await sync.setLanguage('zh-CN');
  await sync.setColorScheme('light');
  await page.setViewportSize({ width: 1440, height: 1000 });

  await card.importValidButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await page.screenshot({ path: join(OUT, 'sync-result-zh-light.png') });

  await sync.setLanguage('en');
  await sync.setColorScheme('dark');
  await sync.historyTab.click();
  await expect(sync.historyRow('订单导出-2026-11-20.csv')).toBeVisible();
  await page.mouse.move(720, 990);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.screenshot({ path: join(OUT, 'sync-history-en-dark.png') });
  await sync.openRejections('订单导出-2026-11-20.csv');
  await page.screenshot({ path: join(OUT, 'sync-rejections-en-dark.png') });
  await page.keyboard.press('Escape');

  // API sources: the bridge has no token variable for this one, so its pull fails visibly.
  const server = await startTestApiServer({
    items: { customers: [{ customer_id: 'C900001', registered_at: '2026-11-20 09:00:00' }] },
  });
  try {
    await sync.apiTab.click();
    await page.getByTestId('api-base-url').fill(`${server.url}/partners`);
    await page.getByTestId('api-token-env').fill('YUNKE_TOKEN_PARTNERS');
    await page.getByTestId('api-save').click();
    const row = page.locator('[data-testid="api-table"] tr[data-source="partners"]');
    await row.getByTestId('pull-now').click();
    await expect(row.locator('[data-cell="last-pull"]')).not.toContainText('Never pulled');
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
    await page.mouse.move(720, 990);
    await page.screenshot({ path: join(OUT, 'sync-api-en-dark.png') });
  } finally {
    await server.close();
  }
});

test('lookup zh-CN light: a partner’s orders, one open', async ({ page }) => {
  const lookup = new LookupPage(page);
  await lookup.open(computedBridge.url, `lookup?q=${showcase.partner}&order=${showcase.valid}`);
  await lookup.setColorScheme('light');
  await lookup.expectOrderOpen(showcase.valid);
  await expect(lookup.samePerson.getByTestId('same-person-edges')).toBeVisible();
  await expect(lookup.partnerCard.locator('[data-field="partner-level"]')).toBeVisible();
  await page.mouse.move(720, 990);
  await page.screenshot({ path: join(OUT, 'lookup-zh-light.png') });
  await lookup.samePerson.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'lookup-zh-light-partner.png') });
  await page.keyboard.press('Escape');
  await expect(lookup.detail).toHaveCount(0);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.screenshot({ path: join(OUT, 'lookup-list-zh-light.png') });
});

test('lookup en dark: refused orders, one open', async ({ page }) => {
  const lookup = new LookupPage(page);
  await lookup.open(computedBridge.url, `lookup?status=not_first&order=${showcase.notFirst}`);
  await lookup.setLanguage('en');
  await lookup.setColorScheme('dark');
  await lookup.expectOrderOpen(showcase.notFirst);
  await expect(lookup.explanation).toContainText('First-order check');
  await page.mouse.move(720, 990);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.screenshot({ path: join(OUT, 'lookup-en-dark.png') });
});

test('lookup before the engine has run', async ({ page }) => {
  const store = await createTempStore();
  importWorld(store.file, { recompute: false });
  const serve = await startServe(store.file);
  try {
    const lookup = new LookupPage(page);
    await lookup.open(serve.bridge.url, 'lookup');
    await expect(lookup.neverRun).toBeVisible();
    await page.screenshot({ path: join(OUT, 'lookup-never-run-zh-light.png') });
  } finally {
    await serve.stop();
    store.remove();
  }
});

test('sync: a large import in progress, then cancelled (zh light)', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'yunke-shots-'));
  const lines = ['订单号,客户ID,产品线,计费方式,实付金额,下单时间'];
  for (let i = 0; i < 300_000; i++)
    lines.push(
      `SO-2026-${String(i).padStart(7, '0')},C${(i % 4000) + 1},ecs,prepaid,${(i % 900) + 1}.10,2026-11-20 09:00:00`,
    );
  const file = join(dir, '订单全量-2026-11.csv');
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  const sync = new SyncPage(page);
  await sync.open(populatedBridge.url, 'sync');
  await sync.setLanguage('zh-CN');
  await sync.setColorScheme('light');
  await sync.addFiles(file);
  const card = sync.file('订单全量-2026-11.csv');
  await card.waitPreview();
  await card.importButton.click();
  await expect
    .poll(async () => Number(await card.progress.getAttribute('data-rows')), { timeout: 30_000 })
    .toBeGreaterThan(20_000);
  await page.mouse.move(720, 990);
  await page.screenshot({ path: join(OUT, 'sync-progress-zh-light.png') });
  await card.cancelImportButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await page.screenshot({ path: join(OUT, 'sync-cancelled-zh-light.png') });
});

/** Calls the bridge's contract as its signed-in operator (setting up decisions worth showing). */
async function callBridge(
  page: import('@playwright/test').Page,
  bridge: RunningBridge,
  method: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  const r = await page.request.post(`${bridge.origin}/api/${method}`, {
    headers: { Authorization: `Bearer ${bridge.token}` },
    data: input ?? {},
  });
  const body = (await r.json()) as { ok: boolean; value: Record<string, unknown>; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

test('audit and settings: every state, zh-CN and English, light and dark', async ({ page }) => {
  test.setTimeout(1_200_000);
  const world = await createTempStore();
  importWorld(world.file, { recompute: true });
  const tampered = await createTempStore();
  importWorld(tampered.file, { recompute: true });
  {
    // behind the store's back, as with the sqlite3 shell: the triggers dropped, a reason edited
    const db = new BetterSqlite3(tampered.file);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET reason = '已核实' WHERE audit_id = 4").run();
    db.close();
  }
  const serve = await startServe(world.file);
  const broken = await startServe(tampered.file);
  try {
    const bridge = serve.bridge;
    // decisions worth showing: operators, two rule versions (one pending), a backup
    await callBridge(page, bridge, 'operators.add', {
      operatorId: 'FIN1',
      name: '王静',
      role: 'finance',
      pin: '2468',
    });
    await callBridge(page, bridge, 'operators.add', { operatorId: 'SUP1', name: '李娜', role: 'support' });
    const v1 = (await callBridge(page, bridge, 'config.versions', {})) as {
      versions: {
        config: { levels: { ratio_bp: number; threshold: number }[]; clawback: { window_days: number } };
      }[];
    };
    const config = structuredClone(v1.versions[0].config);
    config.levels[0].ratio_bp = 1000;
    config.levels[1].threshold = 1;
    await callBridge(page, bridge, 'config.save', {
      config,
      reason: 'Q4 政策：L1 返利比例下调至 10%，L2 门槛降为 1 点',
      effectiveAt: Date.UTC(2026, 8, 30, 16),
    });
    config.clawback.window_days = 45;
    await callBridge(page, bridge, 'config.save', {
      config,
      reason: '2027 年起退款追回窗口延长到 45 天',
      effectiveAt: Date.UTC(2026, 11, 31, 16),
    });
    await callBridge(page, bridge, 'backup.create', { choose: false });
    const configEntry = (
      (await callBridge(page, bridge, 'audit.list', { action: 'config.save', limit: 1 })) as {
        rows: { audit_id: number }[];
      }
    ).rows[0].audit_id;

    const audit = new AuditPage(page);
    const settings = new SettingsPage(page);
    const quiet = async () => {
      await page.mouse.move(5, 995);
      await expect(page.getByRole('tooltip')).toHaveCount(0);
      await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
    };
    const shot = async (name: string) => {
      await quiet();
      await page.screenshot({ path: join(OUT, `${name}.png`) });
    };
    // each bridge is its own origin (its own stored language and scheme): set them on every visit
    let language: 'zh-CN' | 'en' = 'zh-CN';
    let scheme: 'light' | 'dark' = 'light';
    const go = async (b: RunningBridge, route: string) => {
      await page.goto(`${b.url}#/${route}`);
      await audit.waitReady();
      await audit.setLanguage(language);
      await audit.setColorScheme(scheme);
    };

    for (const l of ['zh-CN', 'en'] as const) {
      for (const c of ['light', 'dark'] as const) {
        [language, scheme] = [l, c];
        const tag = `${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}`;
        await go(bridge, 'audit');
        await expect(audit.chainStatus).toHaveAttribute('data-state', 'intact');
        await shot(`audit-list-${tag}`);
        await go(bridge, `audit?entry=${configEntry}`);
        await expect(audit.entry).toBeVisible();
        await shot(`audit-entry-${tag}`);
        await go(broken.bridge, 'audit');
        await expect(audit.broken).toBeVisible();
        await shot(`audit-broken-${tag}`);
        await audit.showBroken.click();
        await expect(audit.entry).toBeVisible();
        await shot(`audit-broken-entry-${tag}`);

        await go(bridge, 'settings');
        await expect(settings.inForce).toBeVisible();
        await expect(page.getByTestId('pending-version')).toBeVisible();
        await shot(`settings-rules-${tag}`);
        // O1 ¥50.00 → ¥75.00 at 15%; P2 (1 point) back to L1 under a threshold of 2
        await settings.editAndPreview(
          [
            { level: 'L1', field: 'ratio', value: '15' },
            { level: 'L2', field: 'threshold', value: '2' },
          ],
          '2026-10-01T00:00',
        );
        await settings.levelInput('L3', 'ratio').fill('32.5');
        await expect(settings.stale).toBeVisible();
        await settings.previewButton.click();
        await expect(settings.stale).toBeHidden();
        await settings.impact.scrollIntoViewIfNeeded();
        await shot(`settings-preview-${tag}`);
        await settings.page.getByTestId('level-table').scrollIntoViewIfNeeded();
        await page.mouse.wheel(0, -120);
        await shot(`settings-editing-${tag}`);
        await go(bridge, 'settings?tab=versions&a=1&b=3');
        await expect(settings.versionDiff).toBeVisible();
        await shot(`settings-versions-${tag}`);
        await go(bridge, 'settings?tab=operators');
        await expect(settings.operatorsTable).toBeVisible();
        await shot(`settings-operators-${tag}`);
        await go(bridge, 'settings?tab=backup');
        await expect(settings.backupsTable).toBeVisible();
        await shot(`settings-backup-${tag}`);
        await go(bridge, 'settings?tab=general');
        await shot(`settings-general-${tag}`);
      }
    }

    // one of each remaining state (zh-CN light, then English dark)
    [language, scheme] = ['zh-CN', 'light'];
    await go(bridge, 'audit?action=blacklist.add');
    await expect(audit.empty).toBeVisible();
    await shot('audit-empty-zh-light');
    await go(bridge, 'settings');
    await settings.editRules.click();
    await settings.levelInput('L2', 'threshold').fill('0');
    await settings.levelInput('L3', 'ratio').fill('');
    await page.getByTestId('rules-editor-actions').scrollIntoViewIfNeeded();
    await shot('settings-invalid-zh-light');
    await settings.cancelEdit.click();
    await settings.editAndPreview([{ level: 'L1', field: 'ratio', value: '15' }], '2026-10-01T00:00');
    await settings.saveButton.click();
    await expect(settings.dialog).toBeVisible();
    await settings.confirm.click();
    await expect(settings.dialog).toContainText('R-OP-2');
    await shot('settings-save-dialog-zh-light');
    await page.keyboard.press('Escape');
    await go(bridge, 'settings?tab=operators');
    await settings.addOperatorButton.click();
    await page.getByTestId('add-operator-submit').click();
    await shot('settings-add-operator-zh-light');
    await page.keyboard.press('Escape');
    await go(bridge, 'settings?tab=backup');
    await settings.backupNowButton.click();
    await expect(settings.backupResult).toBeVisible({ timeout: 20_000 });
    await shot('settings-backup-done-zh-light');
    [language, scheme] = ['en', 'dark'];
    await audit.setLanguage(language);
    await audit.setColorScheme(scheme);
    await settings
      .backupRow(/^yunke-/)
      .last()
      .getByTestId('backup-restore')
      .click();
    await expect(settings.dialog).toBeVisible();
    await settings.reason.fill('back to the earlier backup');
    await shot('settings-restore-dialog-en-dark');
    await settings.confirm.click();
    await expect(settings.restoreResult).toBeVisible({ timeout: 30_000 });
    await shot('settings-restored-en-dark');

    // a support operator: everything reads, nothing writes
    await new SessionPage(page).switchTo('SUP1');
    [language, scheme] = ['zh-CN', 'light'];
    await go(bridge, 'settings');
    await expect(settings.readOnly).toBeVisible();
    await shot('settings-rules-support-zh-light');
    await go(bridge, 'settings?tab=backup');
    await shot('settings-backup-support-zh-light');
  } finally {
    await serve.stop();
    await broken.stop();
    world.remove();
    tampered.remove();
  }
});

/**
 * Levels, payouts, the partner statement and the dashboard's trends (issue 11), every state in
 * zh-CN and English (light and dark for the main ones), over the demo dataset computed by the real
 * engine, with batches in every state made through the CLI (prepared by demo-finance, decided by
 * FIN2 with a PIN, exported, paid from a bank result file with two failed transfers).
 */
test('levels, payouts, statement and trends: every state, zh-CN and English, light and dark', async ({
  page,
}) => {
  test.setTimeout(1_500_000);
  const store = await createTempStore();
  const cliAt = (args: string[], env: Record<string, string> = {}) => {
    const [command, sub, ...rest] = args;
    return financeCli([command, sub, '--db', store.file, ...rest], env);
  };
  financeCli(['demo', '--db', store.file, '--scale', '0.2']);
  const FIN2 = { YUNKE_PIN: '2468' };
  cliAt(
    ['operator', 'add', '--id', 'FIN2', '--name', '赵敏', '--role', 'finance', '--as', 'e2e-admin', '--pin'],
    FIN2,
  );
  const db = new BetterSqlite3(store.file, { readonly: true });
  const due = db
    .prepare(
      `SELECT cycle_key FROM result_payouts WHERE status = 'due' AND amount_fen > 0
        GROUP BY cycle_key ORDER BY max(cycle_end) DESC, cycle_key DESC`,
    )
    .pluck()
    .all() as string[];
  const monthly = due.filter((k) => /^\d{4}-\d{2}$/.test(k));
  const semi = due.filter((k) => /^\d{4}-\d{2}[ab]$/.test(k));
  const weekly = due.filter((k) => /-W\d+$/.test(k));
  const override = db
    .prepare(`SELECT partner_id FROM level_overrides WHERE revoked_at IS NULL ORDER BY override_id LIMIT 1`)
    .pluck()
    .get() as string;
  const clawed = db
    .prepare(
      `SELECT o.partner_id, o.cycle_key FROM result_orders o JOIN refunds r ON r.order_id = o.order_id
        JOIN result_payouts p ON p.partner_id = o.partner_id AND p.cycle_key = o.cycle_key
        WHERE o.status = 'valid' AND o.rebate_status <> 'frozen' AND p.status IN ('due', 'closed')
        GROUP BY o.partner_id, o.cycle_key ORDER BY count(*) DESC, o.partner_id LIMIT 1`,
    )
    .get() as { partner_id: string; cycle_key: string };
  const frozen = db
    .prepare(
      `SELECT partner_id, cycle_key FROM result_orders WHERE rebate_status = 'frozen' AND cycle_key IS NOT NULL
        ORDER BY ordered_at DESC LIMIT 1`,
    )
    .get() as { partner_id: string; cycle_key: string } | undefined;
  const unranked = db
    .prepare(
      `SELECT partner_id FROM partners WHERE partner_id NOT IN (SELECT partner_id FROM result_experience)
        ORDER BY partner_id LIMIT 1`,
    )
    .pluck()
    .get() as string;
  db.close();

  // batches in every state (demo-finance prepares, FIN2 decides with the PIN)
  const prepare = (cycle: string) =>
    Number(
      /batch (\d+) for/.exec(cliAt(['payouts', 'prepare', '--cycle', cycle, '--as', 'demo-finance']))![1],
    );
  const decide = (batch: number, decision: string, reason: string) =>
    cliAt(
      [
        'payouts',
        'decide',
        '--batch',
        String(batch),
        '--decision',
        decision,
        '--reason',
        reason,
        '--as',
        'FIN2',
      ],
      FIN2,
    );
  const paidBatch = prepare(monthly[1]);
  decide(paidBatch, 'approve', '与财务系统核对无误，同意发放');
  const dir = mkdtempSync(join(tmpdir(), 'yunke-shots-'));
  const bankFile = join(dir, 'bank.csv');
  cliAt([
    'payouts',
    'export',
    '--batch',
    String(paidBatch),
    '--format',
    'csv',
    '--layout',
    'bank',
    '--out',
    bankFile,
  ]);
  const bankRows = readFileSync(bankFile, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  const resultFile = join(dir, 'result.csv');
  writeFileSync(
    resultFile,
    ['收款账号,金额,状态,失败原因']
      .concat(
        bankRows.map((row, i) => {
          const [account, , amount] = row.split(',');
          return `${account.replace(/"/g, '')},${amount},${i < 2 ? '失败' : '成功'},${i === 0 ? '户名不符' : i === 1 ? '账户已冻结' : ''}`;
        }),
      )
      .join('\r\n') + '\r\n',
  );
  cliAt(
    ['payouts', 'mark-paid', '--batch', String(paidBatch), '--bank-result', resultFile, '--as', 'FIN2'],
    FIN2,
  );
  // a clawback after payment (R-CLAW-3): a full refund inside the window, imported after the payment
  const paid = new BetterSqlite3(store.file, { readonly: true })
    .prepare(
      `SELECT o.order_id, o.paid_fen, o.ordered_at FROM result_orders o
        JOIN payout_lines l ON l.partner_id = o.partner_id AND l.batch_id = ? AND l.status = 'paid'
        WHERE o.status = 'valid' AND o.cycle_key = ? AND o.rebate_fen > 0
          AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)
        ORDER BY o.rebate_fen DESC LIMIT 1`,
    )
    .get(paidBatch, monthly[1]) as { order_id: string; paid_fen: number; ordered_at: number };
  const refunds = join(dir, 'refunds.csv');
  const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
  writeFileSync(
    refunds,
    `refund_id,order_id,kind,amount,refunded_at\r\nRF-LATE-0001,${paid.order_id},refund,${(paid.paid_fen / 100).toFixed(2)},${beijing(paid.ordered_at + 10 * 86_400_000)}\r\n`,
  );
  financeCli(['import', '--db', store.file, '--source', 'refunds', refunds]);
  financeCli(['recompute', '--db', store.file]);
  const statementOf =
    (new BetterSqlite3(store.file, { readonly: true })
      .prepare(
        `SELECT partner_id, cycle_key FROM result_payouts WHERE carried_fen < 0 ORDER BY cycle_start DESC LIMIT 1`,
      )
      .get() as { partner_id: string; cycle_key: string } | undefined) ?? clawed;
  const draftBatch = prepare(monthly[0]);
  const heldBatch = prepare(monthly[2]);
  decide(heldBatch, 'hold', '等待合作方补充发票后再审批');
  const rejectedBatch = prepare(monthly[3]);
  decide(rejectedBatch, 'reject', '金额与合同约定不符，退回重新核算');
  const approvedBatch = prepare(semi[0]);
  decide(approvedBatch, 'approve', '半月结算核对无误');
  const freshCycle = weekly[0];

  // bank result files for the approved batch: one with problems, one that reads
  const approvedFile = join(dir, 'approved.csv');
  cliAt([
    'payouts',
    'export',
    '--batch',
    String(approvedBatch),
    '--format',
    'csv',
    '--layout',
    'bank',
    '--out',
    approvedFile,
  ]);
  const approvedRows = readFileSync(approvedFile, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  const resultOf = (bad: boolean) =>
    Buffer.from(
      ['收款账号,金额,状态,失败原因']
        .concat(
          approvedRows.map((row, i) => {
            const [account, , amount] = row.split(',');
            const a = account.replace(/"/g, '');
            if (bad && i === 0) return `${a},${(Number(amount) + 10).toFixed(2)},成功,`;
            if (bad && i === 1) return `6200000000000000000,${amount},成功,`;
            return `${a},${amount},${i === 2 ? '失败' : '成功'},${i === 2 ? '收款行退回' : ''}`;
          }),
        )
        .join('\r\n') + '\r\n',
    );

  const serve = await startServe(store.file);
  const bridge = serve.bridge;
  const empty = await createTempStore();
  const emptyServe = await startServe(empty.file);
  try {
    const app = new PayoutsPage(page);
    const levels = new LevelsPage(page);
    const signIn = async (operatorId: string, pin?: string) => {
      const r = await page.request.post(`${bridge.origin}/api/session.signIn`, {
        headers: { Authorization: `Bearer ${bridge.token}` },
        data: pin ? { operatorId, pin } : { operatorId },
      });
      expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
    };
    const quiet = async () => {
      await page.mouse.move(5, 995);
      await expect(page.getByRole('tooltip')).toHaveCount(0);
      await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
    };
    const shot = async (name: string, fullPage = false) => {
      await quiet();
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
    };
    let language: 'zh-CN' | 'en' = 'zh-CN';
    let scheme: 'light' | 'dark' = 'light';
    const go = async (route: string, b: RunningBridge = bridge) => {
      await page.goto(`${b.url}#/${route}`);
      await app.waitReady();
      await app.setLanguage(language);
      await app.setColorScheme(scheme);
    };
    const as = async (l: 'zh-CN' | 'en', c: 'light' | 'dark') => {
      [language, scheme] = [l, c];
      await app.setLanguage(language);
      await app.setColorScheme(scheme);
    };

    for (const l of ['zh-CN', 'en'] as const) {
      for (const c of ['light', 'dark'] as const) {
        [language, scheme] = [l, c];
        const tag = `${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}`;
        await signIn('e2e-admin');
        await go('levels');
        await expect(levels.levelTable).toBeVisible();
        await expect(page.getByTestId('all-overrides').locator('tr[data-override]').first()).toBeVisible();
        await shot(`levels-table-${tag}`);
        await go(`levels?partner=${override}`);
        await expect(levels.history).toBeVisible();
        await expect(levels.ledger.locator('tr[data-source]').first()).toBeVisible();
        await shot(`levels-partner-${tag}`, true);

        await signIn('FIN2', FIN2.YUNKE_PIN);
        await go('payouts');
        await expect(app.cyclesTable.locator('tr[data-cycle]').first()).toBeVisible();
        await shot(`payouts-cycles-${tag}`);
        await go(`payouts?batch=${draftBatch}`);
        await expect(app.approveButton).toBeVisible();
        await expect(app.linesTable.locator('tr[data-partner]').first()).toBeVisible();
        await shot(`payouts-batch-draft-${tag}`);
        await go(`payouts?batch=${paidBatch}`);
        await expect(app.approvedNotice).toBeVisible();
        await expect(page.getByTestId('exports-table')).toBeVisible();
        await shot(`payouts-batch-paid-${tag}`);
        await go(`payouts?batch=${paidBatch}&status=failed`);
        await expect(app.linesTable.locator('tr[data-line-status="failed"]')).toHaveCount(2);
        await app.linesTable.scrollIntoViewIfNeeded();
        await shot(`payouts-batch-failed-${tag}`);
        await go(`payouts?statement=${statementOf.partner_id}&cycle=${statementOf.cycle_key}`);
        await expect(app.statement).toBeVisible();
        await shot(`statement-${tag}`, true);
        await go('dashboard');
        await expect(page.getByTestId('trend-levels')).toBeVisible();
        await page.getByTestId('trends').scrollIntoViewIfNeeded();
        await shot(`dashboard-trends-${tag}`);
      }
    }

    // one of each remaining state: zh-CN light, then English dark or light
    [language, scheme] = ['zh-CN', 'light'];
    await signIn('e2e-admin');
    await go('levels');
    await levels.findPartner('YK10001');
    await expect(page.getByTestId('partner-results')).toBeVisible();
    await shot('levels-search-results-zh-light');
    await go(`levels?partner=${clawed.partner_id}`);
    await expect(levels.history).toBeVisible();
    await levels.previewOverride('L4', '2026-06-01T00:00', '2026-12-31T00:00');
    await levels.editor.scrollIntoViewIfNeeded();
    await shot('levels-override-preview-zh-light');
    await levels.applyButton.click();
    await expect(levels.dialog).toBeVisible();
    await levels.confirm.click();
    await expect(levels.dialog).toContainText('R-OP-2');
    await shot('levels-override-dialog-zh-light');
    await page.keyboard.press('Escape');
    await go(`levels?partner=${unranked}`);
    await expect(levels.partner).toBeVisible();
    await shot('levels-no-experience-zh-light');
    await as('en', 'dark');
    await go(`levels?partner=${clawed.partner_id}`);
    await levels.previewOverride('L3', '2026-09-01T00:00');
    await levels.editor.scrollIntoViewIfNeeded();
    await shot('levels-override-preview-en-dark');
    await go(`levels?partner=${override}`);
    await levels.overrides
      .locator('tr[data-state="in_force"]')
      .getByTestId('override-revoke')
      .first()
      .click();
    await expect(page.getByTestId('revoke-panel').getByTestId('impact-preview')).toBeVisible({
      timeout: 60_000,
    });
    await page.getByTestId('revoke-panel').scrollIntoViewIfNeeded();
    await shot('levels-revoke-en-dark');
    await signIn('demo-support');
    [language, scheme] = ['zh-CN', 'light'];
    await go(`levels?partner=${override}`);
    await expect(levels.history).toBeVisible();
    await expect(levels.overrideOpen).toHaveCount(0);
    await shot('levels-partner-support-zh-light');
    await go('payouts');
    await expect(app.cyclesTable.locator('tr[data-cycle]').first()).toBeVisible();
    await shot('payouts-cycles-support-zh-light');

    // the preparer's view, then the checker's decisions
    await signIn('demo-finance');
    await go(`payouts?batch=${draftBatch}`);
    await expect(app.makerChecker).toBeVisible();
    await shot('payouts-batch-maker-zh-light');
    await go(`payouts?cycle=${freshCycle}`);
    await expect(page.getByTestId('due-table').locator('tr[data-partner]').first()).toBeVisible();
    await shot('payouts-cycle-zh-light');
    await page.getByTestId('cycle-view-prepare').click();
    await expect(app.prepareDialog).toBeVisible();
    await expect(app.figure('prepare-total')).toBeVisible();
    await shot('payouts-prepare-dialog-zh-light');
    await page.keyboard.press('Escape');
    await signIn('FIN2', FIN2.YUNKE_PIN);
    await go(`payouts?batch=${draftBatch}`);
    await app.approveButton.click();
    await expect(app.dialog).toBeVisible();
    await app.reason.fill('与财务系统核对无误，同意发放');
    await shot('payouts-approve-dialog-zh-light');
    await page.keyboard.press('Escape');
    const pendingLine = app.linesTable.locator('tr[data-line-status="pending"]').first();
    await pendingLine.getByTestId('line-actions').click();
    await expect(page.getByTestId('line-hold')).toBeVisible();
    await shot('payouts-line-menu-zh-light');
    await page.keyboard.press('Escape');
    await go(`payouts?batch=${heldBatch}`);
    await expect(page.getByTestId('batch-decided')).toBeVisible();
    await shot('payouts-batch-held-zh-light');
    await go(`payouts?batch=${approvedBatch}`);
    const download = page.waitForEvent('download');
    await app.exportRun.click();
    await download;
    await expect(app.exportResult).toBeVisible();
    await shot('payouts-export-result-zh-light');
    const upload = async (buffer: Buffer, name: string) => {
      const chooser = page.waitForEvent('filechooser');
      await app.bankResultUpload.click();
      await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer });
      await expect(app.bankDialog).toBeVisible({ timeout: 30_000 });
    };
    await upload(resultOf(true), '银行回单-有误.csv');
    await expect(page.getByTestId('bank-problems')).toBeVisible();
    await shot('payouts-bank-problems-zh-light');
    await page.keyboard.press('Escape');
    await as('en', 'dark');
    await upload(resultOf(false), 'bank-result.csv');
    await expect(page.getByTestId('bank-ok')).toBeVisible();
    await shot('payouts-bank-ok-en-dark');
    await page.keyboard.press('Escape');
    await go(`payouts?batch=${draftBatch}&status=held`);
    await expect(app.linesTable.locator('tr[data-line-status="held"]').first()).toBeVisible();
    await shot('payouts-lines-held-en-dark');
    await go(`payouts?cycle=${freshCycle}`);
    await page.getByTestId('cycle-view-prepare').click();
    await expect(app.figure('prepare-total')).toBeVisible();
    await shot('payouts-prepare-dialog-en-dark');
    await page.keyboard.press('Escape');
    await go(`payouts?batch=${draftBatch}`);
    await app.approveButton.click();
    await app.reason.fill('checked against the finance system');
    await app.pin.fill(FIN2.YUNKE_PIN);
    await shot('payouts-approve-dialog-en-dark');
    // someone decides a line meanwhile: this approval is refused with the state found (R-OP-4)
    const line = await pendingLine.getAttribute('data-partner');
    const held = await page.request.post(`${bridge.origin}/api/payouts.decide`, {
      headers: { Authorization: `Bearer ${bridge.token}` },
      data: {
        batchId: draftBatch,
        partnerId: line,
        decision: 'hold',
        reason: '合作方账户核实中',
        confirmPin: FIN2.YUNKE_PIN,
      },
    });
    expect(((await held.json()) as { ok: boolean }).ok).toBe(true);
    await app.confirm.click();
    await expect(app.dialogError).toHaveAttribute('data-error-code', 'PAYOUT_CHANGED');
    await shot('payouts-refused-en-dark');
    await page.keyboard.press('Escape');
    [language, scheme] = ['en', 'light'];
    await go(`payouts?batch=${rejectedBatch}`);
    await expect(page.getByTestId('batch-decided')).toBeVisible();
    await shot('payouts-batch-rejected-en-light');
    await go(`payouts?batch=${approvedBatch}`);
    await app.markAllPaid.click();
    await expect(app.dialog).toBeVisible();
    await shot('payouts-mark-all-dialog-en-light');
    await page.keyboard.press('Escape');
    await go('payouts?kind=weekly&state=due');
    await expect(app.cyclesTable.locator('tr[data-cycle]').first()).toBeVisible();
    await shot('payouts-cycles-weekly-en-light');
    if (frozen) {
      await go(`payouts?statement=${frozen.partner_id}&cycle=${frozen.cycle_key}`);
      await expect(app.statement).toBeVisible();
      await shot('statement-blacklisted-en-light', true);
    }
    [language, scheme] = ['zh-CN', 'light'];
    await go(`payouts?statement=${clawed.partner_id}&cycle=${clawed.cycle_key}`);
    await expect(app.statement).toBeVisible();
    await shot('statement-clawed-zh-light', true);
    await page.emulateMedia({ media: 'print' });
    await shot('statement-print-zh', true);
    await page.emulateMedia({ media: 'screen' });
    await go('dashboard?from=2026-07-01&to=2026-09-30');
    await expect(page.getByTestId('trend-levels')).toBeVisible();
    await page.getByTestId('trends').scrollIntoViewIfNeeded();
    await shot('dashboard-trends-range-zh-light');
    [language, scheme] = ['en', 'light'];
    await go('dashboard?from=2026-09-30&to=2026-07-01');
    await page.getByTestId('trends').scrollIntoViewIfNeeded();
    await shot('dashboard-trends-invalid-en-light');
    [language, scheme] = ['zh-CN', 'light'];
    await go('payouts', emptyServe.bridge);
    await expect(page.getByTestId('cycles-table-empty')).toBeVisible();
    await shot('payouts-empty-zh-light');
    await go('levels', emptyServe.bridge);
    await expect(levels.levelTable).toBeVisible();
    await shot('levels-empty-zh-light');
  } finally {
    await serve.stop();
    await emptyServe.stop();
    store.remove();
    empty.remove();
  }
});

test('disputes: the queue, a case with its timeline, the uphold what-if, the decision (zh/en, light/dark)', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const store = await createTempStore();
  importWorld(store.file, { recompute: true, world: 'disputes-world' });
  const dispute = (...args: string[]) =>
    execFileSync(
      process.execPath,
      [join(ROOT, 'bin', 'yunke-desk.mjs'), 'dispute', ...args, '--db', store.file, '--as', E2E_ADMIN.id],
      { cwd: ROOT },
    );
  const open = (partner: string, customer: string, order: string | null, at: string, claim: string) =>
    dispute(
      'open',
      '--partner',
      partner,
      '--customer',
      customer,
      ...(order ? ['--order', order] : []),
      '--claimed-at',
      at,
      '--claim',
      claim,
    );
  open(
    'P1',
    'C1',
    'O1',
    '2026-03-01 10:00',
    '客户 3 月 1 日通过我的链接访问并咨询云服务器，之后才通过别人的链接登录下单。',
  );
  open('P3', 'C2', 'O3', '2026-02-03 11:00', '客户是我介绍的，2 月 3 日通过我的链接登录过。');
  open('P3', 'C3', 'O5', '2026-03-25 09:00', '客户 3 月底又通过我的链接来过，但链接记录丢失了。');
  open('P2', 'C1', null, '2026-01-25 14:00', '客户 1 月 25 日通过我的链接登录，应归属于我。');
  dispute(
    'decide',
    '--dispute',
    '4',
    '--decision',
    'reject',
    '--reason',
    '当时客户在 P1 的注册保护期内（R-ATTR-1）',
  );
  const serve = await startServe(store.file);
  const tall = async (height: number) => page.setViewportSize({ width: 1440, height });
  try {
    const disputes = new DisputesPage(page);
    for (const language of ['zh-CN', 'en'] as const)
      for (const scheme of ['light', 'dark'] as const) {
        const tag = `${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}`;
        // the queue of the demo dataset: realistic waits and amounts
        await tall(1000);
        await disputes.open(computedBridge.url, 'disputes');
        await disputes.setLanguage(language);
        await disputes.setColorScheme(scheme);
        await expect(disputes.queue).toHaveAttribute('data-total', /^[1-9]/);
        await page.mouse.move(720, 990);
        await expect(page.getByRole('tooltip')).toHaveCount(0);
        await page.screenshot({ path: join(OUT, `disputes-queue-${tag}.png`) });

        // one case of the small world: P1 claims C1 from the visit through their link
        await tall(1560);
        await disputes.open(serve.bridge.url, 'disputes?case=1');
        await disputes.setLanguage(language);
        await disputes.setColorScheme(scheme);
        await disputes.expectCase(1);
        await expect(disputes.entryRow('E4')).toBeVisible();
        await disputes.entryMark('E2').hover();
        await expect(disputes.tooltip).toBeVisible();
        await page.screenshot({ path: join(OUT, `disputes-case-${tag}.png`) });
        await disputes.orderMark('O1').hover();
        await disputes.timeline.screenshot({
          path: join(OUT, 'tmp', `disputes-timeline-${tag}.png`),
          scale: 'device',
        });

        await tall(1000);
        await disputes.uphold.click();
        await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-after-partner', 'P1', {
          timeout: 30_000,
        });
        await disputes.reason.fill(
          language === 'zh-CN' ? '访问记录显示客户先来自 P1 的链接' : 'The visit log shows P1 first',
        );
        await expect(disputes.confirm).toBeEnabled();
        await page.screenshot({ path: join(OUT, `disputes-uphold-${tag}.png`) });
        await page.keyboard.press('Escape');
        await expect(disputes.dialog).toHaveCount(0);
      }

    // 查询: the order drawer with the customer's cases and timeline, and opening a case from it
    const lookup = new LookupPage(page);
    const form = new OpenDisputeForm(page);
    await lookup.open(serve.bridge.url, 'lookup?q=O1&order=O1');
    await lookup.setLanguage('zh-CN');
    await lookup.setColorScheme('light');
    await lookup.expectOrderOpen('O1');
    await expect(form.timeline.getByTestId('timeline-chart')).toBeVisible();
    await form.section.scrollIntoViewIfNeeded();
    await page.mouse.move(720, 990);
    await page.screenshot({ path: join(OUT, 'disputes-lookup-zh-light.png') });
    await form.openButton.click();
    await form.claim.fill('客户说是看了我的直播后通过我的链接访问的。');
    await form.partner.click();
    await expect(page.getByRole('option', { name: /^P1\b/ })).toBeVisible();
    await page.screenshot({ path: join(OUT, 'disputes-open-zh-light.png') });
    await form.choosePartner('P1');
    await expect(form.claimedAt).toHaveValue('2026-03-01T10:00');
    await page.keyboard.press('Escape');

    // the decision: upheld from the instant claimed, O1 now P1's
    await tall(1640);
    await disputes.open(serve.bridge.url, 'disputes?case=1');
    await disputes.uphold.click();
    await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-after-partner', 'P1', { timeout: 30_000 });
    await disputes.reason.fill('访问记录显示客户先来自 P1 的链接');
    await disputes.confirm.click();
    await expect(disputes.caseStatus).toHaveAttribute('data-status', 'upheld', { timeout: 30_000 });
    await expect(disputes.orderRow('O1')).toHaveAttribute('data-partner', 'P1');
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
    await page.mouse.move(720, 1630);
    await page.screenshot({ path: join(OUT, 'disputes-decided-zh-light.png') });
    await disputes.setLanguage('en');
    await disputes.setColorScheme('dark');
    await page.mouse.move(720, 1630);
    await expect(page.getByRole('tooltip')).toHaveCount(0);
    await page.screenshot({ path: join(OUT, 'disputes-decided-en-dark.png') });
    await disputes.timeline.screenshot({
      path: join(OUT, 'tmp', 'disputes-timeline-decided-en-dark.png'),
      scale: 'device',
    });
  } finally {
    await serve.stop();
    store.remove();
  }
});

test('investigation and blacklist: the queue, a group with its graph and a chain of evidence, the largest demo group, the shared-IP and blacklist what-ifs, entries with a history, risk review, empty states (zh/en, light/dark)', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const store = await createTempStore();
  importWorld(store.file, { recompute: true, world: 'investigation-world' });
  // one entry in force so that the entries, the history and a frozen amount show
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'bin', 'yunke-desk.mjs'),
      'blacklist',
      'add',
      '--db',
      store.file,
      '--partner',
      'P2',
      '--reason',
      '退款率偏高，待复核；客户 K3 与 K2 同一出口 IP',
      '--at',
      '2026-10-01T00:00:00+08:00',
      '--as',
      E2E_ADMIN.id,
    ],
    { cwd: ROOT },
  );
  const largest = (() => {
    const db = new BetterSqlite3(computed.file, { readonly: true });
    const id = db
      .prepare('SELECT group_id FROM result_investigation ORDER BY size DESC, group_id LIMIT 1')
      .pluck()
      .get() as string;
    db.close();
    return id;
  })();
  const serve = await startServe(store.file);
  const tall = async (height: number) => page.setViewportSize({ width: 1440, height });
  const settle = async (y = 990) => {
    await page.mouse.move(1430, y);
    await expect(page.getByRole('tooltip')).toHaveCount(0);
  };
  try {
    const inv = new InvestigationPage(page);
    const bl = new BlacklistPage(page);
    for (const language of ['zh-CN', 'en'] as const)
      for (const scheme of ['light', 'dark'] as const) {
        const tag = `${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}`;
        const at = async (bridge: RunningBridge, route: string) => {
          await inv.open(bridge.url, route);
          await inv.setLanguage(language);
          await inv.setColorScheme(scheme);
        };

        // the queue of the demo dataset, ranked by money at stake
        await tall(1000);
        await at(computedBridge, 'investigation');
        await expect(inv.queue).toHaveAttribute('data-total', /^[1-9]/);
        await settle();
        await page.screenshot({ path: join(OUT, `investigation-queue-${tag}.png`) });

        // the largest demo group: hubs instead of hundreds of edges
        await tall(1300);
        await at(computedBridge, `investigation?group=${encodeURIComponent(largest)}`);
        await expect(inv.graph).toHaveAttribute('data-painted', 'true', { timeout: 60_000 });
        await settle(1290);
        await page.screenshot({ path: join(OUT, `investigation-largest-${tag}.png`) });

        // the small world's group with the chain of evidence between K2 and K7
        await tall(1400);
        await at(serve.bridge, 'investigation?group=customer%3AK2&a=customer%3AK2&b=customer%3AK7');
        await expect(inv.graph).toHaveAttribute('data-painted', 'true', { timeout: 30_000 });
        await expect(inv.pathResult).toHaveAttribute('data-steps', '3');
        await settle(1390);
        await page.screenshot({ path: join(OUT, `investigation-group-${tag}.png`) });

        // the shared-IP what-if from 2026-06-01
        await tall(1000);
        await inv.groupTab('ips').click();
        await inv.groupIp('36.112.10.20').getByTestId('ip-mark').click();
        await inv.flow.whatIf('2026-06-01T00:00');
        await inv.flow.impactTab('orders').click();
        await settle();
        await page.screenshot({ path: join(OUT, `investigation-ip-whatif-${tag}.png`) });
        await page.keyboard.press('Escape');
        await expect(inv.flow.dialog).toHaveCount(0);

        // shared IPs: none marked yet
        await at(serve.bridge, 'investigation?tab=ips');
        await expect(page.getByTestId('marks-table-empty')).toBeVisible();
        await settle();
        await page.screenshot({ path: join(OUT, `investigation-ips-empty-${tag}.png`) });

        // the blacklist with P2's entry and its history open
        await at(serve.bridge, 'blacklist?partner=P2');
        await expect(bl.entry('P2')).toBeVisible();
        await expect(bl.history).toHaveAttribute('data-partner', 'P2');
        await settle();
        await page.screenshot({ path: join(OUT, `blacklist-entries-${tag}.png`) });

        // adding P1: the what-if
        await at(serve.bridge, 'blacklist');
        await bl.add.click();
        await bl.partnerInput.fill('P1');
        await bl.flow.whatIf('2026-10-01T00:00');
        await settle();
        await page.screenshot({ path: join(OUT, `blacklist-add-whatif-${tag}.png`) });
        await page.keyboard.press('Escape');

        // lifting P2: the what-if and the decision dialog
        await at(serve.bridge, 'blacklist?partner=P2');
        await bl.historyLift.click();
        await bl.flow.whatIf('2026-10-20T00:00');
        await settle();
        await page.screenshot({ path: join(OUT, `blacklist-lift-whatif-${tag}.png`) });
        await bl.flow.apply.click();
        await bl.flow.reason.fill(language === 'zh-CN' ? '复核通过，退款为客户误购' : 'Review passed');
        await settle();
        await page.screenshot({ path: join(OUT, `blacklist-lift-confirm-${tag}.png`) });
        await page.keyboard.press('Escape');

        // risk review: P4's flag with the chart
        await tall(1200);
        await at(serve.bridge, 'blacklist?tab=risk&risk=P4');
        await expect(bl.riskChart).toBeVisible();
        await settle(1190);
        await page.screenshot({ path: join(OUT, `blacklist-risk-${tag}.png`) });

        // lifted entries: none yet
        await tall(1000);
        await at(serve.bridge, 'blacklist?status=lifted');
        await expect(page.getByTestId('entries-table-empty')).toBeVisible();
        await settle();
        await page.screenshot({ path: join(OUT, `blacklist-empty-${tag}.png`) });
      }
  } finally {
    await serve.stop();
    store.remove();
  }
});
