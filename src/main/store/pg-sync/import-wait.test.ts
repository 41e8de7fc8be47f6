/**
 * Issue 13: an import on a team database while another desk writes waits its turn — and the data
 * sync screen's job says whose write it waits for (sync.progress `waitingFor`), instead of
 * failing on a busy timeout or sitting silent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJobs, type ImportJobState } from '../../sync/jobs';
import { runEngine } from '../../engine/run-engine';
import { showLockWaitsInQueues } from '../../jobs/lock-waits';
import { queueFor } from '../../jobs/store-queue';
import { actor } from '../../test-support/actors';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { openStore, type Store } from '../open-store';
import { deskApplicationName, PgSyncPort, WRITE_LOCK_KEY } from './pg-sync-port';

async function until(
  jobs: ImportJobs,
  id: string,
  ok: (s: ImportJobState) => boolean,
): Promise<ImportJobState> {
  const end = Date.now() + 60_000;
  for (;;) {
    const s = jobs.get(id)!;
    if (ok(s) || Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The queue's jobs once it has none left (a job leaves it just after its promise settles), or as they are after 10 s. */
async function emptied(queue: ReturnType<typeof queueFor>) {
  const end = Date.now() + 10_000;
  while (queue.list().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return queue.list();
}

describe.skipIf(!onPostgres)('an import waiting for another desk (issue 13)', () => {
  let dir = '';
  let store: Store;
  let drop: () => Promise<void> = async () => {};
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yunke-wait-'));
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    store = openStore(url);
  });
  afterAll(async () => {
    await store?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the job shows the desk it waits for, then lands the file once that desk is done', async () => {
    const file = join(dir, 'product_lines.csv');
    writeFileSync(file, 'product_line,name,rebate_eligible\necs,云服务器,true\ncdn,内容分发,false\n');
    // another desk holds the write lock (as its recompute would)
    const other = new pg.Client({ connectionString: url, application_name: 'yunke-desk@finance-02' });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    try {
      const jobs = new ImportJobs(store);
      const job = jobs.start({ path: file, source: 'product_lines', skipInvalid: false, actor: actor('t') });
      expect(job.runner).toBe('worker');
      const waiting = await until(jobs, job.jobId, (s) => s.waitingFor !== null || s.status !== 'running');
      expect(waiting.status).toBe('running');
      // language-neutral: the screen's zh-CN line shows it as it is (no English "on" inside)
      expect(waiting.waitingFor).toMatch(/^yunke-desk@finance-02 · 127\.0\.0\.1 · pid \d+$/);
      // the header's job list says so too
      expect(queueFor(store).list()[0]).toMatchObject({ kind: 'import', waitingFor: waiting.waitingFor });
      // nothing landed while it waits
      expect((await other.query('SELECT COUNT(*)::int AS n FROM product_lines')).rows[0].n).toBe(0);
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      const done = await jobs.wait(job.jobId);
      expect(done.status, done.error ?? '').toBe('committed');
      expect(done.waitingFor).toBeNull();
      expect(await emptied(queueFor(store))).toEqual([]);
      expect(done.result?.counts).toMatchObject({ added: 2, rejected: 0 });
    } finally {
      await other.end();
    }
  }, 120_000);

  it('a recompute waiting for another desk shows in the header’s job list, naming it; so does a screen’s write outside any job', async () => {
    showLockWaitsInQueues();
    const queue = queueFor(store);
    const blocked = async () => {
      const end = Date.now() + 60_000;
      for (;;) {
        const jobs = queue.list();
        if (jobs[0]?.waitingFor != null || Date.now() > end) return jobs;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const other = new pg.Client({ connectionString: url, application_name: 'yunke-desk@finance-07' });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    try {
      // a recompute, in the engine worker as the app runs it
      const run = runEngine(store, { kind: 'full' });
      let jobs = await blocked();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ kind: 'recompute', position: 0 });
      expect(jobs[0].waitingFor).toMatch(/^yunke-desk@finance-07 · 127\.0\.0\.1 · pid \d+$/);
      expect(jobs[0].waitingSince).toBeGreaterThan(Date.now() - 60_000);
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      await run;
      expect(await emptied(queue)).toEqual([]);
      // a screen's write through the store's Kysely, outside any job: a job of its own while it waits
      await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
      const write = store.db.deleteFrom('result_trend_state').execute();
      jobs = await blocked();
      expect(jobs).toEqual([
        expect.objectContaining({
          kind: 'write',
          position: 0,
          waitingFor: expect.stringMatching(/^yunke-desk@finance-07 · /),
        }),
      ]);
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      await write;
      expect(await emptied(queue)).toEqual([]);
    } finally {
      await other.end();
    }
  }, 120_000);

  it('names another desk by the process its machine shows (the process id in its application name)', async () => {
    // this desk's own name on the server: its host and its process id
    const [[own]] = (store.sqlite as PgSyncPort).query(
      'SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()',
    ).rows as [string][];
    expect(own).toBe(deskApplicationName());
    expect(own).toMatch(new RegExp(`^yunke-desk@.+:${process.pid}$`));
    const file = join(dir, 'product_lines_2.csv');
    writeFileSync(file, 'product_line,name,rebate_eligible\noss,对象存储,true\n');
    const other = new pg.Client({ connectionString: url, application_name: 'yunke-desk@finance-03:4242' });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    try {
      const jobs = new ImportJobs(store);
      const job = jobs.start({ path: file, source: 'product_lines', skipInvalid: false, actor: actor('t') });
      const waiting = await until(jobs, job.jobId, (s) => s.waitingFor !== null || s.status !== 'running');
      // the desk's process (4242), not its server process
      expect(waiting.waitingFor).toBe('yunke-desk@finance-03 · 127.0.0.1 · pid 4242');
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      expect((await jobs.wait(job.jobId)).status).toBe('committed');
    } finally {
      await other.end();
    }
  }, 120_000);

  it('a write of the store’s typed queries (a decision, the dashboard’s trends) that waits for another desk says so too, naming it', async () => {
    const other = new pg.Client({ connectionString: url, application_name: 'yunke-desk@finance-04:5151' });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    const said: string[] = [];
    const before = PgSyncPort.onLockWait;
    PgSyncPort.onLockWait = (holder) => void said.push(holder);
    try {
      const write = store.db.transaction().execute((trx) => trx.deleteFrom('result_trend_state').execute());
      const end = Date.now() + 30_000;
      while (said.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(said).toEqual(['yunke-desk@finance-04 · 127.0.0.1 · pid 5151']);
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      await write;
      // one statement alone (no transaction) waits and says so the same way
      await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
      const one = store.db.deleteFrom('result_trend_state').execute();
      while (said.length === 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(said).toHaveLength(2);
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      await one;
    } finally {
      PgSyncPort.onLockWait = before;
      await other.end();
    }
  }, 120_000);

  it('an import by a desk whose role may only read fails saying which privilege it lacks, in both languages', async () => {
    const role = `yk_viewer_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const viewerUrl = new URL(url);
    viewerUrl.username = role;
    viewerUrl.password = 'viewer-secret';
    let viewer: Store | null = null;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'viewer-secret'`);
      await admin.query(`GRANT CONNECT ON DATABASE ${viewerUrl.pathname.slice(1)} TO ${role}`);
      await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      viewer = openStore(viewerUrl.toString());
      const file = join(dir, 'product_lines_3.csv');
      writeFileSync(file, 'product_line,name,rebate_eligible\nsms,短信,true\n');
      const jobs = new ImportJobs(viewer);
      const job = jobs.start({ path: file, source: 'product_lines', skipInvalid: false, actor: actor('t') });
      const done = await jobs.wait(job.jobId);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/缺少所需权限.*\/ this user lacks a privilege in the team database/s);
      expect(done.error).toMatch(/\(permission denied for table \w+\)/);
      expect(done.error).not.toMatch(/viewer-secret/);
    } finally {
      await viewer?.close();
      await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin.end();
    }
  }, 120_000);
});
