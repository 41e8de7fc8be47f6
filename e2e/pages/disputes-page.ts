import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** 争议处理: the queue, one case with its timeline, and the decisions on it (uphold, reject, revoke). */
export class DisputesPage extends AppPage {
  readonly queue: Locator;
  readonly statusFilter: Locator;
  readonly caseView: Locator;
  readonly back: Locator;
  readonly caseStatus: Locator;
  readonly claim: Locator;
  readonly orderCard: Locator;
  readonly stake: Locator;
  readonly decision: Locator;
  readonly trail: Locator;
  readonly timeline: Locator;
  readonly chart: Locator;
  readonly tooltip: Locator;
  readonly uphold: Locator;
  readonly reject: Locator;
  readonly revoke: Locator;
  readonly decideActions: Locator;
  readonly dialog: Locator;
  readonly whatIf: Locator;
  readonly effectiveAt: Locator;
  readonly reason: Locator;
  readonly confirm: Locator;

  constructor(page: Page) {
    super(page);
    this.queue = page.getByTestId('dispute-queue');
    this.statusFilter = page.getByTestId('dispute-status-filter');
    this.caseView = page.getByTestId('case-view');
    this.back = page.getByTestId('case-back');
    this.caseStatus = this.caseView.getByTestId('dispute-status').first();
    this.claim = page.getByTestId('case-claim');
    this.orderCard = page.getByTestId('case-order');
    this.stake = page.getByTestId('case-stake');
    this.decision = page.getByTestId('case-decision');
    this.trail = page.getByTestId('case-trail');
    this.timeline = page.getByTestId('attribution-timeline');
    this.chart = page.getByTestId('timeline-chart');
    this.tooltip = page.getByTestId('timeline-tooltip');
    this.uphold = page.getByTestId('dispute-uphold');
    this.reject = page.getByTestId('dispute-reject');
    this.revoke = page.getByTestId('dispute-revoke');
    this.decideActions = page.getByTestId('decide-actions');
    this.dialog = page.getByRole('dialog');
    this.whatIf = page.getByTestId('what-if');
    this.effectiveAt = page.getByTestId('decision-effective-at');
    this.reason = page.getByTestId('decision-reason');
    this.confirm = page.getByTestId('decision-confirm');
  }

  row(disputeId: number): Locator {
    return this.queue.locator(`tr[data-dispute-id="${disputeId}"]`);
  }

  cell(
    disputeId: number,
    column: 'id' | 'waited' | 'claimant' | 'customer' | 'order' | 'stake' | 'status',
  ): Locator {
    return this.row(disputeId).locator(`[data-col="${column}"]`);
  }

  async filterStatus(label: string): Promise<void> {
    await this.statusFilter.getByText(label, { exact: true }).click();
  }

  async openCase(disputeId: number): Promise<void> {
    await this.row(disputeId).click();
    await this.expectCase(disputeId);
  }

  async expectCase(disputeId: number): Promise<void> {
    await expect(this.caseView).toHaveAttribute('data-dispute-id', String(disputeId));
  }

  /** A referral event (or `dispute:<id>`) as the timeline lists it in words. */
  entryRow(entryId: string): Locator {
    return this.timeline.getByTestId('timeline-entries').locator(`tr[data-entry="${entryId}"]`);
  }

  /** An event's mark on the chart. */
  entryMark(entryId: string): Locator {
    return this.chart.locator(`g[data-entry="${entryId}"][data-outcome]`);
  }

  orderMark(orderId: string): Locator {
    return this.chart.locator(`g[data-order="${orderId}"]`);
  }

  /** An order as the timeline lists it, with the partner it went to. */
  orderRow(orderId: string): Locator {
    return this.timeline.getByTestId('timeline-orders').locator(`tr[data-order="${orderId}"]`);
  }

  /** A row of the what-if: an order with its partner before and after. */
  whatIfOrder(orderId: string): Locator {
    return this.whatIf.locator(`tr[data-order="${orderId}"]`);
  }
}

/** 登记争议 from the lookup drawer: the claimant, the instant claimed, the claim. */
export class OpenDisputeForm {
  readonly section: Locator;
  readonly openButton: Locator;
  readonly cases: Locator;
  readonly timeline: Locator;
  readonly dialog: Locator;
  readonly customer: Locator;
  readonly order: Locator;
  readonly partner: Locator;
  readonly claimedAt: Locator;
  readonly claim: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('order-disputes');
    this.openButton = page.getByTestId('open-dispute');
    this.cases = page.getByTestId('order-disputes-list');
    this.timeline = page.getByTestId('order-timeline');
    this.dialog = page.getByRole('dialog', { name: /Open a dispute|登记争议/ });
    this.customer = page.getByTestId('open-customer');
    this.order = page.getByTestId('open-order');
    this.partner = page.getByTestId('open-partner');
    this.claimedAt = page.getByTestId('open-claimed-at');
    this.claim = page.getByTestId('open-claim');
    this.submit = page.getByTestId('open-submit');
  }

  /** Chooses the claimant among the partners the customer's events name. */
  async choosePartner(partnerId: string): Promise<void> {
    await this.partner.click();
    await this.page.getByRole('option', { name: new RegExp(`^${partnerId}\\b`) }).click();
    await expect(this.partner).toHaveValue(partnerId);
  }

  caseLink(disputeId: number): Locator {
    return this.cases.locator(`tr[data-dispute-id="${disputeId}"]`);
  }
}
