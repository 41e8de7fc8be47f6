import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onTeamSuite } from '../test-support/dialect';
import { openStore } from './open-store';
import { storeErrorOf } from './store-errors';

const root = resolve(import.meta.dirname, '..', '..', '..');
const dir = () => mkdtempSync(join(tmpdir(), 'yunke-store-err-'));
const bilingual = (m: string) => /[\u4e00-\u9fff]/.test(m) && /[a-z]{4,}/.test(m);

// A folder, a file that is not a database, a truncated file: what only a store file can be (on the
// team suite these are skipped; an unreachable or foreign server is teamdb's, in test:pg).
describe('SQLite errors as a user reads them (issue 12)', () => {
  it.skipIf(onTeamSuite)('a folder given as the store says so, in both languages, naming it', () => {
    const d = dir();
    mkdirSync(join(d, 'store.db'));
    expect(() => openStore(join(d, 'store.db'))).toThrow(
      expect.objectContaining({ code: 'STORE_IS_FOLDER' }),
    );
    try {
      openStore(join(d, 'store.db'));
    } catch (e) {
      expect(bilingual((e as Error).message)).toBe(true);
      expect((e as Error).message).toContain(join(d, 'store.db'));
    }
  });

  it.skipIf(onTeamSuite)(
    'a file that is not a database, or a truncated store, is named and explained',
    async () => {
      const d = dir();
      writeFileSync(join(d, 'notes.db'), 'these are my notes, not a database '.repeat(200));
      expect(() => openStore(join(d, 'notes.db'))).toThrow(
        expect.objectContaining({ code: 'STORE_NOT_A_DATABASE' }),
      );
      const good = join(d, 'good.db');
      const s = openStore(good);
      s.sqlite.exec(
        'CREATE TABLE filler (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT hex(randomblob(500)) FROM n',
      );
      s.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      await s.close();
      const bytes = readFileSync(good);
      const cut = join(d, 'cut.db');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
      let err: unknown;
      try {
        const t = openStore(cut);
        t.sqlite.prepare('SELECT COUNT(*) FROM filler').get();
        t.sqlite.pragma('integrity_check');
      } catch (e) {
        err = e;
      }
      const mapped = storeErrorOf(err, cut);
      expect(mapped?.code).toMatch(/STORE_DAMAGED|STORE_NOT_A_DATABASE/);
      expect(bilingual(mapped!.message)).toBe(true);
      expect(mapped!.message).toContain(cut);
    },
  );

  it('read-only and busy stores are explained and named', () => {
    for (const [code, expected] of [
      ['SQLITE_READONLY', 'STORE_READ_ONLY'],
      ['SQLITE_BUSY', 'STORE_BUSY'],
      ['SQLITE_FULL', 'STORE_FULL'],
      ['SQLITE_IOERR_SHORT_READ', 'STORE_DAMAGED'],
    ] as const) {
      const e = storeErrorOf(Object.assign(new Error('database is locked'), { code }), '/data/s.db');
      expect(e?.code).toBe(expected);
      expect(e?.message).toContain('/data/s.db');
      expect(bilingual(e!.message)).toBe(true);
    }
    expect(storeErrorOf(new Error('other'), '/x')).toBeNull();
  });

  // on the team suite: the other desk holds the team database's write lock (its BEGIN IMMEDIATE)
  it('a command-line import while another process writes waits its turn (no busy timeout), then lands', async () => {
    const d = dir();
    const db = join(d, 'store.db');
    const f = join(d, 'orders.csv');
    writeFileSync(
      f,
      'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\nO1,C1,ecs,prepaid,false,12,2026-03-05 12:00:00\n',
    );
    // another process (the app, a scheduled import) holds the write lock for 7 s, longer than SQLite's 5 s default
    const other = openStore(db);
    other.sqlite.exec('BEGIN IMMEDIATE');
    const release = setTimeout(() => other.sqlite.exec('COMMIT'), 7_000);
    const started = Date.now();
    const r = await new Promise<{ code: number; err: string }>((res) =>
      execFile(
        process.execPath,
        [join(root, 'bin', 'yunke-desk.mjs'), 'import', '--db', other.file, '--source', 'orders', f],
        (e, _o, err) => res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, err }),
      ),
    );
    clearTimeout(release);
    if (other.sqlite.inTransaction) other.sqlite.exec('COMMIT');
    expect(r).toMatchObject({ code: 0 });
    expect(Date.now() - started).toBeGreaterThan(6_500);
    // a team database's import says whom it waits for
    if (other.dialect === 'postgres') expect(r.err).toMatch(/写锁.*write lock/);
    expect(other.sqlite.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(1);
    await other.close();
  }, 60_000);
});
