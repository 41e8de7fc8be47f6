/**
 * Decisions and their trail (R-OP-1..3), in English: an admin changes the rules after the engine's
 * impact preview and finds the decision in the audit log; a backup, a change, then the restore;
 * a support operator finds no write action; a tampered log shows red.
 *
 * The world (e2e/support/world.ts), as of 2026-11-01: O1 is P2's valid order, ¥100.00 at L1's 20%,
 * P2 has 1 experience point (L1). Lowering L1's ratio to 10% makes it ¥50.00; lowering L2's
 * threshold to 1 lifts P2 to L2 (R-LVL-1).
 */
import { expect, test } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { AuditPage } from './pages/audit-page';
import { LookupPage } from './pages/lookup-page';
import { SessionPage } from './pages/session-page';
import { SettingsPage } from './pages/settings-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, E2E_ADMIN, type TempStore } from './support/seed';
import { importWorld } from './support/world';

/** A store with the world imported and computed, served for the describe's tests. */
function useWorld(prepare?: (file: string) => void): RunningBridge {
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  test.beforeAll(async () => {
    store = await createTempStore();
    importWorld(store.file, { recompute: true });
    prepare?.(store.file);
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

/** The change of every rule test: L1 20% → 10%, L2 from 10 → 1 point, from 2026-10-01 (before the as-of). */
async function lowerL1AndL2(settings: SettingsPage): Promise<void> {
  await settings.editAndPreview(
    [
      { level: 'L1', field: 'ratio', value: '10' },
      { level: 'L2', field: 'threshold', value: '1' },
    ],
    '2026-10-01T00:00',
  );
}

test.describe('an admin changes the rules', () => {
  const bridge = useWorld();

  test('R-OP-2, R-OP-3: a threshold change is saved only after the engine’s impact preview, and the audit log shows it', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const settings = new SettingsPage(page);
    await settings.open(bridge.url, 'settings');
    await settings.setLanguage('en');
    await expect(settings.inForce).toContainText('In force: version 1');
    await expect(settings.levelCell('L2', 'threshold')).toHaveText('10');
    await expect(settings.levelCell('L1', 'ratio')).toHaveText('20%');

    await lowerL1AndL2(settings);
    await expect(settings.changes).toHaveText('2 changes');
    // the engine's what-if: O1 ¥100.00 → ¥50.00, P2 L1 → L2, money per cycle and per partner
    await expect(settings.page.getByTestId('impact-computed')).toContainText('as of 11/01/2026, 00:00');
    await expect(settings.impact).toHaveAttribute('data-orders', '1');
    await expect(settings.page.getByTestId('impact-level-changes')).toContainText('1');
    await expect(settings.page.getByTestId('impact-money-delta')).toHaveText('-¥50.00');
    const orders = await settings.impactTab('orders');
    await expect(orders.locator('tr[data-order="O1"] [data-col="rebate"]')).toHaveText(/¥100\.00\s*¥50\.00/);
    const partners = await settings.impactTab('partners');
    await expect(partners.locator('tr[data-partner="P2"]')).toHaveAttribute('data-level-changed', 'true');
    await expect(partners.locator('tr[data-partner="P2"] [data-col="level"]')).toHaveText(/L1\s*L2/);
    const cycles = await settings.impactTab('cycles');
    await expect(cycles.locator('tr[data-key="2026-04"]')).toContainText('¥100.00');
    await expect(cycles.locator('tr[data-key="2026-04"]')).toContainText('¥50.00');
    const money = await settings.impactTab('money');
    await expect(money.locator('tr[data-key="P2"]')).toContainText('-¥50.00');

    // nothing was written by the preview
    await page.goto(`${bridge.origin}/#/settings?tab=versions`);
    await settings.waitReady();
    await expect(settings.versionsTable.locator('tr[data-version]')).toHaveCount(1);
    await settings.tab('rules');

    await lowerL1AndL2(settings);
    // a change after the preview needs a new preview before saving
    await settings.levelInput('L1', 'ratio').fill('12');
    await expect(settings.stale).toBeVisible();
    await expect(settings.saveButton).toBeDisabled();
    await settings.levelInput('L1', 'ratio').fill('10');
    await expect(settings.stale).toBeHidden();

    await settings.saveButton.click();
    await expect(settings.dialog).toContainText('Creates version 2, effective from 10/01/2026, 00:00');
    await expect(settings.dialog).toContainText('orders whose rebate changes: 1; partners affected: 1');
    await settings.confirm.click();
    await expect(settings.dialog).toContainText('Give a reason of at least 4 characters (R-OP-2)');
    await settings.reason.fill('Q4 policy: L1 at 10%, L2 from 1 point');
    await settings.confirm.click();
    await expect(settings.dialog).toBeHidden({ timeout: 20_000 });
    await expect(page.getByText('Rule configuration version 2 saved')).toBeVisible();
    await expect(settings.inForce).toContainText('In force: version 2');
    await expect(settings.levelCell('L1', 'ratio')).toHaveText('10%');
    await expect(settings.levelCell('L2', 'threshold')).toHaveText('1');

    await settings.tab('versions');
    await expect(settings.versionsTable.locator('tr[data-version="2"]')).toContainText('Q4 policy');
    await expect(settings.diffCount).toHaveText('2 differences');
    await expect(settings.versionDiff.locator('tr[data-path="levels.L1.ratio_bp"]')).toContainText(
      /20%\s*10%/,
    );
    await expect(
      settings.versionDiff.locator('tr[data-path="levels.L2.threshold"] [data-col="b"]'),
    ).toHaveText('1');

    // what the preview said is what happened
    const lookup = new LookupPage(page);
    await page.goto(`${bridge.origin}/#/lookup?q=O1`);
    await lookup.waitReady();
    await expect(lookup.cell('O1', 'rebate')).toContainText('¥50.00');

    const audit = new AuditPage(page);
    await audit.goTo('audit');
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'intact');
    await expect(audit.chainStatus).toContainText(/Chain intact · \d+ entries · head [0-9a-f]{4}…/);
    await audit.choose(audit.actionFilter, /config\.save$/);
    await expect(page).toHaveURL(/action=config\.save/);
    await expect(audit.rows()).toHaveCount(1);
    const row = audit.rows().first();
    await expect(audit.cell(row, 'reason')).toHaveText('Q4 policy: L1 at 10%, L2 from 1 point');
    await expect(audit.cell(row, 'operator')).toContainText(E2E_ADMIN.id);
    await expect(audit.cell(row, 'operator')).toContainText('Admin');
    await expect(audit.cell(row, 'effective-at')).toHaveText('10/01/2026, 00:00');
    await expect(audit.cell(row, 'action')).toContainText('Rule configuration saved');
    await audit.openEntry(row);
    await expect(audit.diffLine('config.levels.L1.ratio_bp')).toContainText(/2000\s*1000/);
    await expect(audit.diffLine('config.levels.L2.threshold')).toContainText(/10\s*1/);
    await expect(audit.diffLine('version')).toContainText(/1\s*2/);
    await expect(audit.entry.getByTestId('entry-reason')).toContainText('Q4 policy');

    // the export holds the same entry
    await page.keyboard.press('Escape');
    await expect(audit.entry).toBeHidden();
    const download = page.waitForEvent('download');
    await audit.exportAs('jsonl');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^yunke-audit-\d+\.jsonl$/);
    const lines = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ action: 'config.save', operator_id: E2E_ADMIN.id });
  });
});

