// The store on both dialects (issue 13): the same migration list gives PostgreSQL the same tables,
// columns, indexes and guards as SQLite. Runs on SQLite by default and on PostgreSQL under
// `npm run test:pg` (YUNKE_TEST_DB=postgres); the checks that compare the two need PostgreSQL.
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit/append';
import { GENESIS } from '../audit/chain';
import { listAudit } from '../audit/list';
import {
  freshPgDatabase,
  onPostgres,
  onServer,
  openTestDb,
  testDialect,
  type TestDb,
} from '../test-support/dialect';
import { actor } from '../test-support/actors';
import { migrationChecksum, migrations, migrationsOf, MigrationMismatchError } from './migrations';
import {
  IntegerRangeError,
  migratePg,
  openPgStore,
  parseInt8,
  parseNumeric,
  redactUrl,
} from './open-pg-store';
import { sqliteToPostgres } from './schema/postgres.sql';
import { DIGESTED_TABLES, ROW_HASH } from './schema/row-hash.sql';
import { RESULT_TABLES } from '../engine/persist';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const admin = actor('ADM1', 'admin');
const run = (q: string) => sql.raw(q).execute(t.db);

describe(`the store's guards on ${testDialect}`, () => {
  it('R-OP-2: the audit log refuses updates, deletes and an entry that skips the head', async () => {
    for (let i = 1; i <= 2; i++)
      await appendAudit(
        t.db,
        { actor: admin, action: 'x.y', entity: 'partner', entityId: `P${i}`, reason: `第 ${i} 条` },
        i,
      );
    await expect(run("UPDATE audit_log SET reason = 'x' WHERE audit_id = 1")).rejects.toThrow(/append-only/);
    await expect(run('DELETE FROM audit_log WHERE audit_id = 2')).rejects.toThrow(/append-only/);
    await expect(run('DELETE FROM audit_head')).rejects.toThrow(/append-only/);
    await expect(
      run(`INSERT INTO audit_log (audit_id, recorded_at, effective_at, operator_id, role, action, entity, prev_hash, hash)
           VALUES (9, 0, 0, 'x', 'admin', 'x', 'x', '${GENESIS}', 'forged')`),
    ).rejects.toThrow(/head of the chain/);
    if (onPostgres) {
      await expect(run('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      await expect(run('TRUNCATE audit_head')).rejects.toThrow(/append-only/);
    }
    const rows = (await listAudit(t.db, { limit: 10, offset: 0, order: 'asc' })).rows;
    expect(rows.map((r) => [r.audit_id, r.entity_id, r.recorded_at])).toEqual([
      [1, 'P1', 1],
      [2, 'P2', 2],
    ]);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(await t.db.selectFrom('audit_head').selectAll().executeTakeFirst()).toEqual({
      one: 1,
      entries: 2,
      hash: rows[1].hash,
    });
  });

  it('R-OP-2: an entry appended with an effect that fails is gone with it', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: admin, action: 'x.y', entity: 'partner' }, 5);
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    expect((await listAudit(t.db, { limit: 10, offset: 0, order: 'asc' })).rows).toEqual([]);
    await appendAudit(t.db, { actor: admin, action: 'x.y', entity: 'partner' }, 6);
    expect(
      (await listAudit(t.db, { limit: 10, offset: 0, order: 'asc' })).rows.map((r) => r.audit_id),
    ).toEqual([1]);
  });

  it('R-PAY-3, R-PAY-2: an approved batch is immutable and its preparer decides none of it', async () => {
    const batch = await t.db
      .insertInto('payout_batches')
      .values({
        cycle_key: '2026-05',
        cycle_start: 1,
        cycle_end: 2,
        status: 'draft',
        config_version: 1,
        as_of: 3,
        run_id: 1,
        prepared_by: 'maker',
        prepared_at: 4,
      })
      .returning('batch_id')
      .executeTakeFirstOrThrow();
    expect(batch.batch_id).toBe(1); // numbered by the store (identity on PostgreSQL), a number on both
    const line = (partner: string) => ({
      batch_id: batch.batch_id,
      partner_id: partner,
      confirmed_fen: 10_000,
      capped_fen: 0,
      carried_fen: 0,
      amount_fen: 10_000,
      status: 'pending' as const,
    });
    await t.db
      .insertInto('payout_lines')
      .values([line('P1'), line('P2')])
      .execute();
    await expect(run(`UPDATE payout_lines SET decided_by = 'maker' WHERE partner_id = 'P1'`)).rejects.toThrow(
      /maker-checker/,
    );
    await run(`UPDATE payout_lines SET status = 'approved', decided_by = 'checker'`);
    await run(`UPDATE payout_batches SET status = 'approved', decided_by = 'checker', decided_at = 5`);
    await expect(run(`UPDATE payout_lines SET amount_fen = 1 WHERE partner_id = 'P1'`)).rejects.toThrow(
      /immutable/,
    );
    await expect(run(`DELETE FROM payout_lines WHERE partner_id = 'P1'`)).rejects.toThrow(/immutable/);
    await expect(t.db.insertInto('payout_lines').values(line('P3')).execute()).rejects.toThrow(/immutable/);
    await expect(run(`UPDATE payout_batches SET total_fen = 1`)).rejects.toThrow(/immutable/);
    await expect(run(`DELETE FROM payout_batches`)).rejects.toThrow(/immutable/);
    await expect(run(`UPDATE payout_batches SET decided_by = 'maker'`)).rejects.toThrow(/immutable/);
    // the bank's result is the one change left
    await run(
      `UPDATE payout_lines SET status = 'paid', paid_by = 'fin', paid_at = 6 WHERE partner_id = 'P1'`,
    );
    await run(`UPDATE payout_lines SET status = 'failed', bank_note = 'closed' WHERE partner_id = 'P2'`);
    const lines = await t.db
      .selectFrom('payout_lines')
      .select(['partner_id', 'status'])
      .orderBy('partner_id')
      .execute();
    expect(lines).toEqual([
      { partner_id: 'P1', status: 'paid' },
      { partner_id: 'P2', status: 'failed' },
    ]);
  });

  it('integers come back as numbers (counts, sums, epoch ms, fen) and text sorts by bytes on both', async () => {
    const base = {
      customer_id: 'K',
      product_line: 'ecs',
      billing: 'prepaid',
      subscription: 0,
      import_id: null,
    };
    await t.db
      .insertInto('orders')
      .values([
        { ...base, order_id: 'b', paid_fen: 2 ** 51, ordered_at: 1_780_000_000_000 },
        { ...base, order_id: 'B', paid_fen: 2 ** 51, ordered_at: 1_780_000_000_001 },
        { ...base, order_id: 'a', paid_fen: 7, ordered_at: 1_780_000_000_002 },
        { ...base, order_id: '云', paid_fen: 1, ordered_at: 1_780_000_000_003 },
      ])
      .execute();
    const r = await t.db
      .selectFrom('orders')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('paid_fen').as('fen'),
        eb.fn.max<number>('ordered_at').as('last'),
      ])
      .executeTakeFirstOrThrow();
    expect(r).toEqual({ n: 4, fen: 2 ** 52 + 8, last: 1_780_000_000_003 });
    const ids = await t.db.selectFrom('orders').select('order_id').orderBy('order_id').execute();
    expect(ids.map((o) => o.order_id)).toEqual(['B', 'a', 'b', '云']);
  });
});

