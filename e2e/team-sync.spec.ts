/**
 * 数据同步 on a team database (issue 13), end to end in Chromium against the bridge: the desk runs
 * on a throwaway PostgreSQL cluster (`serve --db postgres://…`) and imports a file while another
 * desk holds the team database's write lock. The file's card says it is waiting and names that
 * desk (zh-CN and English); nothing is written meanwhile; once the other desk lets go, the import
 * runs and its counts are on the card, in the history and in the database.
 * Screenshots of the waiting card (zh-CN and English, light and dark) with YUNKE_SCREENSHOTS=1.
 */
import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SettingsPage } from './pages/settings-page';
import { SyncPage, type FileCardModel } from './pages/sync-page';
import { startServe, type RunningBridge } from './support/bridge';
import { E2E_ADMIN } from './support/seed';
import { openStore } from '../src/main/store/open-store';
import { WRITE_LOCK_KEY } from '../src/main/store/pg-sync/pg-sync-port';
import { stagingDirFor } from '../src/main/sync/staging';
// @ts-expect-error: a plain .mjs script without types
import * as pgCluster from '../scripts/pg-cluster.mjs';

const { startCluster } = pgCluster as {
  startCluster(o?: object): Promise<{ url: string; port: number; stop(): void }>;
};

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'screenshots');
const DATABASE = 'yunke_team';
/** How the other desk's connection is named in pg_stat_activity (the waiting line names it). */
const OTHER_DESK = 'yunke-desk@other-desk';
/** The other desk as the line names it: its name, address and server process (no words of a language). */
const HOLDER = /yunke-desk@other-desk · 127\.0\.0\.1 · pid \d+/.source;

test.describe.configure({ mode: 'serial' });

let cluster: { url: string; port: number; stop(): void } | undefined;
let teamUrl: string;
let dir: string;
let stop: (() => Promise<void>) | undefined;
const bridge = {} as RunningBridge;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster();
  const server = new pg.Client({ connectionString: cluster.url });
  await server.connect();
  try {
    await server.query(`CREATE DATABASE ${DATABASE} TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await server.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${DATABASE}`;
  teamUrl = url.toString();
  // the team database set up by the app's own migrations, with the admin the page is signed in as
  const store = openStore(teamUrl);
  try {
    await store.db
      .insertInto('operators')
      .values({ operator_id: E2E_ADMIN.id, name: E2E_ADMIN.name, role: 'admin', created_at: 0 })
      .execute();
  } finally {
    await store.close();
  }
  dir = mkdtempSync(join(tmpdir(), 'yunke-e2e-team-files-'));
  const started = await startServe(teamUrl);
  stop = started.stop;
  Object.assign(bridge, started.bridge);
});

test.afterAll(async () => {
  await stop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
  // the bridge's uploads (a team database's staging folder is in the temp folder, not beside a file)
  if (teamUrl) rmSync(stagingDirFor(teamUrl), { recursive: true, force: true });
  cluster?.stop();
});

function partnersFile(name: string, ids: string[]): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    'partner_id,name,status,joined_at\n' +
      ids.map((id, i) => `${id},伙伴${i + 1},active,2026-10-0${i + 1} 09:00:00\n`).join(''),
  );
  return p;
}

/** Another desk writing: a connection of its own holding the team database's write lock. */
async function otherDeskWriting(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: teamUrl, application_name: OTHER_DESK });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await client.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
    } finally {
      await client.end();
    }
  };
  return { release };
}

