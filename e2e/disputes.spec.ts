/**
 * Attribution disputes (R-DISP-1, R-DISP-2), in English: support opens a case from an order, an
 * admin reads the customer's attribution timeline, upholds after the what-if, and the order's
 * explanation names the case; then the admin revokes it after its what-if and rejects another.
 *
 * The world (e2e/fixtures/disputes-world, as of 2026-11-01): C1 registered through P1's link on
 * 2026-01-10, P1's link was visited on 03-01 10:00, C1 logged in through P2's link on 03-05 and
 * ordered O1 on 03-06: O1 is P2's valid order (¥100.00). P1 claims C1 from the visit; upheld from
 * that instant, P1's manual attribution locks C1, P2's login fails and O1 moves to P1.
 */
import { expect, test } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { DisputesPage, OpenDisputeForm } from './pages/disputes-page';
import { LookupPage } from './pages/lookup-page';
import { SessionPage } from './pages/session-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, E2E_ADMIN, type TempStore } from './support/seed';
import { importWorld } from './support/world';

const SUPPORT = { id: 'e2e-support', name: 'Support Lin' } as const;

test.describe('a disputed attribution, from the order to the decision', () => {
  test.describe.configure({ mode: 'serial' });
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  test.beforeAll(async () => {
    store = await createTempStore();
    importWorld(store.file, { recompute: true, world: 'disputes-world' });
    const db = new BetterSqlite3(store.file);
    db.prepare("INSERT INTO operators (operator_id, name, role, created_at) VALUES (?, ?, 'support', 0)").run(
      SUPPORT.id,
      SUPPORT.name,
    );
    db.close();
    const started = await startServe(store.file, { as: SUPPORT.id });
    stop = started.stop;
    Object.assign(bridge, started.bridge);
  });
  test.afterAll(async () => {
    await stop?.();
    store?.remove();
  });

  test('R-DISP-1, R-DISP-2: support opens a case from O1; an admin reads the timeline, upholds after the what-if; O1 moves to P1 and its explanation names the case', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const lookup = new LookupPage(page);
    const form = new OpenDisputeForm(page);
    const disputes = new DisputesPage(page);
    const session = new SessionPage(page);

    // Support finds the order: P2's valid order, and the customer's timeline says why.
    await lookup.open(bridge.url, 'lookup');
    await lookup.setLanguage('en');
    await expect(session.operatorMenu).toHaveAttribute('data-operator', SUPPORT.id);
    await lookup.searchFor('O1');
    await lookup.expectOrderOpen('O1');
    await expect(lookup.detail.locator('[data-field="partner"]')).toContainText('P2');
    await expect(form.timeline.getByTestId('timeline-chart')).toBeVisible();
    await expect(form.timeline.locator('g[data-entry="E4"][data-outcome="created"]')).toHaveCount(1);
    await expect(form.timeline.locator('g[data-entry="E2"][data-outcome="failed"]')).toHaveCount(1);
    await expect(form.section.getByTestId('order-disputes-none')).toBeVisible();

    // … and opens a case for P1, who claims the customer since the visit through their link.
    await form.openButton.click();
    await expect(form.dialog).toBeVisible();
    await expect(form.customer).toHaveValue('C1');
    await expect(form.order).toHaveValue('O1');
    await form.choosePartner('P1');
    // P1's last event before the order: the visit E3, 2026-03-01 10:00 Beijing time
    await expect(form.claimedAt).toHaveValue('2026-03-01T10:00');
    await form.claim.fill('The customer came through my link on 1 March and asked me about servers.');
    await form.submit.click();
    await expect(form.dialog).toBeHidden();
    await expect(page.getByText('Dispute #1 opened')).toBeVisible();
    await expect(form.caseLink(1)).toContainText('Open');

    // Support may open a case, never decide it (R-OP-1).
    await form.caseLink(1).getByTestId('order-dispute-link').click();
    await disputes.expectCase(1);
    await expect(disputes.caseStatus).toHaveText('Open');
    await expect(disputes.timeline).toBeVisible();
    await expect(disputes.decideActions).toHaveCount(0);
    await expect(disputes.uphold).toHaveCount(0);
    // Support reads the claimant and the customer masked, as on every screen: 张* and 陈*, not 张三, 陈静.
    await expect(disputes.caseView).toContainText('张*');
    await expect(disputes.caseView).toContainText('陈*');
    await expect(disputes.caseView).not.toContainText('张三');
    await expect(disputes.caseView).not.toContainText('陈静');

    // An admin works the queue: the case waits, ¥100.00 at stake, now earned by P2.
    await session.switchTo(E2E_ADMIN.id);
    await disputes.open(bridge.url, 'disputes');
    await expect(disputes.pageTitle).toHaveText('Disputes');
    await expect(disputes.queue).toHaveAttribute('data-total', '1');
    await expect(disputes.cell(1, 'claimant')).toContainText('P1');
    await expect(disputes.cell(1, 'customer')).toContainText('C1');
    await expect(disputes.cell(1, 'order')).toHaveText('O1');
    await expect(disputes.cell(1, 'stake')).toContainText('¥100.00');
    await expect(disputes.cell(1, 'stake')).toContainText('now P2');
    await expect(disputes.cell(1, 'waited')).toHaveText(/\d+ (min|h|d)/);
    await disputes.openCase(1);
    await expect(page).toHaveURL(/#\/disputes\?case=1$/);
    // (an admin reads them in full)
    await expect(disputes.caseView).toContainText('张三');
    await expect(disputes.caseView).toContainText('陈静');

    // The case: the claim, the order's current result, the trail, and the timeline in words.
    await expect(disputes.claim).toContainText('P1 · 张三');
    await expect(disputes.claim).toContainText('The customer came through my link');
    await expect(disputes.orderCard.locator('[data-field="order-partner"]')).toContainText('P2');
    await expect(disputes.stake.getByTestId('stake-amount')).toHaveText('¥100.00');
    await expect(disputes.trail.locator('tr[data-action="dispute.open"]')).toContainText(SUPPORT.id);
    await expect(disputes.entryRow('E1')).toHaveAttribute('data-outcome', 'created');
    await expect(disputes.entryRow('E1')).toContainText('locked');
    await expect(disputes.entryRow('E2')).toHaveAttribute('data-outcome', 'failed');
    await expect(disputes.entryRow('E2')).toContainText('Locked by another partner');
    await expect(disputes.entryRow('E2').locator('[data-rule="R-ATTR-4b"]')).toBeVisible();
    await expect(disputes.entryRow('E3')).toHaveAttribute('data-outcome', 'evidence');
    await expect(disputes.entryRow('E4')).toHaveAttribute('data-outcome', 'created');
    await expect(disputes.orderRow('O1')).toHaveAttribute('data-partner', 'P2');
    await expect(disputes.chart.getByTestId('timeline-claimed')).toBeVisible();
    await disputes.entryMark('E2').hover();
    await expect(disputes.tooltip).toContainText('Logged in through the link · partner P2');
    await expect(disputes.tooltip).toContainText('LOCKED_BY_OTHER_PARTNER');
    await disputes.orderMark('O1').hover();
    await expect(disputes.tooltip).toContainText('goes to partner P2');

    // Uphold: the what-if first (from the instant claimed), then the decision with a reason.
    await disputes.uphold.click();
    await expect(disputes.effectiveAt).toHaveValue('2026-03-01T10:00');
    await expect(page.getByTestId('uphold-claimed')).toContainText('the instant claimed');
    await expect(disputes.whatIf).toBeVisible({ timeout: 30_000 });
    await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-before-partner', 'P2');
    await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-after-partner', 'P1');
    await expect(disputes.whatIf.getByTestId('what-if-money').locator('[data-partner="P1"]')).toContainText(
      '+¥100.00',
    );
    await expect(disputes.whatIf.getByTestId('what-if-money').locator('[data-partner="P2"]')).toContainText(
      '-¥100.00',
    );
    await disputes.reason.fill('The visit log shows P1 brought the customer first.');
    await expect(disputes.confirm).toBeEnabled();
    await disputes.confirm.click();
    await expect(disputes.dialog).toHaveCount(0, { timeout: 30_000 });
    await expect(disputes.caseStatus).toHaveText('Upheld');
    await expect(disputes.decision).toContainText(`Upheld by ${E2E_ADMIN.id}`);
    await expect(disputes.decision).toContainText('Manual attribution from 03/01/2026, 10:00');
    await expect(disputes.trail.locator('tr[data-action="dispute.uphold"]')).toContainText(E2E_ADMIN.id);

    // The timeline now holds P1's manual attribution: P2's login fails, O1 goes to P1.
    await expect(disputes.entryRow('dispute:1')).toHaveAttribute('data-outcome', 'created');
    await expect(disputes.entryRow('E4')).toHaveAttribute('data-outcome', 'failed');
    await expect(disputes.orderRow('O1')).toHaveAttribute('data-partner', 'P1');
    await expect(disputes.orderCard.locator('[data-field="order-partner"]')).toContainText('P1');
    await expect(disputes.revoke).toBeVisible();

    // The order's explanation names the case and who decided it, so support can answer P1.
    await disputes.orderCard.getByTestId('case-order-link').click();
    await lookup.expectOrderOpen('O1');
    await expect(lookup.detail.locator('[data-field="partner"]')).toContainText('P1');
    await expect(lookup.explanation).toContainText('dispute #1');
    await expect(lookup.explanation).toContainText(`decided by ${E2E_ADMIN.id}`);
    await expect(lookup.ruleBadge('R-DISP-2')).toBeVisible();
    await expect(form.caseLink(1)).toContainText('Upheld');
  });

  test('R-DISP-2: revoking the upheld case after its what-if gives O1 back to P2; a rejected case changes nothing', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const disputes = new DisputesPage(page);
    const lookup = new LookupPage(page);
    const form = new OpenDisputeForm(page);
    const session = new SessionPage(page);
    await disputes.open(bridge.url, 'disputes?case=1');
    await disputes.setLanguage('en');
    if ((await session.operatorMenu.getAttribute('data-operator')) !== E2E_ADMIN.id)
      await session.switchTo(E2E_ADMIN.id);
    await disputes.expectCase(1);
    await expect(disputes.caseStatus).toHaveText('Upheld');

    // Revoke: the what-if shows O1 going back to P2, then the decision with its reason.
    await disputes.revoke.click();
    await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-after-partner', 'P2', { timeout: 30_000 });
    await expect(disputes.whatIfOrder('O1')).toHaveAttribute('data-before-partner', 'P1');
    await disputes.reason.fill('Granted by mistake: the visit was a bot.');
    await disputes.confirm.click();
    await expect(disputes.dialog).toHaveCount(0, { timeout: 30_000 });
    await expect(disputes.caseStatus).toHaveText('Revoked');
    await expect(disputes.decision).toContainText(`Revoked by ${E2E_ADMIN.id}`);
    await expect(disputes.orderRow('O1')).toHaveAttribute('data-partner', 'P2');
    await expect(disputes.entryRow('E4')).toHaveAttribute('data-outcome', 'created');

    // P3 claims C2 from O3; an admin rejects it: O3 stays P2's, the queue is empty again.
    await lookup.open(bridge.url, 'lookup?q=O3&order=O3');
    await lookup.expectOrderOpen('O3');
    await form.openButton.click();
    await form.choosePartner('P3');
    await expect(form.claimedAt).toHaveValue('2026-02-03T11:00');
    await form.claim.fill('I introduced this customer in February.');
    await form.submit.click();
    await expect(form.caseLink(2)).toContainText('Open');
    await form.caseLink(2).getByTestId('order-dispute-link').click();
    await disputes.expectCase(2);
    await disputes.reject.click();
    await disputes.reason.fill('P2 logged the customer in later: last touch (R-ATTR-2).');
    await disputes.confirm.click();
    await expect(disputes.dialog).toHaveCount(0, { timeout: 30_000 });
    await expect(disputes.caseStatus).toHaveText('Rejected');
    await expect(disputes.orderCard.locator('[data-field="order-partner"]')).toContainText('P2');
    await disputes.back.click();
    await expect(disputes.queue).toHaveAttribute('data-total', '0');
    await disputes.filterStatus('All');
    await expect(disputes.queue).toHaveAttribute('data-total', '2');
    await expect(disputes.cell(1, 'status')).toContainText('Revoked');
    await expect(disputes.cell(2, 'status')).toContainText('Rejected');
  });
});
