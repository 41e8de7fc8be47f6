/**
 * 数据同步 against the bridge with a seeded temp store: files go through the dropzone's input
 * (staged to main in chunks), are previewed and checked before anything is written, then
 * imported; counts are checked on the screen, in the history and through the API.
 */
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardPage } from './pages/dashboard-page';
import { SyncPage } from './pages/sync-page';
import { useBridge, type RunningBridge } from './support/bridge';
import { SMALL, seedSmall } from './support/seed';
import { startTestApiServer, type TestApiServer } from '../src/main/sync/test-server';

// The bridge (spawned below) reads API tokens from its environment, never from the store.
const TOKEN_ENV = 'YUNKE_TOKEN_E2E_PARTNERS';
process.env[TOKEN_ENV] = 'e2e-secret';
const bridge = useBridge(seedSmall);
let dir: string;
let apiServer: TestApiServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-e2e-files-'));
  apiServer = await startTestApiServer({
    token: 'e2e-secret',
    pageSize: 2,
    items: {
      partners: ['P301', 'P302', 'P303'].map((partner_id) => ({ partner_id, status: 'active' })),
    },
  });
});
test.afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await apiServer?.close();
});

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface Counts {
  partners: number;
  customers: number;
  orders: number;
}

async function call<T>(b: RunningBridge, method: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${b.origin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${b.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(JSON.stringify(body.error));
  return body.value;
}

const counts = async (): Promise<Counts> =>
  (await call<{ counts: Counts }>(bridge, 'dashboard.summary')).counts;

test('a UTF-8 partners CSV: detected, mapped, imported, in the history and on the dashboard', async ({
  page,
}) => {
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const csv = file(
    'partners-new.csv',
    'partner_id,name,phone,status,joined_at,remark\n' +
      'P101,周杰,13800000101,active,2026-10-01 09:00:00,首批\n' +
      'P102,吴敏,13800000102,applied,2026-10-02 09:00:00,\n' +
      'P103,郑洁,,active,2026-10-03T09:00:00+08:00,\n',
  );
  await sync.addFiles(csv);
  const card = sync.file('partners-new.csv');
  await card.waitPreview();
  await expect(card.sourceSelect).toHaveValue('云客 · partners');
  await expect(card.sourceOrigin).toHaveText('自动识别');
  await expect(card.format).toHaveText('CSV');
  await expect(card.encoding).toHaveText('UTF-8');
  await expect(card.mappingRow('partner_id')).toHaveAttribute('data-column', 'partner_id');
  await expect(card.mappingRow('remark')).toHaveAttribute('data-kind', 'extra');
  await expect(card.previewRows.locator('tr[data-line="2"]')).toContainText('周杰');
  await expect(card.noErrors).toBeVisible();
  await expect(card.importValidButton).toHaveCount(0);

  // Choosing the wrong source shows its missing required columns and refuses the import.
  await card.chooseSource('客户 · customers');
  await expect(card.sourceOrigin).toHaveText('已手动指定');
  await expect(card.root.getByTestId('file-error')).toHaveAttribute('data-error-code', 'MISSING_COLUMNS');
  await expect(card.mapping.locator('tr[data-kind="missing"][data-column="customer_id"]')).toBeVisible();
  await expect(card.importButton).toBeDisabled();
  await card.chooseSource('云客 · partners');
  await expect(card.root.getByTestId('file-error')).toHaveCount(0);

  await card.importButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(card.resultCount('added')).toHaveText('3');
  await expect(card.resultCount('rejected')).toHaveText('0');
  expect((await counts()).partners).toBe(SMALL.partners + 3);

  await sync.historyTab.click();
  const row = sync.historyRow('partners-new.csv');
  await expect(row).toHaveAttribute('data-status', 'committed');
  await expect(sync.historyCount(row, 'added')).toHaveText('3');
  await expect(sync.historyCount(row, 'rejected')).toHaveText('0');
  await expect(row.locator('[data-cell="source"]')).toHaveText('云客');
  await expect(row.locator('[data-sha]')).toHaveAttribute('data-sha', /^[0-9a-f]{64}$/);

  const dashboard = new DashboardPage(page);
  await dashboard.goTo('dashboard');
  await expect(dashboard.stat('partners')).toHaveText(String(SMALL.partners + 3));
});

test('a GBK CSV with Chinese headers is detected and imported', async ({ page }) => {
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const before = await counts();
  const text =
    '客户ID,客户类型,姓名,手机号,注册时间,渠道服务\r\n' +
    'C101,individual,孙丽,13900000101,2026-10-05 10:00:00,none\r\n' +
    'C102,enterprise,上海云帆科技有限公司,,2026-10-06 11:30:00,sales\r\n';
  await sync.addFiles(file('客户导出-GBK.csv', iconv.encode(text, 'gbk')));
  const card = sync.file('客户导出-GBK.csv');
  await card.waitPreview();
  await expect(card.sourceSelect).toHaveValue('客户 · customers');
  await expect(card.encoding).toContainText('GBK');
  await expect(card.mappingRow('客户ID')).toHaveAttribute('data-column', 'customer_id');
  await expect(card.mappingRow('注册时间')).toHaveAttribute('data-column', 'registered_at');
  await expect(card.previewRows).toContainText('上海云帆科技有限公司');
  await card.importButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(card.resultCount('added')).toHaveText('2');
  expect((await counts()).customers).toBe(before.customers + 2);
});

test('several files at once: a JSONL and an XLSX are each previewed and imported on their own', async ({
  page,
}) => {
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const jsonl = file(
    'events.jsonl',
    [
      {
        event_id: 'E101',
        partner_id: 'P001',
        customer_id: 'C001',
        kind: 'visit',
        occurred_at: '2026-10-01 08:00:00',
      },
      {
        event_id: 'E102',
        partner_id: 'P002',
        customer_id: 'C002',
        kind: 'login',
        occurred_at: '2026-10-01T09:00:00+08:00',
      },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
  );
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('产品线');
  ws.addRow(['产品线', '名称', '可返利']);
  ws.addRow(['gpu', 'GPU 云服务器', '是']);
  ws.addRow(['waf', 'Web 应用防火墙', '否']);
  const xlsx = file('产品线.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));

  await sync.addFiles([jsonl, xlsx]);
  const events = sync.file('events.jsonl');
  const lines = sync.file('产品线.xlsx');
  await events.waitPreview();
  await lines.waitPreview();
  await expect(events.format).toHaveText('JSONL');
  await expect(events.sourceSelect).toHaveValue('推广事件 · referral_events');
  await expect(lines.format).toHaveText('XLSX');
  await expect(lines.sourceSelect).toHaveValue('产品线 · product_lines');
  await expect(lines.previewRows).toContainText('Web 应用防火墙');

  await lines.importButton.click();
  await expect(lines.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(lines.resultCount('added')).toHaveText('2');
  await expect(events.importButton).toBeEnabled();
  await events.importButton.click();
  await expect(events.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(events.resultCount('added')).toHaveText('2');
});

test('a bad amount is shown with line, column and message before anything is written; valid rows only on request', async ({
  page,
}) => {
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const before = await counts();
  await sync.addFiles(
    file(
      'orders-bad.csv',
      'order_id,customer_id,product_line,billing,paid_amount,ordered_at\n' +
        'O101,C001,ecs,prepaid,"1,200.50",2026-10-10 10:00:00\n' +
        'O102,C002,ecs,prepaid,12O0,2026-10-10 11:00:00\n' +
        'O103,C003,ecs,postpaid,¥88.00,2026-10-10 12:00:00\n',
    ),
  );
  const card = sync.file('orders-bad.csv');
  await card.waitPreview();
  await expect(card.sourceSelect).toHaveValue('订单 · orders');
  const bad = card.errorRow(3);
  await expect(bad.locator('[data-cell="column"]')).toHaveText('paid_amount');
  await expect(bad.locator('[data-cell="value"]')).toHaveText('12O0');
  await expect(bad.locator('[data-cell="message"]')).toContainText('金额格式不正确');
  await expect(card.importButton).toBeDisabled();
  await sync.setLanguage('en');
  await expect(bad.locator('[data-cell="message"]')).toContainText('not an amount in yuan');
  expect((await counts()).orders).toBe(before.orders);

  await card.importValidButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(card.resultCount('added')).toHaveText('2');
  await expect(card.resultCount('rejected')).toHaveText('1');
  expect((await counts()).orders).toBe(before.orders + 2);

  await sync.historyTab.click();
  const row = sync.historyRow('orders-bad.csv');
  await expect(sync.historyCount(row, 'rejected')).toHaveText('1');
  const modal = await sync.openRejections('orders-bad.csv');
  await expect(modal.locator('tr[data-line="3"] [data-cell="column"]')).toHaveText('paid_amount');
  await expect(modal.locator('tr[data-line="3"] [data-cell="message"]')).toContainText(
    'not an amount in yuan',
  );
});

test('a large file shows progress; cancelling while its rows are written rolls back, and a reload finds the outcome', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const before = await counts();
  const lines = ['order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at'];
  // enough rows that they are still being written a few polls after the first progress, even on
  // an idle machine (the screen follows main with a short lag; 300,000 could be committed by then)
  for (let i = 0; i < 2_000_000; i++)
    lines.push(`B${i},C00${(i % 5) + 1},ecs,prepaid,false,${(i % 90) + 1},2026-03-05 12:00:00`);
  await sync.addFiles(file('orders-big.csv', lines.join('\n') + '\n'));
  const card = sync.file('orders-big.csv');
  await card.waitPreview(240_000); // 90 MB through the staging upload
  await card.importButton.click();
  await expect(card.progress).toBeVisible();
  await expect
    .poll(async () => Number(await card.progress.getAttribute('data-rows')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect(card.root.getByTestId('progress-rate')).toContainText('行/秒');
  // cancelled while its rows are being written (once they are committed, the recompute after them
  // can no longer be cancelled: the screen then says so and disables the button — jobs.test.ts)
  await card.cancelImportButton.click();
  await expect(card.result).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(card.result).toContainText('回滚');
  expect(await counts()).toEqual(before);

  // a reload loses nothing: the outcome is in main's history
  await page.reload();
  await sync.waitReady();
  await sync.historyTab.click();
  await expect(sync.historyRow('orders-big.csv')).toHaveAttribute('data-status', 'cancelled');
});

test('an API source is saved with its token variable and pulled now; status and cursor are shown', async ({
  page,
}) => {
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const before = await counts();
  await sync.apiTab.click();
  await expect(page.getByTestId('api-empty')).toBeVisible();
  await page.getByTestId('api-base-url').fill(`${apiServer.url}/partners`);
  await page.getByTestId('api-token-env').fill(TOKEN_ENV);
  await page.getByTestId('api-save').click();
  const row = page.locator('[data-testid="api-table"] tr[data-source="partners"]');
  await expect(row).toContainText('从未拉取');
  await row.getByTestId('pull-now').click();
  await expect(row.getByTestId('pull-result')).toContainText('3 条');
  await expect(row.locator('[data-cell="last-pull"]')).toContainText('成功');
  expect((await counts()).partners).toBe(before.partners + 3);
  await sync.historyTab.click();
  await expect(sync.historyRow(`${apiServer.url}/partners`)).toHaveAttribute('data-status', 'committed');
});
