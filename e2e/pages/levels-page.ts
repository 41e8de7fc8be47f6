import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/**
 * 等级: the level table in force, one partner's level history, experience ledger and overrides,
 * the override editor with the engine's preview, and the decision dialog.
 */
export class LevelsPage extends AppPage {
  readonly levelTable: Locator;
  readonly search: Locator;
  readonly partner: Locator;
  readonly partnerLevel: Locator;
  readonly byOverride: Locator;
  readonly history: Locator;
  readonly ledger: Locator;
  readonly overrides: Locator;
  readonly overrideOpen: Locator;
  readonly editor: Locator;
  readonly overrideStart: Locator;
  readonly overrideUntil: Locator;
  readonly previewButton: Locator;
  readonly impact: Locator;
  readonly applyButton: Locator;
  readonly dialog: Locator;
  readonly reason: Locator;
  readonly confirm: Locator;

  constructor(page: Page) {
    super(page);
    this.levelTable = page.getByTestId('level-table');
    this.search = page.getByTestId('partner-search');
    this.partner = page.getByTestId('partner-levels');
    this.partnerLevel = page.getByTestId('partner-level');
    this.byOverride = page.getByTestId('partner-by-override');
    this.history = page.getByTestId('level-history-chart');
    this.ledger = page.getByTestId('ledger-table');
    this.overrides = page.getByTestId('partner-overrides-card');
    this.overrideOpen = page.getByTestId('override-open');
    this.editor = page.getByTestId('override-editor');
    this.overrideStart = page.getByTestId('override-start');
    this.overrideUntil = page.getByTestId('override-until');
    this.previewButton = page.getByTestId('override-preview');
    this.impact = page.getByTestId('impact-preview');
    this.applyButton = page.getByTestId('override-apply');
    this.dialog = page.getByRole('dialog').filter({ has: page.getByTestId('decision-confirm') });
    this.reason = page.getByTestId('decision-reason');
    this.confirm = page.getByTestId('decision-confirm');
  }

  levelRow(level: string): Locator {
    return this.levelTable.locator(`tr[data-level-row="${level}"]`);
  }

  async findPartner(query: string): Promise<void> {
    await this.search.fill(query);
    await this.search.press('Enter');
  }

  ledgerRow(sourceId: string): Locator {
    return this.ledger.locator(`tr[data-source="${sourceId}"]`);
  }

  overrideRow(id: number): Locator {
    return this.overrides.locator(`tr[data-override="${id}"]`);
  }

  /** Opens the editor, picks a level and a start (`YYYY-MM-DDTHH:mm`, Beijing) and previews. */
  async previewOverride(level: string, start: string, until?: string): Promise<void> {
    await this.overrideOpen.click();
    await expect(this.editor).toBeVisible();
    await this.page.getByTestId('override-level').click();
    await this.page.getByRole('option', { name: new RegExp(`^${level} `) }).click();
    await this.overrideStart.fill(start);
    if (until) await this.overrideUntil.fill(until);
    await this.previewButton.click();
    await expect(this.impact).toBeVisible({ timeout: 30_000 });
  }

  /** A row of the impact preview's orders table. */
  impactOrder(orderId: string): Locator {
    return this.impact.locator(`[data-testid="impact-orders-table"] tr[data-order="${orderId}"]`);
  }
}
