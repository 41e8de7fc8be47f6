import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** 查询: search box, status filter, results table, the order drawer and the recompute button. */
export class LookupPage extends AppPage {
  readonly search: Locator;
  readonly submit: Locator;
  readonly statusFilter: Locator;
  readonly results: Locator;
  readonly resultsEmpty: Locator;
  readonly recompute: Locator;
  readonly lastRun: Locator;
  readonly neverRun: Locator;
  readonly drawer: Locator;
  readonly detail: Locator;
  readonly explanation: Locator;
  readonly copyExplanation: Locator;
  readonly partnerCard: Locator;
  readonly samePerson: Locator;

  constructor(page: Page) {
    super(page);
    this.search = page.getByTestId('lookup-search');
    this.submit = page.getByTestId('lookup-submit');
    this.statusFilter = page.getByTestId('status-filter');
    this.results = page.getByTestId('results');
    this.resultsEmpty = page.getByTestId('results-empty');
    this.recompute = page.getByTestId('recompute');
    this.lastRun = page.getByTestId('last-run');
    this.neverRun = page.getByTestId('engine-never-run');
    this.drawer = page.getByRole('dialog');
    this.detail = page.getByTestId('order-detail');
    this.explanation = page.getByTestId('explanation');
    this.copyExplanation = page.getByTestId('copy-explanation');
    this.partnerCard = page.getByTestId('partner-card');
    this.samePerson = page.getByTestId('same-person');
  }

  /** Types (or pastes) a query and presses Enter. */
  async searchFor(query: string): Promise<void> {
    await this.search.fill(query);
    await this.search.press('Enter');
  }

  /** The results row of an order. */
  row(orderId: string): Locator {
    return this.results.locator(`tr[data-order="${orderId}"]`);
  }

  cell(
    orderId: string,
    column: 'order' | 'customer' | 'partner' | 'reasons' | 'paid' | 'rebate' | 'ordered-at',
  ): Locator {
    return this.row(orderId).locator(`[data-col="${column}"]`);
  }

  status(orderId: string): Locator {
    return this.row(orderId).getByTestId('status-badge');
  }

  reason(orderId: string, code: string): Locator {
    return this.row(orderId).locator(`[data-reason="${code}"]`);
  }

  async filterStatus(label: string): Promise<void> {
    await this.statusFilter.getByText(label, { exact: true }).click();
  }

  async openOrder(orderId: string): Promise<void> {
    await this.row(orderId).click();
    await this.expectOrderOpen(orderId);
  }

  async expectOrderOpen(orderId: string): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-order', orderId);
  }

  /** The rule-id badges shown in the explanation. */
  ruleBadge(rule: string): Locator {
    return this.explanation.locator(`[data-rule="${rule}"]`).first();
  }
}