test.describe('backup, then restore', () => {
  const bridge = useWorld();

  test('R-OP-2: a verified backup, a rule change that recomputes, then the restore brings the backup back and the log names it', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const settings = new SettingsPage(page);
    await settings.open(bridge.url, 'settings?tab=backup');
    await settings.setLanguage('en');
    await expect(page.getByTestId('store-file-path')).toHaveText(bridge.storeFile);
    await expect(page.getByTestId('backups-empty')).toBeVisible();
    await settings.backupNowButton.click();
    await expect(settings.backupResult).toBeVisible({ timeout: 20_000 });
    await expect(settings.backupResult).toContainText('Backup written and verified');
    await expect(settings.backupResult).toHaveAttribute('data-integrity', 'ok');
    const backupName = (await settings.backupResult.getAttribute('data-file'))!;
    expect(backupName).toMatch(/^yunke-\d{8}-\d{6}\.db$/);
    await expect(settings.backupRow(backupName)).toContainText('Manual');

    // in between: a rule change, recomputed (O1 ¥100.00 → ¥50.00)
    await settings.tab('rules');
    await lowerL1AndL2(settings);
    await settings.saveWithReason('a change the restore will undo');
    await expect(settings.inForce).toContainText('In force: version 2');
    const lookup = new LookupPage(page);
    await page.goto(`${bridge.origin}/#/lookup?q=O1`);
    await lookup.waitReady();
    await expect(lookup.cell('O1', 'rebate')).toContainText('¥50.00');

    await page.goto(`${bridge.origin}/#/settings?tab=backup`);
    await settings.waitReady();
    await settings.backupRow(backupName).getByTestId('backup-restore').click();
    await expect(settings.dialog).toContainText(`Restore from a backup: ${backupName}`);
    await expect(settings.dialog).toContainText('kept in the backups folder');
    await settings.reason.fill('undo the test change');
    await settings.confirm.click();
    await expect(settings.dialog).toBeHidden({ timeout: 30_000 });
    await expect(settings.restoreResult).toContainText(`The data is now ${backupName}`);
    await expect(settings.backupRow(/^pre-restore-/)).toContainText('Kept before a restore');

    // everything reloads: the rules and the results are the backup's
    await settings.tab('rules');
    await expect(settings.inForce).toContainText('In force: version 1');
    await expect(settings.levelCell('L1', 'ratio')).toHaveText('20%');
    await settings.tab('versions');
    await expect(settings.versionsTable.locator('tr[data-version]')).toHaveCount(1);
    await page.goto(`${bridge.origin}/#/lookup?q=O1`);
    await lookup.waitReady();
    await expect(lookup.cell('O1', 'rebate')).toContainText('¥100.00');

    const audit = new AuditPage(page);
    await audit.goTo('audit');
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'intact');
    const newest = audit.rows().first();
    await expect(newest).toHaveAttribute('data-action', 'store.restore');
    await expect(audit.cell(newest, 'reason')).toHaveText('undo the test change');
    await expect(audit.cell(newest, 'entity')).toContainText(backupName);
    // the change made after the backup is not in the restored log (nor among its actions)
    await audit.actionFilter.click();
    await expect(page.getByRole('option', { name: /config\.save$/ })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.goto(`${bridge.origin}/#/audit?action=config.save`);
    await audit.waitReady();
    await expect(audit.empty).toBeVisible();
  });
});