describe.runIf(onPostgres)('PostgreSQL only', () => {
  it('a value beyond 2^53 is refused, never rounded', async () => {
    expect(parseInt8('9007199254740991')).toBe(2 ** 53 - 1);
    expect(() => parseInt8('9007199254740993')).toThrow(IntegerRangeError);
    expect(parseNumeric('-12.5')).toBe(-12.5);
    expect(() => parseNumeric('18014398509481984')).toThrow(/2\^53/);
    await t.db
      .insertInto('orders')
      .values([
        {
          order_id: 'O1',
          customer_id: 'K',
          product_line: 'ecs',
          billing: 'x',
          subscription: 0,
          paid_fen: 2 ** 53 - 1,
          ordered_at: 1,
        },
        {
          order_id: 'O2',
          customer_id: 'K',
          product_line: 'ecs',
          billing: 'x',
          subscription: 0,
          paid_fen: 2 ** 53 - 1,
          ordered_at: 2,
        },
      ])
      .execute();
    await expect(
      t.db
        .selectFrom('orders')
        .select((eb) => eb.fn.sum<number>('paid_fen').as('s'))
        .execute(),
    ).rejects.toThrow(IntegerRangeError);
    await sql`UPDATE orders SET paid_fen = paid_fen + 2 WHERE order_id = 'O1'`.execute(t.db);
    await expect(
      t.db.selectFrom('orders').select('paid_fen').where('order_id', '=', 'O1').execute(),
    ).rejects.toThrow(/9007199254740993/);
    // the pool is still good after a refused row
    expect(
      await t.db.selectFrom('orders').select('order_id').where('order_id', '=', 'O2').execute(),
    ).toHaveLength(1);
  });

  it('the schema has the tables, columns, indexes and triggers of the SQLite store, and a digest of each result row', async () => {
    const lite = await (async () => {
      const { openStore } = await import('./open-store');
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
      const store = openStore(join(dir, 'store.db'));
      const q = (s: string) => store.sqlite.prepare(s).all() as Record<string, unknown>[];
      const tables = q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'").map(
        (r) => r.name as string,
      );
      const columns = tables.flatMap((table) =>
        q(`PRAGMA table_info("${table}")`).map((c) => [
          table,
          c.name,
          String(c.type).toLowerCase() === 'integer' ? 'bigint' : 'text',
          // a column of the primary key is NOT NULL on PostgreSQL however declared
          c.notnull === 1 || Number(c.pk) > 0 ? 'NO' : 'YES',
        ]),
      );
      const indexes = q("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").map(
        (r) => r.name,
      );
      const triggers = q("SELECT name FROM sqlite_master WHERE type = 'trigger'").map((r) => r.name);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      return { columns, indexes, triggers };
    })();
    const rows = async (q: string) => (await sql.raw<Record<string, string>>(q).execute(t.db)).rows;
    const columns = (
      await rows(`SELECT table_name, column_name, data_type, is_nullable, collation_name FROM information_schema.columns
                  WHERE table_schema = current_schema()`)
    ).map((c) => {
      if (c.data_type === 'text' && c.table_name !== '_migrations')
        expect(c.collation_name, `${c.table_name}.${c.column_name}`).toBe('C');
      return [c.table_name, c.column_name, c.data_type, c.is_nullable];
    });
    const key = (c: unknown[]) => c.join('.');
    // a team database's own: the digest of each result row a full run wrote (migration 4)
    expect([...DIGESTED_TABLES].sort(), 'every result table a full run writes').toEqual(
      [...RESULT_TABLES].sort(),
    );
    const digests = DIGESTED_TABLES.map((table) => [table, ROW_HASH, 'bytea', 'YES']);
    expect(columns.map(key).sort()).toEqual([...lite.columns, ...digests].map(key).sort());
    const indexes = (await rows(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`)).map(
      (r) => r.indexname,
    );
    expect(indexes).toEqual(expect.arrayContaining(lite.indexes));
    const triggers = (await rows(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal`)).map(
      (r) => r.tgname,
    );
    expect(triggers).toEqual(expect.arrayContaining(lite.triggers));
  });

  it('the same migration list: checksums are recorded per dialect and a foreign history is refused', async () => {
    const applied = (
      await sql<{ version: number; checksum: string }>`SELECT version, checksum FROM _migrations`.execute(
        t.db,
      )
    ).rows;
    expect(applied).toEqual(
      migrationsOf('postgres').map((m) => ({
        version: m.version,
        checksum: migrationChecksum(m, 'postgres'),
      })),
    );
    expect(migrationChecksum(migrations[0], 'postgres')).not.toBe(migrationChecksum(migrations[0]));
    expect(await migratePg(t.db, 'test')).toBe(0); // nothing left to do
    await sql`UPDATE _migrations SET checksum = 'foreign'`.execute(t.db);
    const url = new URL(t.url!);
    url.password = 'sekret';
    const error = await openPgStore(url.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationMismatchError);
    expect((error as Error).message).toContain('different version of Yunke Desk');
    expect((error as Error).message).not.toContain('sekret');
    expect(redactUrl('postgres://u:pw@h:5/db')).toBe('postgres://u:***@h:5/db');
    // a password with an unencoded # / ? (which a URL parser would read as a port, a path or a fragment)
    expect(redactUrl('postgres://alice:123#secret@db/x')).toBe('postgres://alice:***@db/x');
    expect(redactUrl('postgres://alice:pa/ss?x@db:5432/x')).toBe('postgres://alice:***@db:5432/x');
    expect(redactUrl('postgres://alice@db/x')).toBe('postgres://alice@db/x');
  });

  it('two desks opening a new team database at once: one migrates, the other finds it done', async () => {
    const fresh = await freshPgDatabase();
    try {
      const [a, b] = await Promise.all([openPgStore(fresh.url), openPgStore(fresh.url)]);
      const n = await sql<{ n: number }>`SELECT count(*) AS n FROM _migrations`.execute(a.db);
      expect(n.rows[0].n).toBe(migrationsOf('postgres').length);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await fresh.drop();
    }
  });

  it.skipIf(!onPostgres)(
    "migration 3's numbering runs as the tables' owner for the store's inserts only: no other role may make it run for its own objects",
    async () => {
      const fresh = await freshPgDatabase();
      const role = `yk_guest_${process.pid}`;
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      try {
        await openPgStore(fresh.url).then((s) => s.close());
        await c.query(`CREATE ROLE ${role}`);
        await c.query(`GRANT SELECT, INSERT ON blacklist_entries TO ${role}`);
        await c.query(`SET ROLE ${role}`);
        // a temporary view with a trigger of the numbering: would run its own code as the owner
        await c.query('CREATE TEMP VIEW v AS SELECT 1 AS x');
        await expect(
          c.query(
            "CREATE TRIGGER n BEFORE INSERT ON v FOR EACH STATEMENT EXECUTE FUNCTION public.yunke_next_id('x')",
          ),
        ).rejects.toThrow(/permission denied for function (public\.)?yunke_next_id/);
        // the store's own insert by that role is numbered all the same (max + 1, after a rolled-back one)
        const insert = () =>
          c.query(
            `INSERT INTO blacklist_entries (partner_id, reason, added_by, added_at, recorded_at, restrict_promotion)
             VALUES ('P1', '退款率偏高待复核', 'ADM1', 0, 0, 1) RETURNING entry_id`,
          );
        await c.query('BEGIN');
        expect((await insert()).rows[0].entry_id).toBe('1');
        await c.query('ROLLBACK');
        expect((await insert()).rows[0].entry_id).toBe('1');
        await c.query('RESET ROLE');
      } finally {
        await c.end();
        await fresh.drop();
        await onServer((s) => s.query(`DROP ROLE IF EXISTS ${role}`));
      }
    },
  );

  it('a pooled connection the server ends while idle (a restart, an administrator) is dropped quietly; the next query gets another', async () => {
    const fresh = await freshPgDatabase();
    const store = await openPgStore(fresh.url, { max: 1 });
    const admin = new pg.Client({ connectionString: fresh.url });
    try {
      const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db)).rows[0].pid;
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // (an error of the idle connection with nobody to hear it would end the process)
      await new Promise((r) => setTimeout(r, 300));
      const again = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db)).rows[0]
        .pid;
      expect(again).not.toBe(pid);
    } finally {
      await admin.end();
      await store.close();
      await fresh.drop();
    }
  });

  it('a failing migration leaves nothing behind', async () => {
    const fresh = await freshPgDatabase();
    const client = new pg.Client({ connectionString: fresh.url });
    try {
      const { Kysely, PostgresDialect } = await import('kysely');
      const db = new Kysely<never>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: fresh.url }) }),
      });
      const broken = {
        version: 1,
        name: 'broken',
        statements: [],
        postgres: ['CREATE TABLE half_done (x bigint)', 'NOT SQL'],
      };
      await expect(migratePg(db as never, 'test', [broken])).rejects.toThrow(/syntax/);
      await db.destroy();
      await client.connect();
      const r = await client.query(`SELECT to_regclass('half_done') AS t, to_regclass('_migrations') AS m`);
      expect(r.rows[0]).toEqual({ t: null, m: null });
    } finally {
      await client.end();
      await fresh.drop();
    }
  });

  it('every SQLite statement of the schema has a PostgreSQL rule', () => {
    expect(sqliteToPostgres('CREATE TABLE x (v TEXT NOT NULL, n INTEGER) STRICT')).toBe(
      'CREATE TABLE x (v text COLLATE "C" NOT NULL, n bigint)',
    );
    expect(() => sqliteToPostgres('CREATE TABLE x (id INTEGER PRIMARY KEY, v TEXT) STRICT')).toThrow(
      /identity/,
    );
    expect(sqliteToPostgres('CREATE TRIGGER t BEFORE DELETE ON x BEGIN SELECT 1; END')).toBeNull();
    expect(() => sqliteToPostgres('DROP TABLE x')).toThrow(/no PostgreSQL rule/);
  });
});
