import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

export type SettingsTab = 'rules' | 'versions' | 'operators' | 'backup' | 'teamdb' | 'general';
export type LevelField = 'threshold' | 'ratio' | 'cap' | 'cycle';

/**
 * 规则配置: the rules in force and their editor with its impact preview, the versions and their
 * diff, operators, backup and restore, the language.
 */
export class SettingsPage extends AppPage {
  readonly inForce: Locator;
  readonly editRules: Locator;
  readonly readOnly: Locator;
  readonly changes: Locator;
  readonly effectiveAt: Locator;
  readonly previewButton: Locator;
  readonly cancelEdit: Locator;
  readonly impact: Locator;
  readonly stale: Locator;
  readonly saveButton: Locator;
  readonly dialog: Locator;
  readonly reason: Locator;
  readonly confirm: Locator;
  readonly versionsTable: Locator;
  readonly versionDiff: Locator;
  readonly diffCount: Locator;
  readonly operatorsTable: Locator;
  readonly addOperatorButton: Locator;
  readonly backupNowButton: Locator;
  readonly backupResult: Locator;
  readonly backupsTable: Locator;
  readonly restoreResult: Locator;

  constructor(page: Page) {
    super(page);
    this.inForce = page.getByTestId('in-force');
    this.editRules = page.getByTestId('rules-edit');
    this.readOnly = page.getByTestId('rules-read-only');
    this.changes = page.getByTestId('rules-changes');
    this.effectiveAt = page.getByTestId('rules-effective-at');
    this.previewButton = page.getByTestId('rules-preview');
    this.cancelEdit = page.getByTestId('rules-cancel');
    this.impact = page.getByTestId('impact-preview');
    this.stale = page.getByTestId('preview-stale');
    this.saveButton = page.getByTestId('rules-save');
    this.dialog = page.getByRole('dialog');
    this.reason = page.getByTestId('decision-reason');
    this.confirm = page.getByTestId('decision-confirm');
    this.versionsTable = page.getByTestId('versions-table');
    this.versionDiff = page.getByTestId('version-diff');
    this.diffCount = page.getByTestId('diff-count');
    this.operatorsTable = page.getByTestId('operators-table');
    this.addOperatorButton = page.getByTestId('operator-add');
    this.backupNowButton = page.getByTestId('backup-now');
    this.backupResult = page.getByTestId('backup-result');
    this.backupsTable = page.getByTestId('backups-table');
    this.restoreResult = page.getByTestId('restore-result');
  }

  async tab(name: SettingsTab): Promise<void> {
    await this.page.getByTestId(`settings-tab-${name}`).click();
    await expect(this.page.getByTestId(`settings-tab-${name}`)).toHaveAttribute('aria-selected', 'true');
  }

  levelInput(level: string, field: Exclude<LevelField, 'cycle'>): Locator {
    return this.page.getByTestId(`level-${level}-${field}`);
  }

  /** A value of the level table as shown (not editing). */
  levelCell(level: string, field: LevelField): Locator {
    return this.page.locator(`[data-testid="level-table"] tr[data-level="${level}"] [data-col="${field}"]`);
  }

  /** Edits some level fields and the effective time, then asks the engine for the impact. */
  async editAndPreview(
    edits: { level: string; field: Exclude<LevelField, 'cycle'>; value: string }[],
    effectiveAt?: string,
  ): Promise<void> {
    await this.editRules.click();
    for (const e of edits) await this.levelInput(e.level, e.field).fill(e.value);
    if (effectiveAt) await this.effectiveAt.fill(effectiveAt);
    await this.previewButton.click();
    await expect(this.impact).toBeVisible({ timeout: 45_000 });
  }

  /** The preview's tab of orders, partners, cycles or money. */
  async impactTab(name: 'orders' | 'partners' | 'cycles' | 'money'): Promise<Locator> {
    await this.page.getByTestId(`impact-tab-${name}`).click();
    return this.page.getByTestId(`impact-${name}-table`);
  }

  /** Opens the decision dialog of the save, gives the reason and confirms. */
  async saveWithReason(reason: string): Promise<void> {
    await this.saveButton.click();
    await expect(this.dialog).toBeVisible();
    await this.reason.fill(reason);
    await this.confirm.click();
    await expect(this.dialog).toBeHidden({ timeout: 20_000 });
  }

  operatorRow(id: string): Locator {
    return this.operatorsTable.locator(`tr[data-operator="${id}"]`);
  }

  async addOperator(o: { id: string; name: string; role: 'admin' | 'finance' | 'support'; pin?: string }) {
    await this.addOperatorButton.click();
    await this.page.getByTestId('add-operator-id').fill(o.id);
    await this.page.getByTestId('add-operator-name').fill(o.name);
    await this.page.getByTestId(`add-operator-role-${o.role}`).check();
    if (o.pin) await this.page.getByTestId('add-operator-pin').fill(o.pin);
    await this.page.getByTestId('add-operator-submit').click();
  }

  backupRow(name: string | RegExp): Locator {
    return typeof name === 'string'
      ? this.backupsTable.locator(`tr[data-backup="${name}"]`)
      : this.backupsTable.locator('tr[data-backup]').filter({ hasText: name });
  }

  async restore(row: Locator, reason: string): Promise<void> {
    await row.getByTestId('backup-restore').click();
    await expect(this.dialog).toBeVisible();
    await this.reason.fill(reason);
    await this.confirm.click();
    await expect(this.dialog).toBeHidden({ timeout: 30_000 });
  }
}
