import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/**
 * 返利发放: the cycles, a cycle's batch prepared, the batch with its lines, decisions (with the PIN,
 * R-OP-4), the bank export and payment, and a partner's statement.
 */
export class PayoutsPage extends AppPage {
  readonly cyclesTable: Locator;
  readonly prepareDialog: Locator;
  readonly prepareConfirm: Locator;
  readonly batch: Locator;
  readonly batchTitle: Locator;
  readonly approveButton: Locator;
  readonly holdButton: Locator;
  readonly rejectButton: Locator;
  readonly makerChecker: Locator;
  readonly approvedNotice: Locator;
  readonly checksum: Locator;
  readonly linesTable: Locator;
  readonly markAllPaid: Locator;
  readonly bankResultUpload: Locator;
  readonly exportPanel: Locator;
  readonly exportRun: Locator;
  readonly exportResult: Locator;
  readonly exportSha256: Locator;
  readonly exportRows: Locator;
  readonly exportTotal: Locator;
  readonly dialog: Locator;
  readonly reason: Locator;
  readonly pin: Locator;
  readonly confirm: Locator;
  readonly dialogError: Locator;
  readonly bankDialog: Locator;
  readonly statement: Locator;

  constructor(page: Page) {
    super(page);
    this.cyclesTable = page.getByTestId('cycles-table');
    // a Modal's test id sits on its (zero-size) root: the dialog is found by its role and content
    this.prepareDialog = page.getByRole('dialog').filter({ has: page.getByTestId('prepare-confirm') });
    this.prepareConfirm = page.getByTestId('prepare-confirm');
    this.batch = page.getByTestId('batch-view');
    this.batchTitle = page.getByTestId('batch-title');
    this.approveButton = page.getByTestId('batch-approve');
    this.holdButton = page.getByTestId('batch-hold');
    this.rejectButton = page.getByTestId('batch-reject');
    this.makerChecker = page.getByTestId('maker-checker-notice');
    this.approvedNotice = page.getByTestId('batch-approved');
    this.checksum = page.getByTestId('batch-checksum');
    this.linesTable = page.getByTestId('lines-table');
    this.markAllPaid = page.getByTestId('batch-mark-paid');
    this.bankResultUpload = page.getByTestId('bank-result-upload');
    this.exportPanel = page.getByTestId('export-panel');
    this.exportRun = page.getByTestId('export-run');
    this.exportResult = page.getByTestId('export-result');
    this.exportSha256 = page.getByTestId('export-sha256');
    this.exportRows = page.getByTestId('export-rows').locator('[data-value]');
    this.exportTotal = page.getByTestId('export-total').locator('[data-value]');
    this.dialog = page.getByRole('dialog').filter({ has: page.getByTestId('decision-confirm') });
    this.reason = page.getByTestId('decision-reason');
    this.pin = page.getByTestId('decision-pin');
    this.confirm = page.getByTestId('decision-confirm');
    this.dialogError = this.dialog.getByTestId('error-alert');
    this.bankDialog = page.getByRole('dialog').filter({ has: page.getByTestId('bank-record') });
    this.statement = page.getByTestId('statement-sheet');
  }

  cycle(key: string): Locator {
    return this.cyclesTable.locator(`tr[data-cycle="${key}"]`);
  }

  /** Opens the cycle's prepare dialog from the cycles list. */
  async openPrepare(key: string): Promise<void> {
    await this.cycle(key).getByTestId('cycle-prepare').click();
    await expect(this.prepareDialog).toBeVisible();
  }

  figure(id: string): Locator {
    return this.page.getByTestId(id).locator('[data-value]');
  }

  line(partnerId: string): Locator {
    return this.linesTable.locator(`tr[data-partner="${partnerId}"]`);
  }

  lineCell(partnerId: string, column: 'partner' | 'amount' | 'status'): Locator {
    return this.line(partnerId).locator(`[data-col="${column}"]`);
  }

  async expectLineStatus(partnerId: string, status: string): Promise<void> {
    await expect(this.line(partnerId)).toHaveAttribute('data-line-status', status, { timeout: 20_000 });
  }

  async expectBatchStatus(status: string): Promise<void> {
    await expect(this.batch).toHaveAttribute('data-status', status, { timeout: 20_000 });
  }

  /** Opens a line's action menu and picks one (approve, hold, reject, paid, statement). */
  async lineAction(partnerId: string, action: string): Promise<void> {
    await this.line(partnerId).getByTestId('line-actions').click();
    await this.page.getByTestId(`line-${action}`).click();
  }

  async chooseExport(format: 'CSV' | 'XLSX', layout: 'Bank layout' | 'Generic layout'): Promise<void> {
    await this.page.getByTestId('export-format').getByText(format, { exact: true }).click();
    await this.page.getByTestId('export-layout').getByText(layout, { exact: true }).click();
  }

  /** Fills the decision dialog and confirms it. */
  async decide(reason: string, pin?: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    if (reason) await this.reason.fill(reason);
    if (pin !== undefined) await this.pin.fill(pin);
    await this.confirm.click();
  }
}
