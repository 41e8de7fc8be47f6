/**
 * The finance desk (issue 11), in English, on the finance world (e2e/support/finance-world.ts):
 * finance A prepares the 2026-07 batch and cannot approve it (maker–checker, R-PAY-2, R-OP-4);
 * finance B approves it with the PIN, exports the bank file (the checksum shown is the file's
 * SHA-256, R-PAY-3) and marks it paid; an admin overrides P1's level from 2026-05-01 and sees the
 * ratio of the later order Q2 change (R-LVL-2, R-LVL-3).
 */
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LevelsPage } from './pages/levels-page';
import { LookupPage } from './pages/lookup-page';
import { PayoutsPage } from './pages/payouts-page';
import { SessionPage } from './pages/session-page';
import { startServe, type RunningBridge } from './support/bridge';
import { FINANCE_A, FINANCE_B, importFinanceWorld } from './support/finance-world';
import { createTempStore, E2E_ADMIN, type TempStore } from './support/seed';

test.describe.configure({ mode: 'serial' });

/** where YUNKE_SCREENSHOTS=1 puts the statement's screenshots */
const SCREENSHOTS = join(import.meta.dirname, '..', 'screenshots');

const bridge = {} as RunningBridge;
let store: TempStore | undefined;
let stop: (() => Promise<void>) | undefined;

test.beforeAll(async () => {
  store = await createTempStore();
  importFinanceWorld(store.file);
  const started = await startServe(store.file);
  stop = started.stop;
  Object.assign(bridge, started.bridge);
});

test.afterAll(async () => {
  await stop?.();
  store?.remove();
});