test.describe('a support operator', () => {
  const bridge = useWorld();

  test('R-OP-1: an admin adds a support operator in Settings; signed in as support, no write action shows on these screens', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const settings = new SettingsPage(page);
    const session = new SessionPage(page);
    await settings.open(bridge.url, 'settings?tab=operators');
    await settings.setLanguage('en');
    await expect(settings.operatorRow(E2E_ADMIN.id)).toHaveAttribute('data-role', 'admin');
    await settings.addOperator({ id: 'bad id!', name: 'Li Na', role: 'support' });
    await expect(page.getByTestId('add-operator')).toContainText('Enter an operator ID');
    await page.getByTestId('add-operator-id').fill('SUP1');
    await page.getByTestId('add-operator-submit').click();
    await expect(page.getByText('Operator Li Na (Support) added')).toBeVisible();
    await expect(settings.operatorRow('SUP1')).toHaveAttribute('data-role', 'support');
    await expect(settings.operatorRow('SUP1')).toHaveAttribute('data-has-pin', 'false');
    await expect(settings.operatorRow('SUP1')).toContainText(E2E_ADMIN.id);

    await session.switchTo('SUP1');
    await expect(session.operatorMenu).toHaveAttribute('data-role', 'support');
    // every tab reads without asking for anything support may not read (no FORBIDDEN)
    for (const tab of ['rules', 'versions', 'operators', 'backup', 'general'] as const) {
      await settings.tab(tab);
      await expect(page.getByTestId('error-alert')).toHaveCount(0);
    }
    await settings.tab('rules');
    await expect(settings.inForce).toContainText('In force: version 1');
    await expect(settings.readOnly).toContainText('Only admins may change the rule configuration');
    await settings.tab('operators');
    await expect(settings.operatorsTable.locator('tr[data-operator]')).toHaveCount(2);
    await expect(page.getByTestId('operators-read-only')).toBeVisible();
    await settings.tab('backup');
    await expect(page.getByTestId('backup-admin-only')).toBeVisible();
    await expect(page.getByTestId('store-file-path')).toHaveText(bridge.storeFile);
    // no write action anywhere on the screen
    for (const id of [
      'rules-edit',
      'rules-preview',
      'rules-save',
      'operator-add',
      'backup-now',
      'backup-choose',
      'backup-restore',
      'restore-choose',
    ])
      await expect(page.getByTestId(id)).toHaveCount(0);
    await settings.tab('general');
    await page.getByTestId('settings-language').getByText('中文').click();
    await expect(settings.root).toHaveAttribute('lang', 'zh-CN');
    await page.getByTestId('settings-language').getByText('English').click();
    await expect(settings.root).toHaveAttribute('lang', 'en');

    // the audit log reads, exports and verifies for support too; it offers nothing that writes
    const audit = new AuditPage(page);
    await audit.goTo('audit');
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'intact');
    await audit.filterEntity('SUP1');
    await expect(audit.rows()).toHaveCount(1);
    await expect(audit.rows().first()).toHaveAttribute('data-action', 'operator.add');
    await audit.openEntry(audit.rows().first());
    await expect(audit.entry).toContainText('This action records its result only');
    await expect(page.getByTestId('entry-after')).toContainText('"role": "support"');
    await expect(page.getByTestId('decision-confirm')).toHaveCount(0);
  });
});

