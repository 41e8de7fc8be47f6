/**
 * Issue 13: a desk on a team database outlives a restart of its server. The connection the server
 * ended (a restart, a failover, a network failure: here pg_terminate_backend, as the server ends
 * its sessions when it shuts down) is made again for the desk's next action that starts outside
 * any transaction and write lock; the action it broke under fails as lost (TEAM_DB_LOST), and no
 * write of it is kept or done on the new connection without the write lock.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { openStore, type Store } from '../open-store';
import { WRITE_LOCK_KEY } from './pg-sync-port';
import { teamDbErrorKind } from './team-db-errors';

describe.skipIf(!onPostgres)('a team database desk after its connection was lost (issue 13)', () => {
  let fresh: { url: string; drop(): Promise<void> };
  let store: Store;
  let watch: pg.Client;

  beforeAll(async () => {
    fresh = await freshPgDatabase();
    store = openStore(fresh.url);
    watch = new pg.Client({ connectionString: fresh.url });
    await watch.connect();
  });
  afterAll(async () => {
    await store?.close();
    await watch?.end();
    await fresh?.drop();
  });

  const pidOf = () => Number(store.sqlite.prepare('SELECT pg_backend_pid()').pluck().get());
  /** The server ends the desk's session, as it does when it shuts down; waits until it is gone. */
  async function endSession(pid: number): Promise<void> {
    await watch.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100; i++) {
      const left = await watch.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (left.rowCount === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // (the desk's driver thread hears of it as its socket closes)
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = async () =>
    (await watch.query('SELECT product_line FROM product_lines ORDER BY 1')).rows.map((r) => r.product_line);
  /** Whether any session holds the store's write lock. */
  const lockHeld = async () =>
    (
      await watch.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [
        WRITE_LOCK_KEY,
      ])
    ).rowCount! > 0;

  it('R-OP-2: an idle desk whose session the server ended works again at its next action, on both of its paths', async () => {
    const before = pidOf();
    await endSession(before);
    // the store's synchronous port (the engine's, the command line's)
    const after = pidOf();
    expect(after).not.toBe(before);
    store.sqlite.exec(
      "INSERT INTO product_lines (product_line, rebate_eligible) VALUES ('after-restart', 1)",
    );
    // the store's Kysely (the screens' lists and decisions)
    await endSession(after);
    const found = await store.db
      .selectFrom('product_lines')
      .select('product_line')
      .where('product_line', '=', 'after-restart')
      .execute();
    expect(found).toEqual([{ product_line: 'after-restart' }]);
    await endSession(pidOf());
    await store.db
      .insertInto('product_lines')
      .values({ product_line: 'after-restart-2', rebate_eligible: 0 })
      .execute();
    expect(await lines()).toEqual(['after-restart', 'after-restart-2']);
    expect(await lockHeld()).toBe(false);
  });

  it('a transaction the server ended fails as lost, keeps nothing, and is not finished on a new session; the next write works', async () => {
    const pid = pidOf();
    let error: unknown = null;
    try {
      store.sqlite.transaction(() => {
        store.sqlite.exec("INSERT INTO product_lines (product_line, rebate_eligible) VALUES ('lost-1', 1)");
        endSessionSync(fresh.url, pid);
        store.sqlite.exec("INSERT INTO product_lines (product_line, rebate_eligible) VALUES ('lost-2', 1)");
      })();
    } catch (e) {
      error = e;
    }
    expect(error, 'the transaction fails').not.toBeNull();
    expect(teamDbErrorKind(error, false)).toBe('TEAM_DB_LOST');
    expect(await lines()).not.toContain('lost-1');
    expect(await lines()).not.toContain('lost-2');
    expect(await lockHeld()).toBe(false);
    store.sqlite.exec("INSERT INTO product_lines (product_line, rebate_eligible) VALUES ('after-lost', 1)");
    expect(await lines()).toContain('after-lost');
  });

  it('a Kysely transaction whose session the server ended fails as lost; its write lock is not held on; the next one commits', async () => {
    const pid = pidOf();
    const failed = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('product_lines').values({ product_line: 'k-lost', rebate_eligible: 1 }).execute();
      await watch.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 200));
      await trx
        .insertInto('product_lines')
        .values({ product_line: 'k-lost-2', rebate_eligible: 1 })
        .execute();
    });
    const error = await failed.then(
      () => null,
      (e: unknown) => e,
    );
    expect(teamDbErrorKind(error, false)).toBe('TEAM_DB_LOST');
    expect(await lines()).not.toContain('k-lost');
    expect(await lines()).not.toContain('k-lost-2');
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('product_lines').values({ product_line: 'k-after', rebate_eligible: 1 }).execute();
      await sql`SELECT 1`.execute(trx);
    });
    expect(await lines()).toContain('k-after');
    expect(await lockHeld()).toBe(false);
  });
});

/**
 * pg_terminate_backend from a process of its own, waited for (this thread is blocked in a
 * transaction of the synchronous port); then a moment for the desk's driver thread to hear of it.
 */
function endSessionSync(url: string, pid: number): void {
  execFileSync(
    process.execPath,
    [
      '-e',
      `const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
       c.connect().then(() => c.query('SELECT pg_terminate_backend($1)', [Number(process.argv[2])]))
        .then(() => c.end());`,
      url,
      String(pid),
    ],
    { cwd: process.cwd() },
  );
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
}
