import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlitePort } from '../store/sql-port';
import {
  INDEX_BUILD_CACHE_KIB,
  INDEX_BUILD_THREADS,
  tempInMemory,
  withIndexBuildSettings,
} from './index-build';

const open: BetterSqlite3.Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

/**
 * A file with 300k keys, far more than one sorted run of INDEX_BUILD_CACHE_KIB, on a connection set
 * up as the full run's helper's (full-run-worker.ts: a 64 MB cache, temporary files on disk), or
 * as the app's (`tempInMemory`: open-store.ts).
 */
function fileWithKeys(tempInMemory = false): BetterSqlite3.Database {
  const db = new BetterSqlite3(join(mkdtempSync(join(tmpdir(), 'yunke-index-build-')), 'store.db'));
  open.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma('cache_size = -65536');
  if (tempInMemory) db.pragma('temp_store = MEMORY');
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
  it('on a connection whose sorter writes runs (the helper’s): builds in runs of 2 MB with two threads, indexes in the keys’ order, the connection’s settings put back', () => {
    const db = fileWithKeys();
    expect(tempInMemory(sqlitePort(db))).toBe(false);
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

  it('leaves a connection whose temporary files are in memory (the app’s) as it is: its sorter writes no runs', () => {
    const db = fileWithKeys(true);
    const port = sqlitePort(db);
    expect(tempInMemory(port)).toBe(true);
    const seen: unknown[] = [];
    withIndexBuildSettings(port, () => {
      seen.push(db.pragma('cache_size', { simple: true }), db.pragma('threads', { simple: true }));
      db.exec('CREATE UNIQUE INDEX result_orders_order ON result_orders (order_id)');
    });
    expect(seen).toEqual([-65536, 0]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
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