test.describe('a tampered audit log', () => {
  // behind the store's back: the triggers dropped, one entry's reason edited (sqlite3 shell style)
  const bridge = useWorld((file) => {
    const db = new BetterSqlite3(file);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE audit_id = 3").run();
    db.close();
  });

  test('R-OP-2: the chain badge turns red and names the first broken entry and what is wrong with it', async ({
    page,
  }) => {
    const audit = new AuditPage(page);
    await audit.open(bridge.url, 'audit');
    await audit.setLanguage('en');
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'broken');
    await expect(audit.chainStatus).toHaveText('Chain broken');
    await expect(audit.broken).toHaveAttribute('data-audit-id', '3');
    await expect(audit.broken).toContainText('entry #3 onwards fails verification');
    await expect(audit.broken).toContainText('the entry was edited after it was written');
    await audit.showBroken.click();
    await expect(audit.entry).toHaveAttribute('data-audit-id', '3');
    await expect(page.getByTestId('entry-broken')).toBeVisible();
    await expect(audit.row(3)).toHaveAttribute('data-broken', 'true');
    await expect(audit.entry.getByTestId('entry-reason')).toHaveText(/nothing to see/);
    await page.keyboard.press('Escape');
    await expect(audit.entry).toBeHidden();
    await audit.reverify.click();
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'broken');
  });
});
