import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshPgDatabase, onTeamSuite } from '../test-support/dialect';
import { migrate, MigrationMismatchError, migrations, migrationsOf, type Migration } from './migrations';
import { openStore, type Store } from './open-store';
import { migratePort } from './pg-sync/open-port-store';
import { PgSyncPort } from './pg-sync/pg-sync-port';

const opened: Store[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const c of cleanups.splice(0)) await c();
});

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'yunke-store-')), 'store.db');
}

/**
 * A store's database reached without openStore, to give it a history this build did not write:
 * a new store file, or on the team suite (every store a team database) a new database.
 */
interface Bare {
  /** what openStore opens: the file, or the database's URL */
  target: string;
  migrate(list: Migration[]): number;
  /** one statement, in the dialect's own SQL */
  run(sqlite: string, postgres: string): void;
  tables(): string[];
  applied(): number[];
  close(): void;
}

async function bare(): Promise<Bare> {
  if (!onTeamSuite) {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    const tables = () =>
      raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    return {
      target: file,
      migrate: (list) => migrate(raw, file, list),
      run: (sqlite) => raw.exec(sqlite),
      tables,
      applied: () =>
        raw.prepare('SELECT version FROM _migrations ORDER BY version').pluck().all() as number[],
      close: () => raw.close(),
    };
  }
  const fresh = await freshPgDatabase();
  cleanups.push(() => fresh.drop());
  const port = new PgSyncPort(fresh.url);
  const tables = () =>
    port
      .query('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()')
      .rows.map((r) => r[0] as string);
  return {
    target: fresh.url,
    migrate: (list) => migratePort(port, fresh.url, list),
    run: (_, postgres) => void port.query(postgres),
    tables,
    // a migration that failed leaves no history table on PostgreSQL (it is made in its transaction)
    applied: () =>
      tables().includes('_migrations')
        ? port.query('SELECT version FROM _migrations ORDER BY version').rows.map((r) => Number(r[0]))
        : [],
    close: () => void port.close(),
  };
}

