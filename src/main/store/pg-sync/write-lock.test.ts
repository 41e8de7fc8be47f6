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
import { dispatch } from '../../api/dispatch';
import { actor, contextFor } from '../../test-support/actors';
import { cliProcess } from '../../test-support/cli-process';
import { copySqliteToPg, freshPgDatabase, onPostgres, onServer } from '../../test-support/dialect';
import { openPgStore } from '../open-pg-store';
import { openStore } from '../open-store';
import { CAPTURE_TRIGGERS_V2 } from '../schema/capture.sql';
import { WRITE_LOCK_KEY } from './pg-sync-port';
import { DEMO_LOAD_LOCK, generateDemo } from '../../demo/generate';
import { DIGESTED_TABLES, ROW_HASH } from '../schema/row-hash.sql';

const cli = cliProcess;
/** a desk's role without the right to create tables (dropped after the tests) */
const CLERK = `yk_clerk_${process.pid}`;
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
    await onServer((c) => c.query(`DROP ROLE IF EXISTS ${CLERK}`));
    rmSync(dir, { recursive: true, force: true });
  });

  /** An orders file of one prepaid order of the first customer, on the first product line. */
  async function oneOrderCsv(orderId: string, at: string): Promise<string> {
    const customer = (await watch.query('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1'))
      .rows[0].customer_id as string;
    const line = (await watch.query('SELECT product_line FROM product_lines ORDER BY product_line LIMIT 1'))
      .rows[0].product_line as string;
    const csv = join(dir, `${orderId}.csv`);
    writeFileSync(
      csv,
      'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n' +
        `${orderId},${customer},${line},prepaid,false,100,${at}\n`,
    );
    return csv;
  }

  it('reads do not wait for a write: while another desk holds the write lock, lists and exports answer at once', async () => {
    await watch.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    const reads = Promise.all([
      cli(['operator', 'list', '--db', url]),
      cli(['export', '--db', url, '--what', 'partners', '--format', 'csv']),
    ]);
    let answered: Awaited<typeof reads> | null;
    try {
      // they answer while the lock is still held (or, waiting for it, not within a minute)
      answered = await Promise.race([reads, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    } finally {
      await watch.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
    }
    const [operators, exported] = await reads;
    expect(answered, 'the reads waited for the write lock').not.toBeNull();
    expect(operators.code, operators.err).toBe(0);
    expect(exported.code, exported.err).toBe(0);
    expect(operators.err + exported.err).not.toMatch(/waiting for the team database's write lock/);
    expect(operators.out).toMatch(/demo-admin/);
    expect(exported.out).toMatch(/^partner_id,/);
  }, 300_000);

  it('a role that may read and write the tables but not create any imports, recomputes, decides and exports on a database set up by another; a read-only one exports', async () => {
    await watch.query(`CREATE ROLE ${CLERK} LOGIN PASSWORD 'clerk-secret'`);
    const db = new URL(url).pathname.slice(1);
    await watch.query(`GRANT CONNECT ON DATABASE ${db} TO ${CLERK}`);
    await watch.query(`GRANT USAGE ON SCHEMA public TO ${CLERK}`);
    await watch.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${CLERK}`);
    await watch.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${CLERK}`);
    // PostgreSQL 14 and older let anyone create tables in public: not here
    await watch.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    expect(
      (await watch.query(`SELECT has_schema_privilege('${CLERK}', 'public', 'CREATE') AS c`)).rows[0].c,
    ).toBe(false);
    const asClerk = new URL(url);
    asClerk.username = CLERK;
    asClerk.password = 'clerk-secret';
    // a database an earlier build set up (without migration 2, the capture triggers, nor 3, the
    // gap-free ids, nor 4, the result rows' digests, nor 5, the PIN attempts): this role may not
    // upgrade it, and is told so;
    // a desk of the owning role opening it once upgrades it
    await watch.query('DELETE FROM _migrations WHERE version >= 2');
    for (const name of Object.keys(CAPTURE_TRIGGERS_V2))
      await watch.query(`DROP FUNCTION yunke_cap_${name}_old(), yunke_cap_${name}_new() CASCADE`);
    await watch.query('DROP FUNCTION yunke_next_id() CASCADE');
    await watch.query('DROP FUNCTION yunke_row_hash_unset() CASCADE');
    for (const t of DIGESTED_TABLES) await watch.query(`ALTER TABLE ${t} DROP COLUMN ${ROW_HASH}`);
    await watch.query('DROP TABLE pin_attempts');
    const refused = await cli(['operator', 'list', '--db', asClerk.toString()]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/must be upgraded for this version .* as the tables' owner/);
    expect(refused.err).toMatch(/需要为本版本升级/);
    expect(refused.err).toMatch(/migration 2 "capture triggers"/);
    expect(refused.err).not.toMatch(/clerk-secret/);
    const upgraded = await cli(['operator', 'list', '--db', url]);
    expect(upgraded.code, upgraded.err).toBe(0);
    // the upgrade gave the role that may add operators the new table of wrong PINs too (migration 5)
    expect(
      (await watch.query(`SELECT has_table_privilege('${CLERK}', 'pin_attempts', 'INSERT') AS p`)).rows[0].p,
    ).toBe(true);
    expect((await watch.query("SELECT 1 FROM pg_trigger WHERE tgname = 'yunke_cap_orders_u'")).rowCount).toBe(
      1,
    );
    const listed = await cli(['operator', 'list', '--db', asClerk.toString()]);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/demo-admin/);
    // a full recompute writes the results in place (it may not create the tables a swap needs)
    const run = await cli(['recompute', '--db', asClerk.toString(), '--as-of', AS_OF]);
    expect(run.code, run.err).toBe(0);
    // …and where the database refuses it temporary tables (a diff's changed rows wait in one,
    // engine/pg-full-write.ts), it empties and writes every table: the same results, every row new
    const writers = async () =>
      (await watch.query('SELECT xmin::text AS x, count(*)::int AS n FROM result_orders GROUP BY 1')).rows;
    const before = await writers();
    await watch.query(`REVOKE TEMP ON DATABASE ${db} FROM PUBLIC`);
    try {
      const again = await cli(['recompute', '--db', asClerk.toString(), '--as-of', AS_OF]);
      expect(again.code, again.err).toBe(0);
    } finally {
      await watch.query(`GRANT TEMP ON DATABASE ${db} TO PUBLIC`);
    }
    const after = await writers();
    expect(after).toHaveLength(1);
    expect(after[0].n).toBe(before.reduce((n, w) => n + (w.n as number), 0));
    expect(before.map((w) => w.x)).not.toContain(after[0].x);
    const exported = await cli(['export', '--db', asClerk.toString(), '--what', 'orders', '--format', 'csv']);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out.split('\n').length).toBeGreaterThan(100);
    const csv = await oneOrderCsv('CLERK-1', '2026-10-02 10:00:00');
    const imported = await cli(['import', '--db', asClerk.toString(), '--source', 'orders', csv]);
    expect(imported.code, imported.err).toBe(0);
    expect((await watch.query("SELECT 1 FROM orders WHERE order_id = 'CLERK-1'")).rowCount).toBe(1);
    // decisions: a what-if (a blacklisting from now: nothing changes at the results' as-of) and the
    // decision itself, captured by the schema's triggers (migration 2) without any DDL (they
    // created and dropped triggers, which only the tables' owner may)
    const triggers = async () =>
      (
        await watch.query(
          'SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2',
        )
      ).rows;
    const triggersBefore = await triggers();
    const partner = (
      await watch.query(
        'SELECT partner_id FROM result_partners WHERE blacklisted = 0 ORDER BY pending_fen DESC, partner_id LIMIT 1',
      )
    ).rows[0].partner_id as string;
    const whatIf = await cli([
      'what-if',
      '--db',
      asClerk.toString(),
      '--blacklist',
      partner,
      '--format',
      'json',
    ]);
    expect(whatIf.code, whatIf.err).toBe(0);
    expect(JSON.parse(whatIf.out)).toEqual({ orders: [], partners: [] });
    const decided = await cli([
      'blacklist',
      'add',
      '--db',
      asClerk.toString(),
      '--partner',
      partner,
      '--reason',
      'a desk without the owner’s rights decides',
      '--as',
      'demo-admin',
      // before the results' as-of (a later entry would take effect after it, R-OP-3)
      '--at',
      '2026-10-01T00:00:00+08:00',
    ]);
    expect(decided.code, decided.err).toBe(0);
    // what it changed, as the capture saw it (none without the triggers turned on)
    expect(decided.out).toMatch(
      /— [1-9]\d* orders?, 1 partner, [1-9]\d* link events?, 0 accounts between groups change/,
    );
    expect(decided.out).toMatch(/frozen 0\.00 → [1-9]/);
    const flag = await watch.query('SELECT blacklisted FROM result_partners WHERE partner_id = $1', [
      partner,
    ]);
    expect(Number(flag.rows[0].blacklisted)).toBe(1);
    expect(await triggers()).toEqual(triggersBefore);
    // a role that may only read: lists and exports
    await watch.query(`REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM ${CLERK}`);
    const viewing = await cli([
      'export',
      '--db',
      asClerk.toString(),
      '--what',
      'partners',
      '--format',
      'csv',
    ]);
    expect(viewing.code, viewing.err).toBe(0);
    expect(viewing.out.split('\n').length).toBeGreaterThan(100);
    // and, asked to write, is told what its role lacks in both languages, not the server's words alone
    const denied = await cli(['recompute', '--db', asClerk.toString(), '--as-of', AS_OF]);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/this user lacks a privilege in the team database postgres:\/\/\S+/);
    expect(denied.err).toMatch(/缺少所需权限/);
    expect(denied.err).toMatch(/\(permission denied for table \w+\)/);
    expect(denied.err).not.toMatch(/clerk-secret/);
    // a desk of the app is told the same way, through the contract
    const desk = openStore(asClerk.toString());
    try {
      const r = await dispatch(contextFor(desk, actor('demo-admin', 'admin')), 'engine.recompute', {
        asOf: '2026-11-01 00:00:00',
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'TEAM_DB_PRIVILEGE' } });
      const message = (r as { error: { message: string } }).error.message;
      expect(message).toMatch(/缺少所需权限.*\/ this user lacks a privilege/s);
      expect(message).toMatch(/\(permission denied for table \w+\)/);
      expect(message).not.toMatch(/clerk-secret/);
    } finally {
      await desk.close();
    }
  }, 300_000);

  it('a connection lost during a command: it says so, and what that means for the write', async () => {
    const before = (await watch.query('SELECT count(*)::int AS n FROM engine_runs')).rows[0].n as number;
    // a read of a result table in an open transaction holds the run's swap back (SWAP_LOCK_WAIT_MS):
    // the run surely has not committed when its connection is ended
    await watch.query('BEGIN');
    await watch.query('SELECT 1 FROM result_partners LIMIT 1');
    const run = cli(['recompute', '--db', url, '--as-of', AS_OF]);
    expect(await until(watch, HELD, 60_000)).toBe(true);
    // the server ends the recompute's connection (as a restart or a network failure would)
    await watch.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
      [WRITE_LOCK_KEY],
    );
    const r = await run;
    await watch.query('COMMIT');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the connection to the team database postgres:\/\/\S+ was lost/);
    expect(r.err).toMatch(/the write may have been saved, so check/);
    expect(r.err).toMatch(/连接中断/);
    // nothing of the run was kept
    expect((await watch.query('SELECT count(*)::int AS n FROM engine_runs')).rows[0].n).toBe(before);
  }, 300_000);

  it('a connection lost while a decision (a command through the contract) waits for the write lock is told the same way, and nothing of it is kept', async () => {
    const entries = async () =>
      (await watch.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n as number;
    const before = await entries();
    const partner = (await watch.query('SELECT partner_id FROM partners ORDER BY partner_id DESC LIMIT 1'))
      .rows[0].partner_id as string;
    // the decision waits for the write lock this connection holds; the server then ends its connection
    await watch.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      const decided = cli([
        'level',
        'override',
        '--db',
        url,
        '--partner',
        partner,
        '--level',
        'L2',
        '--reason',
        'a decision whose connection is lost',
        '--as',
        'demo-admin',
      ]);
      expect(await until(watch, WAITING, 60_000)).toBe(true);
      await watch.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
        [WRITE_LOCK_KEY],
      );
      r = await decided;
    } finally {
      await watch.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
    }
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the connection to the team database postgres:\/\/\S+ was lost/);
    expect(r.err).toMatch(/连接中断/);
    expect(r.err).not.toMatch(/Client has encountered a connection error/);
    expect(await entries()).toBe(before);
    expect(
      (await watch.query('SELECT 1 FROM level_overrides WHERE partner_id = $1', [partner])).rowCount,
    ).toBe(0);
  }, 300_000);

  it('an import while a recompute runs waits its turn, says so, and commits after the run', async () => {
    const csv = await oneOrderCsv('LATE-1', '2026-10-01 10:00:00');
    // a third desk's open transaction has read a result table: the recompute's swap waits for it
    // (SWAP_LOCK_WAIT_MS) before it writes its rows in place, so it surely still holds the write
    // lock when the import asks for it (a recompute of this world takes a few seconds only); the
    // table is emptied first, so that the run makes it again and swaps it in (a table it finds
    // unchanged it leaves in place, engine/pg-full-write.ts)
    await watch.query('DELETE FROM result_partners');
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

  it('two demo loads into one empty team database at once: one writes, the other is refused, not written between its rows', async () => {
    const empty = await freshPgDatabase();
    // (an advisory lock is the database's: watched on a connection to this one)
    const here = new pg.Client({ connectionString: empty.url });
    try {
      // both commands are started while this connection holds the write lock: each has opened the
      // database (migrated it) and waits to begin its load when the lock is let go
      await openStore(empty.url).close(); // set up, as a desk's first opening does
      await here.connect();
      await here.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
      const loads = [1, 2].map((seed) =>
        cli(['demo', '--db', empty.url, '--scale', '0.05', '--seed', String(seed), '--no-recompute']),
      );
      expect(await until(here, TWO_WAITING, 60_000)).toBe(true);
      await here.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
      const done = await Promise.all(loads);
      expect(done.map((r) => r.code).sort()).toEqual([0, 1]);
      const refused = done.find((r) => r.code === 1)!;
      const written = done.findIndex((r) => r.code === 0) + 1;
      expect(refused.err).toMatch(
        /Another demo load \(by yunke-desk@\S+ · 127\.0\.0\.1 · pid \d+\) is writing into this store/,
      );
      expect(refused.err).toMatch(/另一次演示数据载入/);
      // the store holds one load, whole: its partners, and its import rows only
      const seeds = await here.query(
        "SELECT DISTINCT substring(file_name from 'seed (\\d+)') AS seed, status FROM imports",
      );
      expect(seeds.rows).toEqual([{ seed: String(written), status: 'committed' }]);
      const [{ n }] = (await here.query('SELECT count(*)::int AS n FROM partners')).rows;
      expect(n).toBe(50);
    } finally {
      await here.end();
      await empty.drop();
    }
  }, 300_000);
  it("a demo load is under way while its desk's connection holds it, whatever the desks' clocks say; one whose desk stopped holds nothing back", async () => {
    const empty = await freshPgDatabase();
    const here = new pg.Client({ connectionString: empty.url });
    try {
      await openStore(empty.url).close(); // set up, as a desk's first opening does
      await here.connect();
      const unended = (minutesAgo: number) =>
        here.query(
          `INSERT INTO imports (source, origin, file_name, operator_id, started_at, status)
           VALUES ('partners', 'demo', 'demo (seed 7, scale 1): partners', 'demo-admin', $1, 'failed')`,
          [Date.now() - minutesAgo * 60_000],
        );
      // another desk's load, begun by a clock half an hour behind this one's, holds the load's lock
      await unended(30);
      await here.query('SELECT pg_advisory_lock($1)', [DEMO_LOAD_LOCK]);
      const refused = await cli(['demo', '--db', empty.url, '--scale', '0.02', '--no-recompute']);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/Another demo load \(by [^()]+ · pid \d+\) is writing into this store/);
      expect((await here.query('SELECT count(*)::int AS n FROM partners')).rows[0].n).toBe(0);
      // that desk stops (its connection, and the lock, gone) a minute after its start: its import
      // rows, however recent, hold no load back
      await here.query('DELETE FROM imports');
      await unended(1);
      await here.query('SELECT pg_advisory_unlock($1)', [DEMO_LOAD_LOCK]);
      // a desk that stays connected after its load (the app)
      const desk = openStore(empty.url);
      try {
        const loaded = await generateDemo(desk, { scale: 0.02, seed: 3, actor: actor('demo-admin') });
        expect(loaded.partners).toBe(20);
        expect((await here.query('SELECT count(*)::int AS n FROM partners')).rows[0].n).toBe(20);
        // it let go of the load's lock when the load ended: another desk may take it
        const taken = await here.query('SELECT pg_try_advisory_lock($1) AS got', [DEMO_LOAD_LOCK]);
        expect(taken.rows[0].got).toBe(true);
        await here.query('SELECT pg_advisory_unlock($1)', [DEMO_LOAD_LOCK]);
      } finally {
        await desk.close();
      }
    } finally {
      await here.end();
      await empty.drop();
    }
  }, 300_000);
});
