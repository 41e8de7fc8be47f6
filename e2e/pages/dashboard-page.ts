import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** 概览: stat cards, breakdown tables, and the first-run welcome panel. */
export class DashboardPage extends AppPage {
  readonly welcome: Locator;
  readonly demoScale: Locator;
  readonly loadDemoButton: Locator;
  readonly errorAlert: Locator;
  readonly lastImport: Locator;
  readonly ordersByStatus: Locator;
  readonly partnersByLevel: Locator;

  constructor(page: Page) {
    super(page);
    this.welcome = page.getByTestId('welcome');
    this.demoScale = page.getByTestId('demo-scale');
    this.loadDemoButton = page.getByTestId('load-demo');
    this.errorAlert = page.getByTestId('error-alert');
    this.lastImport = page.getByTestId('last-import');
    this.ordersByStatus = page.getByTestId('orders-by-status');
    this.partnersByLevel = page.getByTestId('partners-by-level');
  }

  /** The figure shown on the card `data-stat="<id>"` (partners, orders, pendingFen, …). */
  stat(id: string): Locator {
    return this.page.locator(`[data-stat="${id}"] [data-value]`).first();
  }

  /** The count in a breakdown table row (`data-row="valid"`, `data-row="L2"`). */
  rowCount(table: Locator, key: string): Locator {
    return table.locator(`[data-row="${key}"] [data-count]`);
  }

  async loadDemo(scale: string): Promise<void> {
    await this.demoScale.fill(scale);
    await this.loadDemoButton.click();
  }

  async expectError(code: string): Promise<void> {
    await expect(this.errorAlert).toBeVisible();
    await expect(this.errorAlert).toHaveAttribute('data-error-code', code);
  }
}
