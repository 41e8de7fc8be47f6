import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationMismatchError, migrations, type Migration } from './migrations';
import { openStore, type Store } from './open-store';

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'yunke-store-')), 'store.db');
}

describe('openStore', () => {
  it('creates a WAL store with every migration applied and STRICT tables', async () => {
    const store = openStore(tempFile());
    opened.push(store);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = store.sqlite.prepare('SELECT version FROM _migrations ORDER BY version').pluck().all();
    expect(applied).toEqual(migrations.map((m) => m.version));
    const tables = store.sqlite
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string; sql: string }[];
    for (const t of tables) expect(t.sql, t.name).toMatch(/STRICT\s*$/);
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
    expect(() => insert.run('O1', 1200.5)).toThrow(/cannot store REAL value in INTEGER column/);
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
    expect(again.sqlite.prepare('SELECT count(*) FROM _migrations').pluck().get()).toBe(migrations.length);
    expect(again.sqlite.prepare('SELECT name FROM product_lines').pluck().get()).toBe('云服务器');
  });

  it('refuses a store whose migration history does not match this build, in both languages', async () => {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    raw.exec(
      `CREATE TABLE _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
    );
    raw.prepare(`INSERT INTO _migrations VALUES (1, 'initial', 'deadbeefdeadbeef', 0)`).run();
    raw.close();
    let error: unknown;
    try {
      openStore(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationMismatchError);
    expect((error as MigrationMismatchError).code).toBe('STORE_MIGRATION_MISMATCH');
    expect((error as Error).message).toContain('different version of Yunke Desk');
    expect((error as Error).message).toContain('其他版本');
  });

  it('refuses a store written by a newer build (unknown migration)', () => {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    const extra: Migration = {
      version: migrations.length + 1,
      name: 'future',
      statements: ['CREATE TABLE future_thing (x INTEGER) STRICT'],
      postgres: ['CREATE TABLE future_thing (x bigint)'],
    };
    migrate(raw, file, [...migrations, extra]);
    raw.close();
    expect(() => openStore(file)).toThrow(MigrationMismatchError);
  });

  it('applies a failing migration atomically: nothing of it remains', () => {
    const file = tempFile();
    const raw = new BetterSqlite3(file);
    const broken: Migration = {
      version: 1,
      name: 'broken',
      statements: ['CREATE TABLE half_done (x INTEGER) STRICT', 'THIS IS NOT SQL'],
      postgres: ['CREATE TABLE half_done (x bigint)', 'THIS IS NOT SQL'],
    };
    expect(() => migrate(raw, file, [broken])).toThrow();
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).not.toContain('half_done');
    expect(raw.prepare('SELECT count(*) FROM _migrations').pluck().get()).toBe(0);
    raw.close();
  });
});
