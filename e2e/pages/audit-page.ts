import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** 操作日志: the chain's status, the filters, the entries table, one entry open, the exports. */
export class AuditPage extends AppPage {
  readonly chainStatus: Locator;
  readonly reverify: Locator;
  readonly broken: Locator;
  readonly showBroken: Locator;
  readonly table: Locator;
  readonly empty: Locator;
  readonly operatorFilter: Locator;
  readonly roleFilter: Locator;
  readonly actionFilter: Locator;
  readonly entityFilter: Locator;
  readonly fromFilter: Locator;
  readonly untilFilter: Locator;
  readonly clearFilters: Locator;
  readonly exportButton: Locator;
  readonly entry: Locator;
  readonly entryDiff: Locator;

  constructor(page: Page) {
    super(page);
    this.chainStatus = page.getByTestId('chain-status');
    this.reverify = page.getByTestId('chain-reverify');
    this.broken = page.getByTestId('chain-broken');
    this.showBroken = page.getByTestId('chain-show-broken');
    this.table = page.getByTestId('audit-table');
    this.empty = page.getByTestId('audit-table-empty');
    this.operatorFilter = page.getByTestId('filter-operator');
    this.roleFilter = page.getByTestId('filter-role');
    this.actionFilter = page.getByTestId('filter-action');
    this.entityFilter = page.getByTestId('filter-entity');
    this.fromFilter = page.getByTestId('filter-from');
    this.untilFilter = page.getByTestId('filter-until');
    this.clearFilters = page.getByTestId('filter-clear');
    this.exportButton = page.getByTestId('audit-export');
    this.entry = page.getByTestId('entry-detail');
    this.entryDiff = page.getByTestId('entry-diff');
  }

  /** Every entry row shown, newest first unless sorted otherwise. */
  rows(): Locator {
    return this.table.locator('tr[data-audit-id]');
  }

  row(auditId: number): Locator {
    return this.table.locator(`tr[data-audit-id="${auditId}"]`);
  }

  /** A column of a row: recorded-at, effective-at, operator, action, entity, reason. */
  cell(row: Locator, column: string): Locator {
    return row.locator(`[data-col="${column}"]`);
  }

  /** Picks an option of one of the filters' selects by (a part of) its label. */
  async choose(select: Locator, option: string | RegExp): Promise<void> {
    await select.click();
    await this.page.getByRole('option', { name: option }).click();
  }

  async filterEntity(id: string): Promise<void> {
    await this.entityFilter.fill(id);
    await this.entityFilter.press('Enter');
  }

  async openEntry(row: Locator): Promise<void> {
    const id = await row.getAttribute('data-audit-id');
    await row.click();
    await expect(this.entry).toHaveAttribute('data-audit-id', id!);
  }

  /** A line of the open entry's before/after diff, by its dotted path. */
  diffLine(path: string): Locator {
    return this.entryDiff.locator(`tr[data-path="${path}"]`);
  }

  async exportAs(format: 'csv' | 'jsonl'): Promise<void> {
    await this.exportButton.click();
    await this.page.getByTestId(`audit-export-${format}`).click();
  }
}
