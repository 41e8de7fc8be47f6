/**
 * Two desks on one team database at once (issue 13): real parallel connections — each desk a
 * `yunke-desk` process of its own, as two operators' machines are. The store's write lock (an
 * advisory lock, pg-sync-port.ts) makes an import wait for a recompute, visibly, instead of
 * failing or slipping in between; two recomputes take turns. Without the lock these tests fail:
 * the import commits in the middle of the run, and the second recompute of two either fails to
 * serialize or overlaps the first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProcess } from '../../test-support/cli-process';
import { copySqliteToPg, freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { openPgStore } from '../open-pg-store';
import { openStore } from '../open-store';
import { WRITE_LOCK_KEY } from './pg-sync-port';

const cli = cliProcess;
const AS_OF = '2026-11-01T00:00:00+08:00';

/** Polls the server until `sql` returns a row (true) or `ms` pass (false). */
async function until(client: pg.Client, text: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await client.query(text, [WRITE_LOCK_KEY])).rowCount) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

const HELD = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`;
const WAITING = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`;
const TWO_WAITING = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted HAVING count(*) >= 2`;
/** another desk holds the write lock (not the watching connection) while one more waits for it */
const HELD_AND_WAITING = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted
  AND pid <> pg_backend_pid() AND EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted)`;

describe.skipIf(!onPostgres)('two desks on one team database (issue 13)', () => {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  let dir = '';
  let watch: pg.Client;

  beforeAll(async () => {
    // a demo world large enough that a full recompute takes a while
    dir = mkdtempSync(join(tmpdir(), 'yunke-race-'));
    const file = join(dir, 'demo.db');
    const demo = await cli(['demo', '--db', file, '--scale', '0.2', '--no-recompute']);
    expect(demo.code, demo.err).toBe(0);
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    const source = openStore(file);
    const team = await openPgStore(url);
    await copySqliteToPg(source.sqlite, team.db);
    await team.close();
    await source.close();
    // a third desk, as the others see it
    watch = new pg.Client({ connectionString: url, application_name: 'yunke-desk@third-desk' });
    await watch.connect();
  }, 300_000);

  afterAll(async () => {
    await watch?.end();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an import while a recompute runs waits its turn, says so, and commits after the run', async () => {
    const customer = (await watch.query('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1'))
      .rows[0].customer_id as string;
    const line = (await watch.query('SELECT product_line FROM product_lines ORDER BY product_line LIMIT 1'))
      .rows[0].product_line as string;
    const csv = join(dir, 'orders-late.csv');
    writeFileSync(
      csv,
      'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n' +
        `LATE-1,${customer},${line},prepaid,false,100,2026-10-01 10:00:00\n`,
    );
    // a third desk's open transaction has read a result table: the recompute's swap waits for it
    // (SWAP_LOCK_WAIT_MS) before it writes its rows in place, so it surely still holds the write
    // lock when the import asks for it (a recompute of this world takes a few seconds only)
    await watch.query('BEGIN');
    await watch.query('SELECT 1 FROM result_partners LIMIT 1');
    const recompute = cli(['recompute', '--db', url, '--as-of', AS_OF]);
    expect(await until(watch, HELD, 60_000)).toBe(true);
    const importing = cli(['import', '--db', url, '--source', 'orders', csv]);
    // the import's connection queues behind the recompute's lock (a visible wait, not a failure)
    expect(await until(watch, WAITING, 60_000)).toBe(true);
    const [r, i] = await Promise.all([recompute, importing]);
    await watch.query('COMMIT');
    expect(r.code, r.err).toBe(0);
    expect(i.code, i.err).toBe(0);
    expect(i.err).toMatch(/waiting for the team database's write lock \(held by yunke-desk/);
    const run = (
      await watch.query('SELECT started_at, duration_ms FROM engine_runs ORDER BY run_id DESC LIMIT 1')
    ).rows[0] as { started_at: string; duration_ms: string };
    const committed = (
      await watch.query(
        "SELECT recorded_at FROM audit_log WHERE action = 'import.commit' ORDER BY audit_id DESC LIMIT 1",
      )
    ).rows[0] as { recorded_at: string };
    expect(Number(committed.recorded_at)).toBeGreaterThanOrEqual(
      Number(run.started_at) + Number(run.duration_ms),
    );
    // the run did not see the late order; it is in the store now, for the next run
    expect((await watch.query("SELECT 1 FROM result_orders WHERE order_id = 'LATE-1'")).rowCount).toBe(0);
    expect((await watch.query("SELECT 1 FROM orders WHERE order_id = 'LATE-1'")).rowCount).toBe(1);
  }, 300_000);

  it('two recomputes at once take turns: neither fails, one waits for the other, the results are one run’s', async () => {
    // this connection holds the write lock first, so that both recomputes are queued before either
    // runs (a recompute of this world takes a few seconds only)
    await watch.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    const first = cli(['recompute', '--db', url, '--as-of', AS_OF]);
    expect(await until(watch, WAITING, 60_000)).toBe(true);
    const second = cli(['recompute', '--db', url, '--as-of', AS_OF]);
    expect(await until(watch, TWO_WAITING, 60_000)).toBe(true);
    await watch.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
    // one runs while the other waits for it
    expect(await until(watch, HELD_AND_WAITING, 60_000)).toBe(true);
    const [a, b] = await Promise.all([first, second]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(b.err).toMatch(/waiting for the team database's write lock/);
    const exported = await cli(['export', '--db', url, '--what', 'orders', '--format', 'csv']);
    const again = await cli(['recompute', '--db', url, '--as-of', AS_OF]);
    expect(again.code).toBe(0);
    const alone = await cli(['export', '--db', url, '--what', 'orders', '--format', 'csv']);
    expect(exported.out).toBe(alone.out);
  }, 300_000);
});
