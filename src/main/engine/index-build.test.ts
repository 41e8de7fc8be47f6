import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlitePort } from '../store/sql-port';
import { INDEX_BUILD_CACHE_KIB, INDEX_BUILD_THREADS, withIndexBuildSettings } from './index-build';

const open: BetterSqlite3.Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

/** A store-like file with 300k keys, far more than one sorted run of INDEX_BUILD_CACHE_KIB. */
function fileWithKeys(): BetterSqlite3.Database {
  const db = new BetterSqlite3(join(mkdtempSync(join(tmpdir(), 'yunke-index-build-')), 'store.db'));
  open.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.exec('CREATE TABLE result_orders (order_id TEXT NOT NULL, partner_id TEXT, status TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO result_orders VALUES (?, ?, ?)');
  db.transaction(() => {
    // keys in no particular order (a multiplicative scramble), a fifth without partner
    for (let i = 0; i < 300_000; i++) {
      const k = (i * 7919) % 300_000;
      ins.run(
        `ORD-${String(k).padStart(8, '0')}-${'x'.repeat(k % 23)}`,
        k % 5 ? `P${k % 997}` : null,
        k % 3 ? 'valid' : 'excluded',
      );
    }
  })();
  return db;
}

describe('result index builds of a store file (index-build.ts)', () => {
  it('builds indexes whose order is the keys’ order, in small sorted runs on two threads, and puts the connection’s settings back', () => {
    const db = fileWithKeys();
    const port = sqlitePort(db);
    const seen: unknown[] = [];
    withIndexBuildSettings(port, () => {
      // the builds run with the sorter's settings
      seen.push(db.pragma('cache_size', { simple: true }), db.pragma('threads', { simple: true }));
      db.exec('CREATE UNIQUE INDEX result_orders_order ON result_orders (order_id)');
      db.exec('CREATE INDEX result_orders_partner ON result_orders (partner_id, status)');
    });
    expect(seen).toEqual([-INDEX_BUILD_CACHE_KIB, INDEX_BUILD_THREADS]);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(db.pragma('threads', { simple: true })).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // the index, read in its order, is the table sorted by the key: every row, none twice
    const byIndex = db
      .prepare('SELECT order_id FROM result_orders INDEXED BY result_orders_order ORDER BY order_id')
      .pluck()
      .all() as string[];
    const keys = (db.prepare('SELECT order_id FROM result_orders').pluck().all() as string[]).sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    expect(byIndex).toHaveLength(300_000);
    expect(byIndex).toEqual(keys);
    expect(
      db
        .prepare(
          "SELECT COUNT(*) FROM result_orders INDEXED BY result_orders_partner WHERE partner_id = 'P7' AND status = 'valid'",
        )
        .pluck()
        .get(),
    ).toBe(
      db
        .prepare(
          "SELECT COUNT(*) FROM result_orders WHERE partner_id || '' = 'P7' AND status || '' = 'valid'",
        )
        .pluck()
        .get(),
    );
  });

  it('puts the settings back when a build fails', () => {
    const db = fileWithKeys();
    db.exec("INSERT INTO result_orders VALUES ('ORD-00000001-x', NULL, 'valid')");
    expect(() =>
      withIndexBuildSettings(sqlitePort(db), () =>
        db.exec('CREATE UNIQUE INDEX result_orders_order ON result_orders (order_id)'),
      ),
    ).toThrow(/UNIQUE constraint failed/);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(db.pragma('threads', { simple: true })).toBe(0);
  });
});