/** A contract call as the bridge's signed-in operator, answering the structured result. */
async function call(page: Page, method: string, input: unknown) {
  const r = await page.request.post(`${bridge.origin}/api/${method}`, {
    headers: { Authorization: `Bearer ${bridge.token}` },
    data: input,
  });
  return (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/** Signs in as `operatorId` from wherever the session is. */
async function actAs(session: SessionPage, operatorId: string, pin?: string): Promise<void> {
  if ((await session.operatorMenu.getAttribute('data-operator')) !== operatorId)
    await session.switchTo(operatorId, pin);
}

test('R-PAY-1..3, R-OP-4: finance A prepares, cannot approve; finance B approves with the PIN, exports and marks paid', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const payouts = new PayoutsPage(page);
  const session = new SessionPage(page);
  await payouts.open(bridge.url, 'payouts');
  await payouts.setLanguage('en');
  await actAs(session, FINANCE_A.id, FINANCE_A.pin);

  // the cycle 2026-07 is due: P1 ¥200.00, P2 ¥300.00, P3 ¥200.00 without payee details
  await expect(payouts.cycle('2026-07')).toHaveAttribute('data-state', 'due', { timeout: 20_000 });
  await expect(payouts.cycle('2026-07').locator('[data-col="due"]')).toContainText('¥700.00');
  await payouts.openPrepare('2026-07');
  await expect(payouts.figure('prepare-lines')).toHaveText('3');
  await expect(payouts.figure('prepare-total')).toHaveText('¥700.00');
  await expect(payouts.figure('prepare-missing-payee')).toHaveText('¥200.00');
  await payouts.prepareConfirm.click();
  await expect(payouts.batch).toBeVisible({ timeout: 30_000 });
  await payouts.expectBatchStatus('draft');
  await expect(page).toHaveURL(/#\/payouts\?batch=\d+/);
  const batchId = Number(await payouts.batch.getAttribute('data-batch'));
  await expect(payouts.batchTitle).toContainText(`Batch #${batchId} · 2026-07`);
  await payouts.expectLineStatus('P1', 'pending');
  await expect(payouts.lineCell('P1', 'amount')).toHaveText('¥200.00');
  await payouts.expectLineStatus('P2', 'pending');
  await expect(payouts.lineCell('P2', 'amount')).toHaveText('¥300.00');
  // R-PAY-1 / DATA.md: no payee details → held with MISSING_PAYEE
  await payouts.expectLineStatus('P3', 'held');
  await expect(payouts.lineCell('P3', 'status')).toContainText('MISSING_PAYEE');

  // R-PAY-2: the preparer is offered no approval, and the contract refuses it anyway
  await expect(payouts.makerChecker).toBeVisible();
  await expect(payouts.makerChecker).toContainText('You prepared this batch');
  await expect(payouts.approveButton).toHaveCount(0);
  const refused = await call(page, 'payouts.decide', {
    batchId,
    decision: 'approve',
    reason: 'approving my own batch',
    confirmPin: FINANCE_A.pin,
  });
  expect(refused.ok).toBe(false);
  expect(refused.error?.code).toBe('PAYOUT_MAKER_CHECKER');
  await page.reload();
  await payouts.waitReady();
  await payouts.expectBatchStatus('draft');

  // finance B approves; approval asks for B's PIN again (R-OP-4)
  await actAs(session, FINANCE_B.id, FINANCE_B.pin);
  await expect(payouts.makerChecker).toHaveCount(0);
  await payouts.approveButton.click();
  await expect(payouts.dialog).toContainText('Pending lines approved: 2, ¥500.00 in total');
  await payouts.decide('checked against the statements', '9999');
  await expect(payouts.dialogError).toHaveAttribute('data-error-code', 'PIN_WRONG');
  await expect(payouts.dialogError).toContainText('Wrong PIN');
  await payouts.decide('', FINANCE_B.pin);
  await expect(payouts.dialog).toBeHidden({ timeout: 30_000 });
  await payouts.expectBatchStatus('approved');
  await expect(payouts.approvedNotice).toContainText(`Approved by ${FINANCE_B.id}`);
  await expect(payouts.approvedNotice).toContainText('2 lines approved, ¥500.00 in total');
  await expect(payouts.checksum).toHaveText(/^[0-9a-f]{64}$/);
  await payouts.expectLineStatus('P1', 'approved');
  await payouts.expectLineStatus('P2', 'approved');
  await payouts.expectLineStatus('P3', 'held');
  // an approved batch is read-only (R-PAY-3): no decision is offered any more
  await expect(payouts.approveButton).toHaveCount(0);
  await expect(payouts.rejectButton).toHaveCount(0);
  await payouts.line('P1').getByTestId('line-actions').click();
  await expect(page.getByTestId('line-approve')).toHaveCount(0);
  await expect(page.getByTestId('line-paid')).toBeVisible();
  await page.keyboard.press('Escape');

  // the bank file: the SHA-256 shown is the downloaded file's
  await payouts.chooseExport('CSV', 'Bank layout');
  const download = page.waitForEvent('download');
  await payouts.exportRun.click();
  const file = await (await download).path();
  await expect(payouts.exportResult).toBeVisible({ timeout: 20_000 });
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await expect(payouts.exportSha256).toHaveText(sha256);
  await expect(payouts.exportRows).toHaveText('2');
  await expect(payouts.exportTotal).toHaveText('¥500.00');
  const text = bytes.toString('utf8');
  expect(text).toContain('收款账号');
  expect(text).toContain('6217000010002345678');
  expect(text).toContain('300.00');
  expect(text).not.toContain('王五');
  // exporting again gives the same bytes (R-PAY-3); an XLSX export is hashed the same way
  const again = page.waitForEvent('download');
  await payouts.exportRun.click();
  expect(
    createHash('sha256')
      .update(readFileSync(await (await again).path()))
      .digest('hex'),
  ).toBe(sha256);
  await payouts.chooseExport('XLSX', 'Generic layout');
  const xlsx = page.waitForEvent('download');
  await payouts.exportRun.click();
  const xlsxDownload = await xlsx;
  expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
  const xlsxSha = createHash('sha256')
    .update(readFileSync(await xlsxDownload.path()))
    .digest('hex');
  await expect(payouts.exportSha256).toHaveText(xlsxSha);
  await expect(page.getByTestId('exports-table').locator('tr[data-export]')).toHaveCount(3);

  // mark paid: P1's line by hand, then the bank's result file says P2's transfer failed
  await payouts.lineAction('P1', 'paid');
  await expect(payouts.dialog).toContainText('Marks the line of P1, ¥200.00, paid.');
  await payouts.decide('');
  await expect(payouts.dialog).toBeHidden({ timeout: 30_000 });
  await payouts.expectLineStatus('P1', 'paid');
  await payouts.expectLineStatus('P2', 'approved');
  const chooser = page.waitForEvent('filechooser');
  await payouts.bankResultUpload.click();
  await (
    await chooser
  ).setFiles({
    name: 'bank-result.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      '收款账号,金额,状态,失败原因\r\n6222020200001234567,200.00,成功,\r\n6217000010002345678,300.00,失败,户名不符\r\n',
    ),
  });
  await expect(payouts.bankDialog).toBeVisible({ timeout: 20_000 });
  await expect(payouts.figure('bank-failed')).toHaveText('1');
  await expect(payouts.figure('bank-unchanged')).toHaveText('1');
  await expect(payouts.bankDialog.locator('tr[data-partner="P2"]')).toHaveAttribute('data-outcome', 'failed');
  await payouts.bankDialog.getByTestId('bank-record').click();
  await expect(payouts.bankDialog).toBeHidden({ timeout: 30_000 });
  await payouts.expectLineStatus('P2', 'failed');
  await expect(payouts.line('P2')).toContainText('户名不符');
  await expect(payouts.figure('batch-count-paid')).toHaveText('1');
  await expect(payouts.markAllPaid).toBeDisabled();

  // the failed line goes to the next batch of the cycle, with the line still held
  await page.getByTestId('back-to-cycle').click();
  await expect(page.getByTestId('cycle-view')).toBeVisible();
  await expect(page.getByTestId('due-table').locator('tr[data-partner]')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('due-table').locator('tr[data-partner="P2"]')).toContainText('¥300.00');
  await expect(page.getByTestId('due-table').locator('tr[data-partner="P3"]')).toContainText('MISSING_PAYEE');

  // the partner statement of the cycle: the order, its level and ratio, the failed payment
  await page.getByTestId('due-table').locator('tr[data-partner="P2"]').getByTestId('due-statement').click();
  await expect(payouts.statement).toBeVisible({ timeout: 20_000 });
  await expect(payouts.statement).toContainText('Rebate statement · 2026-07');
  await expect(payouts.statement.locator('tr[data-order="Q3"] [data-col="ratio"]')).toHaveText('L1 · 20%');
  await expect(payouts.statement.locator('tr[data-order="Q3"] [data-col="rebate"]')).toHaveText('¥300.00');
  await expect(payouts.statement.locator(`tr[data-batch="${batchId}"]`)).toContainText('Payment failed');
  await expect(page.getByTestId('statement-print')).toBeEnabled();

  // the next batch of the cycle holds the failed amount again
  await page.getByTestId('statement-back').click();
  await page.getByTestId('cycle-view-prepare').click();
  await expect(payouts.figure('prepare-total')).toHaveText('¥500.00');
  await payouts.prepareConfirm.click();
  await expect(payouts.batch).toHaveAttribute('data-batch', String(batchId + 1), { timeout: 30_000 });
  await payouts.expectLineStatus('P2', 'pending');
  await expect(payouts.lineCell('P2', 'amount')).toHaveText('¥300.00');
  await payouts.expectLineStatus('P3', 'held');
});

test('R-LVL-2, R-LVL-3: an admin overrides a level after the preview, and a later order gets the new ratio', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const levels = new LevelsPage(page);
  const session = new SessionPage(page);
  await levels.open(bridge.url, 'levels');
  await levels.setLanguage('en');
  await actAs(session, E2E_ADMIN.id);
  await expect(levels.levelRow('L1').locator('[data-col="partners"]')).toHaveText('3');
  await expect(levels.levelRow('L3').locator('[data-col="ratio"]')).toHaveText('30%');

  await levels.findPartner('P1');
  await expect(page).toHaveURL(/#\/levels\?partner=P1/);
  await expect(levels.partnerLevel).toContainText('L1');
  await expect(levels.history).toBeVisible();
  // R-EXP-1: one credit per customer's valid order
  await expect(levels.ledgerRow('Q1')).toContainText('+1');
  await expect(levels.ledgerRow('Q2')).toContainText('+1');

  // the preview: Q2 (2026-06-03) moves from L1 20% to L3 30%; Q1 (March) keeps its ratio
  await levels.previewOverride('L3', '2026-05-01T00:00');
  await expect(levels.impact).toHaveAttribute('data-orders', '1');
  await expect(levels.impactOrder('Q2')).toContainText(/L1 20%\s*L3 30%/);
  await expect(levels.impactOrder('Q2').locator('[data-col="rebate"]')).toHaveText(/¥200\.00\s*¥300\.00/);
  await expect(levels.impactOrder('Q1')).toHaveCount(0);
  // nothing was written by the preview
  expect(((await call(page, 'levels.overrides', {})).value as unknown[]).length).toBe(0);

  await levels.applyButton.click();
  await expect(levels.dialog).toContainText('P1 at L3 · Gold from 05/01/2026, 00:00, open-ended.');
  await expect(levels.dialog).toContainText('Orders whose rebate changes: 1; ¥200.00 → ¥300.00 (+¥100.00)');
  await levels.reason.fill('key partner, early upgrade');
  await levels.confirm.click();
  await expect(levels.dialog).toBeHidden({ timeout: 30_000 });
  await expect(levels.overrideRow(1)).toHaveAttribute('data-state', 'in_force', { timeout: 20_000 });
  await expect(levels.overrideRow(1)).toContainText('key partner, early upgrade');
  await expect(levels.partnerLevel).toContainText('L3');
  await expect(levels.byOverride).toBeVisible();

  // what the preview said is what happened: Q2 earns at 30% now
  const lookup = new LookupPage(page);
  await page.goto(`${bridge.origin}/#/lookup?q=Q2`);
  await lookup.waitReady();
  await expect(lookup.cell('Q2', 'rebate')).toContainText('¥300.00');
  await page.goto(`${bridge.origin}/#/lookup?q=Q1`);
  await lookup.waitReady();
  await expect(lookup.cell('Q1', 'rebate')).toContainText('¥200.00');
});

test('R-DISP-2, R-CLAW-3: a dispute upheld after the payout leaves the partner paid for it a negative balance, which its statement shows and explains', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const payouts = new PayoutsPage(page);
  const session = new SessionPage(page);
  await payouts.open(bridge.url, 'payouts');
  await payouts.setLanguage('en');
  await actAs(session, E2E_ADMIN.id);
  // P2 proves K2 came through its link the day before P1's registration (V2, 2026-06-01): upheld,
  // Q2 (paid to P1 in the 2026-07 batch) is P2's now
  const opened = await call(page, 'disputes.open', {
    partnerId: 'P2',
    customerId: 'K2',
    orderId: 'Q2',
    claim: 'K2 visited through my link on 05/31',
    claimedAt: Date.parse('2026-05-31T10:00:00+08:00'),
  });
  expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
  const disputeId = (opened.value as { disputeId: number }).disputeId;
  const upheld = await call(page, 'disputes.uphold', { disputeId, reason: 'the visit log shows P2 first' });
  expect(upheld.ok, JSON.stringify(upheld.error)).toBe(true);

  // P1's statement of the next cycle: nothing due, the ¥200.00 paid for Q2 still to offset, and
  // July marked as paid beyond its rebates, with why
  await page.goto(`${bridge.origin}/#/payouts?statement=P1&cycle=2026-08`);
  await expect(payouts.statement).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('statement-negative')).toContainText('-¥200.00');
  await expect(page.getByTestId('statement-negative-why')).toContainText(
    'an order that went to another partner when a dispute was upheld (R-DISP-2)',
  );
  const july = page.getByTestId('statement-earlier').locator('tr[data-cycle="2026-07"]');
  await expect(july).toHaveAttribute('data-overpaid', 'true');
  await expect(page.getByTestId('statement-overpaid')).toContainText('More was paid for this cycle');
  // April (Q1, never in a batch) was not paid beyond its rebates
  const april = page.getByTestId('statement-earlier').locator('tr[data-cycle="2026-04"]');
  await expect(april).toBeVisible();
  await expect(april).not.toHaveAttribute('data-overpaid', 'true');
  if (process.env.YUNKE_SCREENSHOTS === '1')
    await payouts.screenshotEveryLook(SCREENSHOTS, 'statement-negative', 980, (language) =>
      expect(page.getByTestId('statement-negative')).toContainText(
        language === 'en' ? 'Negative balance still to offset' : '尚待抵扣的负余额',
      ),
    );

  // R-BL-1, R-BL-3 (each in effect before the store's as-of, 2026-08-05, R-OP-3): blacklisted, P1's
  // rebates are frozen; none of them was paid (Q1's ¥200.00 never was; Q2's, paid in July, is P2's
  // now), so its balance is still the dispute's: the statement names the freeze among the causes,
  // and no offset by a lift
  await payouts.setLanguage('en');
  await payouts.setColorScheme('light');
  const why = page.getByTestId('statement-negative-why');
  const note = page.getByTestId('statement-overpaid');
  const blacklisted = await call(page, 'blacklist.add', {
    partnerId: 'P1',
    reason: 'same-person ring',
    effectiveAt: Date.parse('2026-08-01T00:00:00+08:00'),
  });
  expect(blacklisted.ok, JSON.stringify(blacklisted.error)).toBe(true);
  await page.reload();
  await expect(payouts.statement).toBeVisible({ timeout: 20_000 });
  await expect(payouts.statement).toContainText('Blacklisted: rebates frozen, not paid (R-BL-1)');
  await expect(page.getByTestId('statement-negative')).toContainText('-¥200.00');
  await expect(why).toContainText('when a dispute was upheld (R-DISP-2)');
  await expect(why).toContainText('The partner is blacklisted, and its rebates are frozen (R-BL-1)');
  await expect(why).not.toContainText('Once the blacklisting is lifted');
  await expect(note).toContainText('More was paid for this cycle');
  await expect(note).toContainText('a rebate paid for a cycle and frozen now (R-BL-1)');
  // the dispute revoked, Q2 is P1's again, and frozen: paid in July, it is the whole balance now,
  // which the lift offsets
  const revoked = await call(page, 'disputes.revoke', { disputeId, reason: 'the visit log was forged' });
  expect(revoked.ok, JSON.stringify(revoked.error)).toBe(true);
  await page.reload();
  await expect(payouts.statement).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('statement-negative')).toContainText('-¥200.00');
  await expect(why).toContainText(
    'Once the blacklisting is lifted, the frozen rebates count as confirmed again and offset ¥200.00 of it (R-BL-3)',
  );
  if (process.env.YUNKE_SCREENSHOTS === '1')
    await payouts.screenshotEveryLook(SCREENSHOTS, 'statement-frozen', 980, (language) =>
      expect(why).toContainText(language === 'en' ? 'Once the blacklisting is lifted' : '移出黑名单后'),
    );
  await payouts.setLanguage('en');
  await payouts.setColorScheme('light');
  // lifted: Q2's rebate counts as confirmed again (in its cycle at L3, 2026-07a), and nothing is owed
  const lifted = await call(page, 'blacklist.lift', {
    partnerId: 'P1',
    reason: 'cleared by review',
    effectiveAt: Date.parse('2026-08-03T00:00:00+08:00'),
  });
  expect(lifted.ok, JSON.stringify(lifted.error)).toBe(true);
  await page.reload();
  await expect(payouts.statement).toBeVisible({ timeout: 20_000 });
  await expect(payouts.statement).not.toContainText('Blacklisted: rebates frozen');
  await expect(page.getByTestId('statement-negative')).toHaveCount(0);
});
