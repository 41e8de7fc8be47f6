/**
 * The admin's desk (issue 10), in English, against the real engine over the bridge: the same-person
 * queue and a group (evidence, identity graph, why two accounts are one person), marking a shared IP
 * after the engine's what-if, blacklisting a partner after its what-if and lifting it, dismissing a
 * risk flag, the audit log of all of it, and a support operator who finds none of these actions.
 *
 * The world: e2e/fixtures/investigation-world (README there), computed as of 2026-11-01 00:00.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { AuditPage } from './pages/audit-page';
import { BlacklistPage } from './pages/blacklist-page';
import { InvestigationPage } from './pages/investigation-page';
import { LookupPage } from './pages/lookup-page';
import { SessionPage } from './pages/session-page';
import { startServe, type RunningBridge } from './support/bridge';
import { createTempStore, E2E_ADMIN, type TempStore } from './support/seed';
import { importWorld } from './support/world';

const SUPPORT = { id: 'e2e-support', name: 'Support Lin' } as const;
const IP = '36.112.10.20';

test.describe('the admin investigates, marks a shared IP, blacklists and lifts, reviews a risk flag', () => {
  test.describe.configure({ mode: 'serial' });
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  test.beforeAll(async () => {
    // seven CLI runs (six imports and the recompute) on a machine that may be busy
    test.setTimeout(120_000);
    store = await createTempStore();
    importWorld(store.file, { recompute: true, world: 'investigation-world' });
    const db = new BetterSqlite3(store.file);
    db.prepare("INSERT INTO operators (operator_id, name, role, created_at) VALUES (?, ?, 'support', 0)").run(
      SUPPORT.id,
      SUPPORT.name,
    );
    db.close();
    const started = await startServe(store.file);
    stop = started.stop;
    Object.assign(bridge, started.bridge);
  });
  test.afterAll(async () => {
    await stop?.();
    store?.remove();
  });

  test('R-SAME-1, R-SAME-2, R-SAME-3: the queue of groups that touch a partner; a group with its evidence, identity graph and the chain of evidence between two accounts', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const inv = new InvestigationPage(page);
    await inv.open(bridge.url, 'investigation');
    await inv.setLanguage('en');
    await expect(inv.pageTitle).toHaveText('Investigations');

    // Two groups touch a partner: K2's (P1 and P2 referred members) and K4's (P3's own account).
    await expect(inv.queue).toHaveAttribute('data-total', '2');
    await expect(inv.queueCell('customer:K2', 'size')).toHaveText('4');
    await expect(inv.queueCell('customer:K4', 'size')).toHaveText('2');
    await expect(inv.queueRow('customer:K2')).toContainText('P1');
    await expect(inv.queueRow('customer:K2')).toContainText('P2');
    await expect(inv.queueRow('customer:K4')).toContainText('P3');
    // filtered by evidence in the store: only K2's group holds an ID number + name
    await inv.filterEvidence('ID number + name');
    await expect(inv.queue).toHaveAttribute('data-total', '1');
    await expect(inv.queueRow('customer:K4')).toHaveCount(0);
    await inv.clearFilters.click();
    await expect(inv.queue).toHaveAttribute('data-total', '2');

    // The group: four customers, three pieces of evidence of three kinds, drawn and listed.
    await inv.openGroup('customer:K2');
    await expect(inv.group).toHaveAttribute('data-members', '4');
    await expect(inv.stat('size')).toContainText('4');
    await expect(inv.graph).toHaveAttribute('data-painted', 'true', { timeout: 15_000 });
    await expect(inv.graph).toHaveAttribute('data-nodes', '4');
    await expect(inv.graph).toHaveAttribute('data-edges', '3');
    await expect(inv.legend).toContainText('Partner');
    await expect(inv.edges).toHaveAttribute('data-total', '3');
    await expect(inv.edge('customer:K2', 'customer:K3')).toContainText(IP);
    await expect(inv.edge('customer:K2', 'customer:K3')).toHaveAttribute('data-evidence', 'ip');
    await expect(inv.edge('customer:K3', 'customer:K6')).toHaveAttribute('data-evidence', 'phone');
    await expect(inv.edge('customer:K6', 'customer:K7')).toHaveAttribute('data-evidence', 'id_number_name');
    // when each piece of evidence was seen (Beijing time): K2 registered from the IP on 05-01 09:00
    await expect(inv.edge('customer:K2', 'customer:K3')).toContainText('05/01/2026');
    await inv.groupTab('members').click();
    await expect(inv.members).toHaveAttribute('data-total', '4');
    await expect(inv.members.locator('tr[data-account="customer:K3"]')).toContainText('P2');

    // Why are K2 and K7 the same person? IP → phone → ID number + name, as a list to paste.
    await inv.pick(inv.pathA, 'Customer K2');
    await inv.pick(inv.pathB, 'Customer K7');
    await expect(inv.pathResult).toHaveAttribute('data-steps', '3');
    await expect(inv.pathResult.getByTestId('path-step').nth(0)).toHaveAttribute('data-evidence', 'ip');
    await expect(inv.pathResult.getByTestId('path-step').nth(1)).toHaveAttribute('data-evidence', 'phone');
    await expect(inv.pathResult.getByTestId('path-step').nth(2)).toHaveAttribute(
      'data-evidence',
      'id_number_name',
    );
    await expect(inv.pathText).toContainText(IP);
    await expect(inv.pathText).toContainText('13900000003');
    await expect(page).toHaveURL(/a=customer%3AK2&b=customer%3AK7|a=customer:K2&b=customer:K7/);

    // Only the IP evidence: one edge left in the table and the graph.
    await inv.evidenceChip('ip').click();
    await inv.groupTab('edges').click();
    await expect(inv.edges).toHaveAttribute('data-total', '1');
    await expect(inv.graph).toHaveAttribute('data-edges', '1');
  });

  test('R-SAME-4, R-OP-2, R-OP-3: marking 36.112.10.20 shared after the what-if splits the group; O3 becomes valid for P2; unmarking can be previewed and cancelled', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const inv = new InvestigationPage(page);
    const flow = inv.flow;
    await inv.open(bridge.url, 'investigation?group=customer%3AK2&gtab=ips');
    await inv.setLanguage('en');
    await expect(inv.group).toHaveAttribute('data-members', '4', { timeout: 30_000 });
    await expect(inv.groupIp(IP)).toBeVisible();
    await inv.groupIp(IP).getByTestId('ip-mark').click();
    await expect(page.getByRole('dialog', { name: /^Mark 36\.112\.10\.20 as a shared IP/ })).toBeVisible();
    await expect(flow.apply).toBeDisabled();

    // The what-if from 2026-06-01: K2 leaves the group, O3 is K3's first order and P2 earns ¥400.
    await flow.whatIf('2026-06-01T00:00');
    await expect(flow.impact).toHaveAttribute('data-later', 'false');
    await expect(page.getByTestId('impact-groups').locator('tr[data-group="customer:K2"]')).toHaveAttribute(
      'data-move',
      'split',
    );
    await flow.impactTab('orders').click();
    await expect(flow.order('O3')).toHaveAttribute('data-after-status', 'valid');
    await expect(flow.order('O3')).toContainText('¥400.00');
    await expect(flow.order('O2')).toHaveCount(0);
    await expect(page.getByTestId('impact-money-delta')).toContainText('+¥400.00');
    await flow.decide('Office building exit IP, shared by unrelated customers');
    await expect(page.getByText(`${IP} marked as a shared IP`)).toBeVisible();

    // The group split: K2 alone is no group any more; K3, K6 and K7 make customer:K3.
    await expect(inv.groupGone).toBeVisible({ timeout: 15_000 });
    await inv.back.click();
    await expect(inv.queue).toHaveAttribute('data-total', '2');
    await expect(inv.queueRow('customer:K2')).toHaveCount(0);
    await expect(inv.queueCell('customer:K3', 'size')).toHaveText('3');

    // O3 is now valid, P2's, ¥400.00.
    const lookup = new LookupPage(page);
    await lookup.open(bridge.url, 'lookup');
    await lookup.searchFor('O3');
    await expect(lookup.status('O3')).toHaveAttribute('data-status', 'valid');
    await expect(lookup.cell('O3', 'partner')).toContainText('P2');
    await expect(lookup.cell('O3', 'rebate')).toContainText('¥400.00');

    // The mark is listed with who, from when and why; unmarking shows its what-if and can be cancelled.
    await inv.open(bridge.url, 'investigation?tab=ips');
    // what is not an IP address is refused at its what-if, saying what an IP is (nothing marked)
    const refuse = async () => {
      await page.getByTestId('marks-new-ip').fill('office-gw');
      await page.getByTestId('marks-new').click();
      await flow.effectiveAt.fill('2026-06-01T00:00');
      await flow.preview.click();
      const refused = flow.dialog.getByTestId('error-alert');
      await expect(refused).toHaveAttribute('data-error-code', 'IP_INVALID', { timeout: 30_000 });
      return refused;
    };
    const refused = await refuse();
    await expect(refused).toContainText('Not an IP address');
    await expect(refused).toContainText('IPv4 (such as 203.0.113.7)');
    await flow.cancel.click();
    await expect(flow.dialog).toHaveCount(0);
    if (process.env.YUNKE_SCREENSHOTS === '1') {
      // (the header's switches are behind the dialog: each look is set before it opens)
      for (const [language, scheme] of [
        ['zh-CN', 'light'],
        ['en', 'dark'],
      ] as const) {
        await inv.setLanguage(language);
        await inv.setColorScheme(scheme);
        await refuse();
        await page.screenshot({
          path: join(
            import.meta.dirname,
            '..',
            'screenshots',
            `investigation-ip-invalid-${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}.png`,
          ),
          fullPage: true,
        });
        await flow.cancel.click();
        await expect(flow.dialog).toHaveCount(0);
      }
      await inv.setLanguage('en');
      await inv.setColorScheme('light');
    }
    await expect(inv.mark('office-gw')).toHaveCount(0);
    await expect(inv.mark(IP)).toHaveAttribute('data-active', 'true');
    await expect(inv.mark(IP)).toContainText(E2E_ADMIN.id);
    await expect(inv.mark(IP)).toContainText('Office building exit IP');
    await inv.mark(IP).getByTestId('ip-unmark').click();
    await flow.whatIf('2026-06-01T00:00');
    await flow.impactTab('orders').click();
    await expect(flow.order('O3')).toHaveAttribute('data-after-status', 'not_first');
    await flow.cancel.click();
    await expect(flow.dialog).toHaveCount(0);
    await expect(inv.mark(IP)).toHaveAttribute('data-active', 'true');
  });

  test('R-BL-1, R-BL-2, R-BL-3: P2 is blacklisted after the what-if (¥660.00 frozen, E8 fails) and lifted after its what-if (released)', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const bl = new BlacklistPage(page);
    const flow = bl.flow;
    await bl.open(bridge.url, 'blacklist');
    await bl.setLanguage('en');
    await expect(bl.pageTitle).toHaveText('Blacklist');
    await expect(bl.entries).toHaveAttribute('data-total', '0');
    await expect(page.getByTestId('entries-table-empty')).toContainText('No blacklist entry is in force.');

    // Add: the partner, restricted promotion, from 2026-10-01; the what-if before anything is written.
    await bl.add.click();
    await bl.partnerInput.fill('P2');
    await expect(bl.restrict).toBeChecked();
    await flow.whatIf('2026-10-01T00:00');
    // R-BL-1: O3, O4 and O5 freeze (¥400 + ¥100 + ¥160); R-BL-2: E8 (10-15) fails, O8 earns nothing
    await expect(bl.frozenImpact).toHaveText('¥660.00');
    await expect(bl.eventsFailing).toHaveText('1');
    await flow.impactTab('orders').click();
    await expect(flow.order('O8')).toHaveAttribute('data-after-status', 'not_attributed');
    await expect(flow.order('O5')).toContainText('Frozen');
    await flow.decide('Refund rate too high, under review');
    await expect(page.getByText('P2 added to the blacklist')).toBeVisible();

    // The entry with its reason, operator, start and the amount frozen now.
    await expect(bl.entries).toHaveAttribute('data-total', '1');
    await expect(bl.entryCell('P2', 'reason')).toHaveText('Refund rate too high, under review');
    await expect(bl.entryCell('P2', 'operator')).toHaveText(E2E_ADMIN.id);
    await expect(bl.entryCell('P2', 'since')).toHaveText('10/01/2026, 00:00');
    await expect(bl.entryCell('P2', 'frozen')).toHaveText('¥660.00');
    await bl.openHistory('P2');
    await expect(bl.historyState).toHaveText('Blacklisted');
    await expect(bl.historyFrozen).toHaveText('¥660.00');

    // Lift from 2026-10-20: the what-if releases the ¥660.00 into the next payout (R-BL-3).
    await bl.historyLift.click();
    await expect(bl.releaseNote).toBeVisible();
    await flow.whatIf('2026-10-20T00:00');
    await expect(bl.frozenImpact).toHaveText('¥660.00');
    await flow.apply.click();
    await expect(page.getByTestId('lift-next-payout')).toBeVisible();
    await flow.reason.fill('Review passed: the refunds were customer mistakes');
    await flow.confirm.click();
    await expect(flow.dialog).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByText('P2 lifted from the blacklist')).toBeVisible();
    await expect(bl.historyState).toHaveText('Not blacklisted');
    await expect(bl.historyFrozen).toHaveText('¥0.00');
    await expect(bl.history.getByTestId('history-entry')).toHaveAttribute('data-status', 'lifted');
    await expect(bl.history).toContainText('Review passed');

    await bl.filterEntries('Lifted');
    await expect(bl.entry('P2')).toHaveAttribute('data-status', 'lifted');
    await expect(bl.entryCell('P2', 'until')).toContainText('10/20/2026, 00:00');
    await expect(bl.entryCell('P2', 'frozen')).toHaveText('¥0.00');
  });

  test('R-CLAW-4: P4 is flagged (3 of 5 clawed back); the flag alone blacklists nobody; the admin dismisses it with a reason', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const bl = new BlacklistPage(page);
    await bl.open(bridge.url, 'blacklist?tab=risk');
    await bl.setLanguage('en');
    await expect(bl.riskRow('P4')).toHaveAttribute('data-status', 'open');
    await bl.riskRow('P4').click();
    await expect(page.getByTestId('risk-detail')).toHaveAttribute('data-partner', 'P4');
    await expect(page.getByTestId('risk-stat-valid')).toContainText('5');
    await expect(page.getByTestId('risk-stat-clawed')).toContainText('3');
    await expect(page.getByTestId('risk-stat-rate')).toContainText('60');
    await expect(bl.riskChart).toBeVisible();
    await expect(bl.riskStatusText).toContainText('Open');

    await bl.riskDismiss.click();
    await page.getByTestId('decision-effective-at').fill('2026-10-10T00:00');
    await page.getByTestId('decision-reason').fill('The refunds were customers buying by mistake; checked');
    await page.getByTestId('decision-confirm').click();
    await expect(page.getByText('Risk flag of P4 dismissed')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('risk-detail')).toHaveAttribute('data-status', 'dismissed');
    await expect(bl.riskDismiss).toHaveCount(0);
    await expect(page.getByTestId('risk-decision')).toContainText(
      'The refunds were customers buying by mistake',
    );
    await expect(bl.riskRow('P4')).toHaveAttribute('data-status', 'dismissed');

    // A flag never blacklists by itself: P4 has no blacklist entry.
    await bl.open(bridge.url, 'blacklist?status=all');
    await expect(bl.entry('P4')).toHaveCount(0);
  });

  test('R-OP-2: the audit log lists the shared IP, the blacklist entry and its lift, and the risk dismissal with their reasons', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const audit = new AuditPage(page);
    await audit.open(bridge.url, 'audit');
    await audit.setLanguage('en');
    await expect(audit.chainStatus).toHaveAttribute('data-state', 'intact');
    for (const [action, reason, entity] of [
      [/shared_ip\.mark$/, 'Office building exit IP, shared by unrelated customers', IP],
      [/blacklist\.add$/, 'Refund rate too high, under review', 'P2'],
      [/blacklist\.lift$/, 'Review passed: the refunds were customer mistakes', 'P2'],
      [/risk\.dismiss$/, 'The refunds were customers buying by mistake; checked', 'P4'],
    ] as const) {
      await audit.choose(audit.actionFilter, action);
      await expect(audit.rows()).toHaveCount(1);
      const row = audit.rows().first();
      await expect(audit.cell(row, 'reason')).toHaveText(reason);
      await expect(audit.cell(row, 'operator')).toContainText(E2E_ADMIN.id);
      await expect(audit.cell(row, 'entity')).toContainText(entity);
    }
    await audit.choose(audit.actionFilter, /shared_ip\.mark$/);
    await expect(audit.cell(audit.rows().first(), 'action')).toContainText('Shared IP marked');
    await expect(audit.cell(audit.rows().first(), 'effective-at')).toHaveText('06/01/2026, 00:00');
  });

  test('R-OP-1: a support operator reads the queue, the group, the shared IPs, the blacklist and the risk review, and finds no write action', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const inv = new InvestigationPage(page);
    const bl = new BlacklistPage(page);
    const session = new SessionPage(page);
    await inv.open(bridge.url, 'investigation');
    await inv.setLanguage('en');
    await session.switchTo(SUPPORT.id);
    await expect(session.operatorMenu).toHaveAttribute('data-operator', SUPPORT.id);

    await expect(inv.queue).toHaveAttribute('data-total', '2');
    await inv.openGroup('customer:K3');
    await expect(inv.graph).toHaveAttribute('data-painted', 'true', { timeout: 15_000 });
    await inv.groupTab('ips').click();
    await expect(inv.groupIps).toBeVisible();
    await expect(page.getByTestId('ip-mark')).toHaveCount(0);

    await inv.open(bridge.url, 'investigation?tab=ips');
    await expect(inv.mark(IP)).toBeVisible();
    await expect(page.getByTestId('ip-unmark')).toHaveCount(0);
    await expect(inv.newIp).toHaveCount(0);
    await expect(inv.markNew).toHaveCount(0);

    await bl.open(bridge.url, 'blacklist?status=all');
    await expect(bl.entry('P2')).toBeVisible();
    await expect(bl.add).toHaveCount(0);
    await expect(page.getByTestId('entry-lift')).toHaveCount(0);
    await bl.openHistory('P2');
    await expect(bl.historyAdd).toHaveCount(0);
    await expect(bl.historyLift).toHaveCount(0);

    await bl.open(bridge.url, 'blacklist?tab=risk&risk=P4');
    await expect(page.getByTestId('risk-detail')).toHaveAttribute('data-partner', 'P4');
    await expect(bl.riskDismiss).toHaveCount(0);
    await expect(bl.riskBlacklist).toHaveCount(0);
  });
});
