/**
 * Issue 13: a desk on a team database outlives a restart of its server. The connection the server
 * ended (a restart, a failover, a network failure: here pg_terminate_backend, as the server ends
 * its sessions when it shuts down) is made again for the desk's next action that starts outside
 * any transaction and write lock; the action it broke under fails as lost (TEAM_DB_LOST), and no
 * write of it is kept or done on the new connection without the write lock.
 */
import { execFileSync, spawn } from 'node:child_process';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, onPostgres, onServer } from '../../test-support/dialect';
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

  it('a read of this thread sent while a write of the store’s Kysely waits for the lock is not sent on a new session when the session ends: both fail as lost', async () => {
    const other = new pg.Client({ connectionString: fresh.url });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    const pid = pidOf();
    try {
      const write = store.db
        .insertInto('product_lines')
        .values({ product_line: 'under-lock', rebate_eligible: 1 })
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      // the desk's session waits for the lock
      for (let i = 0; i < 200; i++) {
        const w = await watch.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted AND pid = $2",
          [WRITE_LOCK_KEY, pid],
        );
        if (w.rowCount) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // the server ends it in a moment, while this thread's read waits behind the lock's request: the
      // read belongs to a session that was taking the write lock, so it fails; it is not answered
      // by a new session (where a write sent after it would then go unlocked)
      const killer = spawn(process.execPath, [
        '-e',
        `const pg = require('pg'); setTimeout(() => { const c = new pg.Client({ connectionString: process.argv[1] });
         c.connect().then(() => c.query('SELECT pg_terminate_backend($1)', [Number(process.argv[2])])).then(() => c.end()); }, 300);`,
        fresh.url,
        String(pid),
      ]);
      let read: unknown = null;
      try {
        store.sqlite.prepare('SELECT count(*) FROM product_lines').get();
      } catch (e) {
        read = e;
      }
      await new Promise((r) => killer.once('exit', r));
      expect(teamDbErrorKind(read, false)).toBe('TEAM_DB_LOST');
      expect(teamDbErrorKind(await write, false)).toBe('TEAM_DB_LOST');
      expect(await lines()).not.toContain('under-lock');
    } finally {
      await other.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      await other.end();
    }
    // and the next action, outside it, works
    store.sqlite.exec(
      "INSERT INTO product_lines (product_line, rebate_eligible) VALUES ('after-lock-lost', 1)",
    );
    expect(await lines()).toContain('after-lock-lost');
  });

  it('while the server takes no connections, an action fails as lost or unreachable (never on its cleanup’s words), at once after the first try; then the desk works again', async () => {
    const db = new URL(fresh.url).pathname.slice(1);
    const pid = pidOf();
    // (said from another database: a database's own sessions may not close it)
    await onServer((c) => c.query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS false`));
    try {
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('product_lines')
            .values({ product_line: 'down-1', rebate_eligible: 1 })
            .execute();
          await watch.query('SELECT pg_terminate_backend($1)', [pid]);
          await new Promise((r) => setTimeout(r, 200));
          await trx
            .insertInto('product_lines')
            .values({ product_line: 'down-2', rebate_eligible: 1 })
            .execute();
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      // the transaction's own words, not its rollback's or unlock's (which need no server)
      expect(teamDbErrorKind(failed, false)).toBe('TEAM_DB_LOST');
      // the next action tries to connect again, and cannot
      const first = Date.now();
      const next = await store.db
        .selectFrom('product_lines')
        .selectAll()
        .execute()
        .catch((e: unknown) => e);
      expect(next).toBeInstanceOf(Error);
      expect(Date.now() - first).toBeLessThan(8_000);
      // the one after it does not wait for another attempt
      const again = Date.now();
      await expect(store.db.selectFrom('product_lines').selectAll().execute()).rejects.toThrow();
      expect(Date.now() - again).toBeLessThan(1_000);
    } finally {
      await onServer((c) => c.query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS true`));
    }
    // once the pause after a failed attempt is over, the desk connects again by itself
    await new Promise((r) => setTimeout(r, 10_500));
    expect(await store.db.selectFrom('product_lines').select('product_line').execute()).not.toContainEqual({
      product_line: 'down-1',
    });
  }, 60_000);
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