async function partnersInDatabase(ids: string[]): Promise<{ partner_id: string; name: string }[]> {
  const client = new pg.Client({ connectionString: teamUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ partner_id: string; name: string }>(
      'SELECT partner_id, name FROM partners WHERE partner_id = ANY($1) ORDER BY partner_id',
      [ids],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** Previews the file, then starts its import while another desk holds the write lock. */
async function importWhileLocked(
  sync: SyncPage,
  path: string,
  name: string,
): Promise<{ card: FileCardModel; other: { release(): Promise<void> } }> {
  await sync.addFiles(path);
  const card = sync.file(name);
  await card.waitPreview();
  await expect(card.sourceSelect).toHaveValue('云客 · partners');
  await expect(card.noErrors).toBeVisible();
  // taken only now: the desk's own writes (none while previewing) would wait for it too
  const other = await otherDeskWriting();
  await card.importButton.click();
  return { card, other };
}

test('an import waits for another desk writing to the team database, naming it, and runs once that desk is done', async ({
  page,
}) => {
  // 25–45 s with the cluster's start (beforeAll) on a busy 2-core machine; room for a busier one
  test.setTimeout(90_000);
  const ids = ['T101', 'T102', 'T103'];
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const { card, other } = await importWhileLocked(
    sync,
    partnersFile('partners-team.csv', ids),
    'partners-team.csv',
  );
  try {
    const title = card.progress.getByTestId('progress-title');
    await expect(title).toBeVisible();
    await expect(title).toHaveText(new RegExp(`^等待团队数据库：${HOLDER} 正在写入，完成后即开始导入$`));
    // it stays waiting: no rows, no result, nothing in the database
    await page.waitForTimeout(500);
    await expect(title).toContainText(`等待团队数据库：${OTHER_DESK}`);
    await expect(card.progress).toHaveAttribute('data-rows', '0');
    await expect(card.result).toHaveCount(0);
    expect(await partnersInDatabase(ids)).toEqual([]);
    await sync.setLanguage('en');
    await expect(title).toHaveText(
      new RegExp(`^Waiting for the team database: ${HOLDER} is writing; the import starts when it is done$`),
    );
    await sync.setLanguage('zh-CN');
  } finally {
    await other.release();
  }

  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(card.progress).toHaveCount(0);
  await expect(card.resultCount('added')).toHaveText('3');
  await expect(card.resultCount('rejected')).toHaveText('0');
  await sync.historyTab.click();
  const row = sync.historyRow('partners-team.csv');
  await expect(row).toHaveAttribute('data-status', 'committed');
  await expect(sync.historyCount(row, 'added')).toHaveText('3');
  await expect(sync.historyCount(row, 'rejected')).toHaveText('0');
  expect(await partnersInDatabase(ids)).toEqual([
    { partner_id: 'T101', name: '伙伴1' },
    { partner_id: 'T102', name: '伙伴2' },
    { partner_id: 'T103', name: '伙伴3' },
  ]);
  // the upload was staged in the temp folder, not in a `postgres:/…` folder under the bridge's
  // working directory (the database's URL taken for a path)
  expect(existsSync(join(ROOT, 'postgres:'))).toBe(false);
});

test('screenshots of the waiting card: zh-CN and English, light and dark', async ({ page }) => {
  test.skip(process.env.YUNKE_SCREENSHOTS !== '1', 'YUNKE_SCREENSHOTS=1 takes them');
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const sync = new SyncPage(page);
  await sync.open(bridge.url, 'sync');
  const { card, other } = await importWhileLocked(
    sync,
    partnersFile('partners-waiting.csv', ['T201', 'T202']),
    'partners-waiting.csv',
  );
  try {
    await expect(card.progress.getByTestId('progress-title')).toContainText(OTHER_DESK);
    await sync.screenshotEveryLook(OUT, 'sync-team-waiting');
  } finally {
    await other.release();
  }
  await expect(card.result).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
});

test('a desk whose role may only read: its import fails saying which privilege the role lacks, and writes nothing; screenshots with YUNKE_SCREENSHOTS=1', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const role = 'yk_e2e_viewer';
  const server = new pg.Client({ connectionString: teamUrl });
  await server.connect();
  const viewerUrl = new URL(teamUrl);
  viewerUrl.username = role;
  viewerUrl.password = 'viewer-secret';
  let viewer: { bridge: RunningBridge; stop(): Promise<void> } | null = null;
  try {
    await server.query(`CREATE ROLE ${role} LOGIN PASSWORD 'viewer-secret'`);
    await server.query(`GRANT CONNECT ON DATABASE ${DATABASE} TO ${role}`);
    await server.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await server.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    viewer = await startServe(viewerUrl.toString());
    const sync = new SyncPage(page);
    await sync.open(viewer.bridge.url, 'sync');
    await sync.addFiles(partnersFile('partners-viewer.csv', ['V301']));
    const card = sync.file('partners-viewer.csv');
    await card.waitPreview();
    await card.importButton.click();
    await expect(card.result).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(card.result).toContainText('缺少所需权限');
    await expect(card.result).toContainText('this user lacks a privilege in the team database');
    await expect(card.result).toContainText('permission denied for table');
    await expect(card.result).not.toContainText('viewer-secret');
    expect(await partnersInDatabase(['V301'])).toEqual([]);
    if (process.env.YUNKE_SCREENSHOTS === '1') await sync.screenshotEveryLook(OUT, 'sync-team-read-only');
  } finally {
    await viewer?.stop();
    await server.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await server.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await server.end();
  }
});

test('Settings → backups on a team database says its server backs it up (no backup button, no list); screenshots with YUNKE_SCREENSHOTS=1', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const settings = new SettingsPage(page);
  await settings.open(bridge.url, 'settings');
  await settings.tab('backup');
  await expect(page.getByTestId('backup-team-database')).toContainText('团队数据库由其服务器备份');
  await expect(page.getByTestId('backup-now')).toHaveCount(0);
  await expect(page.getByTestId('backups-table')).toHaveCount(0);
  if (process.env.YUNKE_SCREENSHOTS !== '1') return;
  await settings.screenshotEveryLook(OUT, 'settings-backup-team');
});

test('a decision that waits for another desk writing says so above everything, naming that desk, and is saved once it is done; Settings names the team database this desk runs on', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const settings = new SettingsPage(page);
  await settings.open(bridge.url, 'settings');
  // the team database this desk runs on, its address as the server knows it (no password)
  await settings.tab('teamdb');
  await expect(page.getByTestId('teamdb-running-url')).toHaveText(teamUrl);
  if (process.env.YUNKE_SCREENSHOTS === '1')
    await settings.screenshotEveryLook(OUT, 'settings-teamdb-running');
  await settings.tab('operators');
  const notice = page.getByTestId('team-wait-notice');
  const looks: { language: 'zh-CN' | 'en'; scheme: 'light' | 'dark' }[] = [
    { language: 'zh-CN', scheme: 'light' },
    { language: 'en', scheme: 'light' },
  ];
  if (process.env.YUNKE_SCREENSHOTS === '1')
    looks.push({ language: 'zh-CN', scheme: 'dark' }, { language: 'en', scheme: 'dark' });
  for (const [i, look] of looks.entries()) {
    await settings.setLanguage(look.language);
    await settings.setColorScheme(look.scheme);
    const id = `FIN-TEAM-${i + 1}`;
    const other = await otherDeskWriting();
    try {
      await settings.addOperator({ id, name: `团队财务${i + 1}`, role: 'finance' });
      // the job list is polled every 2 s: the dialog's overlay covers the header, the notice does not
      await expect(notice).toBeVisible({ timeout: 15_000 });
      await expect(notice).toContainText(
        new RegExp(
          look.language === 'zh-CN'
            ? `等待团队数据库等待 ${HOLDER} 写入完成（自 .+ 起），之后自动继续`
            : `Waiting for the team databaseWaiting for ${HOLDER} to finish writing \\(since .+\\); then it goes on by itself`,
        ),
      );
      // the header says so too
      await expect(page.getByTestId('jobs-indicator')).toHaveAttribute('data-blocked', 'true');
      // nothing saved while it waits
      await page.waitForTimeout(300);
      await expect(settings.operatorRow(id)).toHaveCount(0);
      if (process.env.YUNKE_SCREENSHOTS === '1')
        await page.screenshot({
          path: join(OUT, `jobs-team-waiting-${look.language === 'zh-CN' ? 'zh' : 'en'}-${look.scheme}.png`),
        });
    } finally {
      await other.release();
    }
    await expect(settings.operatorRow(id)).toBeVisible({ timeout: 30_000 });
    await expect(notice).toHaveCount(0, { timeout: 15_000 });
  }
  await settings.setColorScheme('light');
  await settings.setLanguage('zh-CN');
});
