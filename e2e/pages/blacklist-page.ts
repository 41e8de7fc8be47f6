import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';
import { DecisionFlowModel } from './investigation-page';

/** 黑名单: entries, a partner's history, adding and lifting, and the 风险复核 tab. */
export class BlacklistPage extends AppPage {
  readonly entriesTab: Locator;
  readonly riskTab: Locator;
  readonly add: Locator;
  readonly entries: Locator;
  readonly entriesStatus: Locator;
  readonly partnerInput: Locator;
  readonly restrict: Locator;
  readonly frozenImpact: Locator;
  readonly eventsFailing: Locator;
  readonly releaseNote: Locator;
  readonly history: Locator;
  readonly historyState: Locator;
  readonly historyFrozen: Locator;
  readonly historyAdd: Locator;
  readonly historyLift: Locator;
  readonly risk: Locator;
  readonly riskDrawer: Locator;
  readonly riskChart: Locator;
  readonly riskStatusText: Locator;
  readonly riskDismiss: Locator;
  readonly riskBlacklist: Locator;
  readonly flow: DecisionFlowModel;

  constructor(page: Page) {
    super(page);
    this.entriesTab = page.getByTestId('blacklist-tab-entries');
    this.riskTab = page.getByTestId('blacklist-tab-risk');
    this.add = page.getByTestId('blacklist-add');
    this.entries = page.getByTestId('entries-table');
    this.entriesStatus = page.getByTestId('entries-status');
    this.partnerInput = page.getByTestId('blacklist-partner');
    this.restrict = page.getByTestId('blacklist-restrict');
    this.frozenImpact = page.getByTestId('impact-frozen-amount');
    this.eventsFailing = page.getByTestId('impact-events-failing');
    this.releaseNote = page.getByTestId('lift-release-note');
    this.history = page.getByTestId('history');
    this.historyState = page.getByTestId('history-state');
    this.historyFrozen = page.getByTestId('history-frozen');
    this.historyAdd = page.getByTestId('history-add');
    this.historyLift = page.getByTestId('history-lift');
    this.risk = page.getByTestId('risk-table');
    this.riskDrawer = page.getByTestId('risk-drawer');
    this.riskChart = page.getByTestId('risk-chart');
    this.riskStatusText = page.getByTestId('risk-status-text');
    this.riskDismiss = page.getByTestId('risk-dismiss');
    this.riskBlacklist = page.getByTestId('risk-blacklist');
    this.flow = new DecisionFlowModel(page);
  }

  entry(partnerId: string): Locator {
    return this.entries.locator(`tr[data-partner="${partnerId}"]`);
  }

  entryCell(
    partnerId: string,
    column: 'partner' | 'reason' | 'operator' | 'since' | 'until' | 'frozen',
  ): Locator {
    return this.entry(partnerId).locator(`[data-col="${column}"]`);
  }

  async filterEntries(label: string): Promise<void> {
    await this.entriesStatus.getByText(label, { exact: true }).click();
  }

  async openHistory(partnerId: string): Promise<void> {
    await this.entry(partnerId).click();
    await expect(this.history).toHaveAttribute('data-partner', partnerId);
  }

  riskRow(partnerId: string): Locator {
    return this.risk.locator(`tr[data-partner="${partnerId}"]`);
  }
}