describe('openStore', () => {
  it('creates a store with every migration applied and every table (a store file: WAL, STRICT tables)', async () => {
    const store = openStore(tempFile());
    opened.push(store);
    const applied = store.sqlite.prepare('SELECT version FROM _migrations ORDER BY version').pluck().all();
    expect(applied).toEqual(migrationsOf(store.dialect).map((m) => m.version));
    let tables: { name: string }[];
    if (store.dialect === 'sqlite') {
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      const defs = store.sqlite
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string; sql: string }[];
      for (const t of defs) expect(t.sql, t.name).toMatch(/STRICT\s*$/);
      tables = defs;
    } else {
      // a team database (the team suite): its columns are typed by PostgreSQL (the next test)
      tables = store.sqlite
        .prepare(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
        )
        .all() as { name: string }[];
    }
    for (const name of [
      'partners',
      'customers',
      'referral_events',
      'orders',
      'refunds',
      'login_ips',
      'product_lines',
      'sales_subjects',
      'blacklist_entries',
      'level_overrides',
      'shared_ips',
      'rule_configs',
      'payout_batches',
      'payout_lines',
      'audit_log',
      'imports',
      'operators',
    ]) {
      expect(tables.map((t) => t.name)).toContain(name);
    }
  });

  it('rejects a non-integer amount: money is integer fen in a STRICT table', async () => {
    const store = openStore(tempFile());
    opened.push(store);
    const insert = store.sqlite.prepare(
      `INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at) VALUES (?, 'C1', 'ecs', 'prepaid', 0, ?, 0)`,
    );
    expect(() => insert.run('O1', 1200.5)).toThrow(
      store.dialect === 'sqlite'
        ? /cannot store REAL value in INTEGER column/
        : /invalid input syntax for type bigint: "1200.5"/,
    );
    insert.run('O2', 120050);
    const row = await store.db
      .selectFrom('orders')
      .select(['order_id', 'paid_fen'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ order_id: 'O2', paid_fen: 120050 });
  });

  it('reopens an existing store without re-running migrations and keeps its data', async () => {
    const file = tempFile();
    const first = openStore(file);
    first.sqlite
      .prepare(
        `INSERT INTO product_lines (product_line, name, rebate_eligible) VALUES ('ecs', '云服务器', 1)`,
      )
      .run();
    await first.close();
    const again = openStore(file);
    opened.push(again);
    expect(again.sqlite.prepare('SELECT version FROM _migrations ORDER BY version').pluck().all()).toEqual(
      migrationsOf(again.dialect).map((m) => m.version),
    );
    // a migration of a team database only (its capture triggers) is not recorded in a store file:
    // the previous build still opens the file
    if (again.dialect === 'sqlite') expect(migrationsOf('sqlite').length).toBeLessThan(migrations.length);
    expect(again.sqlite.prepare('SELECT name FROM product_lines').pluck().get()).toBe('云服务器');
  });

  it('refuses a store whose migration history does not match this build, in both languages', async () => {
    const raw = await bare();
    raw.run(
      `CREATE TABLE _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
      `CREATE TABLE _migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)`,
    );
    const insert = `INSERT INTO _migrations VALUES (1, 'initial', 'deadbeefdeadbeef', 0)`;
    raw.run(insert, insert);
    raw.close();
    let error: unknown;
    try {
      opened.push(openStore(raw.target));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationMismatchError);
    expect((error as MigrationMismatchError).code).toBe('STORE_MIGRATION_MISMATCH');
    expect((error as Error).message).toContain('different version of Yunke Desk');
    expect((error as Error).message).toContain('其他版本');
  });

  it('refuses a store written by a newer build (unknown migration)', async () => {
    const raw = await bare();
    const extra: Migration = {
      version: migrations.length + 1,
      name: 'future',
      statements: ['CREATE TABLE future_thing (x INTEGER) STRICT'],
      postgres: ['CREATE TABLE future_thing (x bigint)'],
    };
    raw.migrate([...migrations, extra]);
    raw.close();
    expect(() => opened.push(openStore(raw.target))).toThrow(MigrationMismatchError);
    // it says to upgrade this desk, not to open it with the version that made it (this one did)
    expect(() => opened.push(openStore(raw.target))).toThrow(
      /upgraded by a newer version of Yunke Desk \(migration \d+ "future" is not known to this build\)\. Install that version.*较新版本/,
    );
  });

  it('applies a failing migration atomically: nothing of it remains', async () => {
    const raw = await bare();
    const broken: Migration = {
      version: 1,
      name: 'broken',
      statements: ['CREATE TABLE half_done (x INTEGER) STRICT', 'THIS IS NOT SQL'],
      postgres: ['CREATE TABLE half_done (x bigint)', 'THIS IS NOT SQL'],
    };
    expect(() => raw.migrate([broken])).toThrow();
    expect(raw.tables()).not.toContain('half_done');
    expect(raw.applied()).toEqual([]);
    raw.close();
  });
});

describe.runIf(onTeamSuite)('openStore on a team database (issue 13)', () => {
  it('closing the store ends its connection, whether or not a portable (Kysely) query ran on it', async () => {
    const admin = new PgSyncPort(inject('yunkePgUrl'));
    try {
      for (const kysely of [false, true]) {
        const store = openStore(tempFile());
        const database = new URL(store.file).pathname.slice(1);
        store.sqlite.prepare('SELECT COUNT(*) FROM orders').pluck().get();
        if (kysely) await store.db.selectFrom('orders').select('order_id').execute();
        const connections = () =>
          Number(
            // client connections only: an autovacuum worker visits a new database's tables too
            admin.query(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
              [database],
            ).rows[0][0],
          );
        expect(connections()).toBe(1);
        await store.close();
        // the server ends a backend a moment after its client said goodbye
        for (let i = 0; i < 100 && connections() > 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(connections(), kysely ? 'after a Kysely query' : 'without one').toBe(0);
      }
    } finally {
      admin.close();
    }
  });
});

describe.skipIf(onTeamSuite)('openStore on a store file: read through a memory map', () => {
  it('maps the file and reads what another connection wrote since, after the file grew and was checkpointed', () => {
    const file = tempFile();
    const store = openStore(file);
    opened.push(store);
    // SQLite keeps the setting up to its own limit (about 2 GB)
    expect(store.sqlite.pragma('mmap_size', { simple: true })).toBeGreaterThanOrEqual(2 ** 30);
    const read = () =>
      store.sqlite
        .prepare("SELECT COUNT(*), SUM(length(name)) FROM partners WHERE partner_id LIKE 'MM-%'")
        .raw()
        .get();
    expect(read()).toEqual([0, null]);
    const before = statSync(file).size;
    // another desk's process (its own connection) writes megabytes, and copies them into the file
    const other = new BetterSqlite3(file);
    try {
      const ins = other.prepare(
        "INSERT INTO partners (partner_id, name, status, joined_at) VALUES (?, ?, 'active', 0)",
      );
      other.transaction(() => {
        for (let i = 0; i < 20_000; i++) ins.run(`MM-${i}`, `伙伴-${'x'.repeat(i % 200)}`);
      })();
      other.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      other.close();
    }
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000);
    let chars = 0;
    for (let i = 0; i < 20_000; i++) chars += `伙伴-${'x'.repeat(i % 200)}`.length;
    expect(read()).toEqual([20_000, chars]);
    expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe.skipIf(onTeamSuite)('openStore on a store file: waiting for another writer', () => {
  it('waits busyTimeoutMs for another connection’s write lock, then says the store is busy (the command line passes its long wait to the engine worker this way)', async () => {
    const file = tempFile();
    opened.push(openStore(file));
    const holder = new BetterSqlite3(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const store = openStore(file, { busyTimeoutMs: 400 });
      opened.push(store);
      const t0 = Date.now();
      expect(() => store.sqlite.exec('BEGIN IMMEDIATE')).toThrow(/busy|locked/i);
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(350);
      expect(waited).toBeLessThan(4000); // not the default 5 s
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
