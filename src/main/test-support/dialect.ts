/**
 * Tests on either dialect (issue 13). `YUNKE_TEST_DB=postgres` runs the portable tests on
 * PostgreSQL (a database of their own on the server of `inject('yunkePgUrl')`: the throwaway
 * cluster of pg-global-setup.ts, or the developer's YUNKE_TEST_PG_URL); otherwise on SQLite.
 *
 * - `openTestDb()`: an empty, migrated store of the dialect under test.
 * - `onDialect(store)`: the contents of a SQLite store built by the usual fixtures and the engine
 *   (which are SQLite-only until the storage interface of issue 13 exists), on the dialect under
 *   test: on SQLite the store itself, on PostgreSQL a copy in a fresh database. The portable
 *   domain modules then read and write it with the same calls on both.
 */
import type { SqlPort } from '../store/sql-port';
import { sql, type Kysely } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../store/database';
import { openPgStore } from '../store/open-pg-store';
import { openStore, type Store } from '../store/open-store';

export type TestDialect = 'sqlite' | 'postgres';
export const testDialect: TestDialect = process.env.YUNKE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = testDialect === 'postgres';
/**
 * The suites run again with every store a team database (vitest.team.config.ts): tests of what
 * only a store file has (its WAL, helper threads opening the file, copying it) are skipped there.
 */
export const onTeamSuite = process.env.YUNKE_TEST_TEAM === '1';

export interface TestDb {
  dialect: TestDialect;
  db: Kysely<Database>;
  /** SQLite: the store; PostgreSQL: the test database's URL. */
  store?: Store;
  url?: string;
  close(): Promise<void>;
}

let seq = 0;

function serverUrl(): string {
  const url = inject('yunkePgUrl') || process.env.YUNKE_TEST_PG_URL;
  if (!url)
    throw new Error('YUNKE_TEST_DB=postgres needs a server: run `npm run test:pg`, or set YUNKE_TEST_PG_URL');
  return url;
}

/** Runs `run` on a connection to the test server's own database (roles, databases). */
export async function onServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server; `drop` removes it (connections and all). */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `yunke_test_${process.pid}_${Date.now().toString(36)}_${++seq}`;
  await onServer((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty, migrated store of the dialect under test. */
export async function openTestDb(): Promise<TestDb> {
  if (!onPostgres) {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-'));
    const store = openStore(join(dir, 'store.db'));
    return {
      dialect: 'sqlite',
      db: store.db,
      store,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshPgDatabase();
  const pgStore = await openPgStore(fresh.url);
  return {
    dialect: 'postgres',
    db: pgStore.db,
    url: fresh.url,
    async close() {
      await pgStore.close();
      await fresh.drop();
    },
  };
}

/** The tables of a SQLite store (but its migrations), as the store has them. */
function tablesOf(sqlite: SqlPort): string[] {
  return sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> '_migrations'",
    )
    .pluck()
    .all() as string[];
}

/**
 * Copies every row of a SQLite store into a migrated PostgreSQL store, as they are (the store's
 * triggers and foreign keys are off for the copy: it needs a superuser, as the test cluster's), and
 * moves the identity sequences past the copied keys.
 */
export async function copySqliteToPg(sqlite: SqlPort, db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`DELETE FROM audit_head`.execute(trx);
    for (const table of tablesOf(sqlite)) {
      const rows = sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]).length));
      for (let i = 0; i < rows.length; i += size)
        await trx
          .insertInto(table as keyof Database)
          .values(rows.slice(i, i + size) as never)
          .execute();
    }
    const identities = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(trx);
    for (const { table_name: t, column_name: c } of identities.rows)
      await sql`SELECT setval(pg_get_serial_sequence(${t}, ${c}), COALESCE(MAX(${sql.ref(c)}), 0) + 1, false)
        FROM ${sql.table(t)}`.execute(trx);
  });
}

/** The contents of `store` on the dialect under test (see the top of this file). */
export async function onDialect(store: Store): Promise<TestDb> {
  // a team database already (the suites run on both dialects, vitest.team.config.ts)
  if (!onPostgres || store.dialect === 'postgres')
    return { dialect: store.dialect, db: store.db, store, close: async () => {} };
  const fresh = await freshPgDatabase();
  const pgStore = await openPgStore(fresh.url);
  try {
    await copySqliteToPg(store.sqlite, pgStore.db);
  } catch (e) {
    await pgStore.close();
    await fresh.drop();
    throw e;
  }
  return {
    dialect: 'postgres',
    db: pgStore.db,
    url: fresh.url,
    async close() {
      await pgStore.close();
      await fresh.drop();
    },
  };
}
