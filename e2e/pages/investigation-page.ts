import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/**
 * 同人调查: the queue of same-person groups, one group (graph, evidence, "why the same person"),
 * the shared IPs, and the decision flow (inputs, the engine's what-if, then the decision dialog).
 */
export class InvestigationPage extends AppPage {
  readonly queueTab: Locator;
  readonly ipsTab: Locator;
  readonly queue: Locator;
  readonly evidenceFilter: Locator;
  readonly clearFilters: Locator;
  readonly group: Locator;
  readonly groupGone: Locator;
  readonly back: Locator;
  readonly graph: Locator;
  readonly legend: Locator;
  readonly edges: Locator;
  readonly members: Locator;
  readonly groupIps: Locator;
  readonly pathA: Locator;
  readonly pathB: Locator;
  readonly pathResult: Locator;
  readonly pathText: Locator;
  readonly marks: Locator;
  readonly marksStatus: Locator;
  readonly newIp: Locator;
  readonly markNew: Locator;
  readonly flow: DecisionFlowModel;

  constructor(page: Page) {
    super(page);
    this.queueTab = page.getByTestId('investigation-tab-queue');
    this.ipsTab = page.getByTestId('investigation-tab-ips');
    this.queue = page.getByTestId('queue-table');
    this.evidenceFilter = page.getByTestId('queue-evidence');
    this.clearFilters = page.getByTestId('queue-clear');
    this.group = page.getByTestId('group-view');
    this.groupGone = page.getByTestId('group-gone');
    this.back = page.getByTestId('group-back');
    this.graph = page.getByTestId('identity-graph');
    this.legend = page.getByTestId('graph-legend');
    this.edges = page.getByTestId('edges-table');
    this.members = page.getByTestId('members-table');
    this.groupIps = page.getByTestId('group-ips-table');
    this.pathA = page.getByTestId('path-a');
    this.pathB = page.getByTestId('path-b');
    this.pathResult = page.getByTestId('path-result');
    this.pathText = page.getByTestId('path-text');
    this.marks = page.getByTestId('marks-table');
    this.marksStatus = page.getByTestId('marks-status');
    this.newIp = page.getByTestId('marks-new-ip');
    this.markNew = page.getByTestId('marks-new');
    this.flow = new DecisionFlowModel(page);
  }

  queueRow(groupId: string): Locator {
    return this.queue.locator(`tr[data-group="${groupId}"]`);
  }

  queueCell(groupId: string, column: 'group' | 'size' | 'evidence' | 'stake'): Locator {
    return this.queueRow(groupId).locator(`[data-col="${column}"]`);
  }

  async filterEvidence(label: string): Promise<void> {
    await this.evidenceFilter.click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }

  async openGroup(groupId: string): Promise<void> {
    await this.queueRow(groupId).click();
    // the first group opened loads the graph's code too; a busy machine needs more than the default
    await expect(this.group).toHaveAttribute('data-group', groupId, { timeout: 30_000 });
  }

  groupTab(tab: 'edges' | 'hubs' | 'members' | 'ips'): Locator {
    return this.page.getByTestId(`group-tab-${tab}`);
  }

  stat(name: 'size' | 'stake' | 'denied' | 'confirmed' | 'pending' | 'frozen'): Locator {
    return this.page.getByTestId(`group-${name}`);
  }

  /** The evidence filter's chip (its label: the checkbox itself is hidden). */
  evidenceChip(kind: 'account' | 'phone' | 'id_number_name' | 'ip'): Locator {
    return this.page.getByTestId(`evidence-${kind}`).locator('xpath=following-sibling::label');
  }

  edge(a: string, b: string): Locator {
    return this.edges.locator(`tr[data-a="${a}"][data-b="${b}"]`);
  }

  /** Picks an account for "why the same person?" by what its option starts with (e.g. "Customer K2"). */
  async pick(select: Locator, label: string): Promise<void> {
    await select.click();
    await this.page.getByRole('option', { name: new RegExp(`^${label}\\b`) }).click();
  }

  groupIp(ip: string): Locator {
    return this.groupIps.locator(`tr[data-ip="${ip}"]`);
  }

  mark(ip: string): Locator {
    return this.marks.locator(`tr[data-ip="${ip}"]`);
  }
}

/** The what-if window of a decision (DecisionFlow) and the decision dialog after it. */
export class DecisionFlowModel {
  readonly effectiveAt: Locator;
  readonly preview: Locator;
  readonly impact: Locator;
  readonly apply: Locator;
  readonly cancel: Locator;
  readonly dialog: Locator;
  readonly summary: Locator;
  readonly reason: Locator;
  readonly confirm: Locator;

  constructor(readonly page: Page) {
    this.effectiveAt = page.getByTestId('flow-effective-at');
    this.preview = page.getByTestId('flow-preview');
    this.impact = page.getByTestId('decision-impact');
    this.apply = page.getByTestId('flow-apply');
    this.cancel = page.getByTestId('flow-cancel');
    // the what-if window or the decision dialog (not a drawer left open beside them)
    this.dialog = page
      .getByRole('dialog')
      .filter({ has: page.getByTestId('flow-preview').or(page.getByTestId('decision-confirm')) });
    this.summary = page.getByTestId('flow-summary');
    this.reason = page.getByTestId('decision-reason');
    this.confirm = page.getByTestId('decision-confirm');
  }

  /** Sets the effective time (Beijing, `2026-06-01T00:00`) and runs the engine's what-if. */
  async whatIf(at: string): Promise<void> {
    await this.effectiveAt.fill(at);
    await this.preview.click();
    await expect(this.impact).toBeVisible({ timeout: 30_000 });
    await expect(this.impact.locator('..')).toHaveAttribute('data-fresh', 'true');
  }

  /** The what-if's row of an order. */
  order(orderId: string): Locator {
    return this.impact.locator(`tr[data-order="${orderId}"]`);
  }

  impactTab(tab: string): Locator {
    return this.page.getByTestId(`impact-tab-${tab}`);
  }

  /** Applies the previewed decision with a reason, and waits for the dialogs to close. */
  async decide(reason: string): Promise<void> {
    await this.apply.click();
    await expect(this.summary).toBeVisible();
    await this.reason.fill(reason);
    await this.confirm.click();
    await expect(this.dialog).toHaveCount(0, { timeout: 30_000 });
  }
}
