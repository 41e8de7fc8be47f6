/**
 * Issue 13: the team database's synchronous port reads a statement inside a transaction as a
 * stream: the driver thread hands the rows over in batches while the server sends them, a few
 * batches ahead of the caller at most (the server waits meanwhile). Rows come whole and in order,
 * other statements may run between them, and a caller that stops early leaves no stray reply.
 * A read-only statement comes as COPY text parsed in the caller's thread (copy-out.ts) with the
 * very values a plain query gives; any other is streamed as rows.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { openStore, type Store } from '../open-store';
import { CopyBuffer } from './copy-buffer';
import { PgSyncPort } from './pg-sync-port';

const N = 50_000; // 2.5 batches of the driver's stream

describe.skipIf(!onPostgres)('the team database port streams the rows of a read (issue 13)', () => {
  let store: Store;
  let drop: () => Promise<void> = async () => {};
  let url = '';
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    url = fresh.url;
    store = openStore(fresh.url);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await drop();
  });
  const db = () => store.sqlite;
  const series = () => db().prepare(`SELECT g, 'v' || g AS label FROM generate_series(1, ${N}) g`);
  const openCursors = () => Number(db().prepare('SELECT count(*) FROM pg_cursors').pluck().get());

  it("a desk's connection asks the server to probe it: a desk gone from the network lets go of the write lock within about a minute", () => {
    const shown = (name: string) => String(db().prepare(`SHOW ${name}`).pluck().get());
    // (the tests' cluster is reached over TCP on the loopback, where the settings take effect)
    expect(String(db().prepare('SELECT inet_client_addr() IS NOT NULL').pluck().get())).toBe('1');
    expect(
      ['tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout'].map(
        shown,
      ),
    ).toEqual(['30', '10', '3', '60000']);
  });

  it('every row once, in order, with other statements run between the rows', () => {
    db().exec('BEGIN');
    try {
      let expected = 1;
      const between: number[] = [];
      for (const r of series().iterate() as IterableIterator<{ g: number; label: string }>) {
        expect(r).toEqual({ g: expected, label: `v${expected}` });
        if (expected % 20_000 === 1) between.push(Number(db().prepare('SELECT ? + 1').pluck().get(expected)));
        expected++;
      }
      expect(expected - 1).toBe(N);
      expect(between).toEqual([2, 20_002, 40_002]);
      expect(openCursors()).toBe(0);
    } finally {
      db().exec('ROLLBACK');
    }
  });

  it('a read inside a transaction gives exactly the values of the same read outside one, whatever the text holds', () => {
    // outside a transaction a statement is one plain query; inside, a read goes as COPY
    db().exec(
      'CREATE TABLE copy_probe (id bigint PRIMARY KEY, t text, b boolean, n numeric, f double precision, j jsonb)',
    );
    try {
      const awkward = [
        'tab\there',
        'line\nbreak',
        'cr\rhere',
        'back\\slash',
        '\\N',
        '张三·李四',
        '😀 emoji',
        `quote ' " dq`,
        '',
      ];
      const insert = db().prepare('INSERT INTO copy_probe VALUES (?, ?, ?, ?, ?, ?)');
      awkward.forEach((t, i) =>
        insert.run(i + 1, t, i % 2 === 0 ? 1 : 0, i + 0.5, i / 3, JSON.stringify({ k: i })),
      );
      insert.run(100, null, null, null, null, null);
      insert.run(Number.MAX_SAFE_INTEGER, 'max', 1, 12345678901234, 0.1, '[]');
      const statements: [string, unknown[]][] = [
        ['SELECT * FROM copy_probe ORDER BY id', []],
        ['SELECT id, t FROM copy_probe WHERE id <= ? AND t <> ? ORDER BY id', [5, `quote ' " dq`]],
        // a value with a backslash cannot be written in: that read is streamed as rows
        ['SELECT id FROM copy_probe WHERE t <> ? ORDER BY id', ['back\\slash']],
        ["SELECT count(*), sum(n), max(id), bool_and(b), 'lit $1' FROM copy_probe WHERE id > ?", [-1]],
      ];
      for (const [text, values] of statements) {
        const plain = db()
          .prepare(text)
          .raw(true)
          .all(...values);
        const objects = db()
          .prepare(text)
          .all(...values);
        db().exec('BEGIN');
        try {
          expect([
            ...db()
              .prepare(text)
              .raw(true)
              .iterate(...values),
          ]).toEqual(plain);
          expect([
            ...db()
              .prepare(text)
              .iterate(...values),
          ]).toEqual(objects);
        } finally {
          db().exec('ROLLBACK');
        }
      }
      // the values themselves, as they were written
      db().exec('BEGIN');
      try {
        const got = [...db().prepare('SELECT t, b, j FROM copy_probe ORDER BY id').raw(true).iterate()];
        expect(got.slice(0, awkward.length).map((r) => (r as unknown[])[0])).toEqual(awkward);
        expect(got[1]).toEqual(['line\nbreak', 0, { k: 1 }]);
        expect(got.at(-2)).toEqual([null, null, null]);
        expect(got.at(-1)).toEqual(['max', 1, []]);
      } finally {
        db().exec('ROLLBACK');
      }
    } finally {
      db().exec('DROP TABLE copy_probe');
    }
  });

  it("a read copied again after its table's columns changed gives the new columns' values", () => {
    // the port remembers each read's columns after its first copy; a change of the schema forgets them
    db().exec('CREATE TABLE shape_probe (k text, v text)');
    try {
      db().exec("INSERT INTO shape_probe VALUES ('a', '42')");
      const read = () => {
        db().exec('BEGIN');
        try {
          return [...db().prepare('SELECT * FROM shape_probe').raw(true).iterate()];
        } finally {
          db().exec('ROLLBACK');
        }
      };
      expect(read()).toEqual([['a', '42']]);
      expect(read()).toEqual([['a', '42']]);
      db().exec('ALTER TABLE shape_probe ALTER COLUMN v TYPE bigint USING v::bigint');
      expect(read()).toEqual([['a', 42]]);
      db().exec('ALTER TABLE shape_probe ADD COLUMN w boolean DEFAULT true');
      expect(read()).toEqual([['a', 42, 1]]);
    } finally {
      db().exec('DROP TABLE shape_probe');
    }
  });

  it('a long read whose value cannot be written in (a backslash) streams as rows: every row once, in order', () => {
    db().exec('BEGIN');
    try {
      let expected = 1;
      const read = db().prepare(`SELECT g, ? AS tag FROM generate_series(1, ${N}) g`).raw(true);
      for (const r of read.iterate('a\\b') as IterableIterator<[number, string]>) {
        expect(r).toEqual([expected, 'a\\b']);
        expected++;
      }
      expect(expected - 1).toBe(N);
      expect(db().prepare('SELECT 6 * 7').pluck().get()).toBe(42);
    } finally {
      db().exec('ROLLBACK');
    }
  });

  it('a caller that stops early leaves no cursor or stray rows: the next statements get their own answers', () => {
    db().exec('BEGIN');
    try {
      let n = 0;
      for (const _ of series().iterate()) if (++n === 25_000) break;
      expect(openCursors()).toBe(0);
      expect(db().prepare('SELECT 41 + 1').pluck().get()).toBe(42);
      expect(db().prepare(`SELECT count(*) FROM generate_series(1, 7)`).pluck().get()).toBe(7);
      // and a second read of the same statement starts from its first row
      let first: unknown;
      for (const r of series().iterate()) {
        first = r;
        break;
      }
      expect(first).toEqual({ g: 1, label: 'v1' });
      expect(openCursors()).toBe(0);
    } finally {
      db().exec('ROLLBACK');
    }
  });

  it('a caller that stops early in a long read frees the connection at once: an async query of the store answers', async () => {
    db().exec('BEGIN');
    try {
      let n = 0;
      // 300,000 rows: far more than the driver sends ahead of the reader, so the server is
      // still sending (paused) when the caller stops
      for (const _ of db().prepare(`SELECT g, repeat('y', 200) FROM generate_series(1, 300000) g`).iterate())
        if (++n === 10) break;
      const got = await Promise.race([
        sql<{ n: number }>`SELECT 7 AS n`.execute(store.db).then((r) => Number(r.rows[0].n)),
        new Promise((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000)),
      ]);
      expect(got).toBe(7);
    } finally {
      db().exec('ROLLBACK');
    }
  });

  it('a read that fails half-way throws the server error, after the rows before it; the connection then answers again', () => {
    db().exec('BEGIN');
    let seen = 0;
    try {
      // row 30,000 divides by zero: a batch of 20,000 rows has come before the error
      const failing = db().prepare(`SELECT 1 / (30000 - g) AS q FROM generate_series(1, ${N}) g`);
      expect(() => {
        for (const _ of failing.iterate()) seen++;
      }).toThrow(/division by zero/);
      expect(seen).toBeGreaterThanOrEqual(20_000);
      expect(seen).toBeLessThan(30_000);
    } finally {
      db().exec('ROLLBACK');
    }
    expect(db().prepare('SELECT 6 * 7').pluck().get()).toBe(42);
  });

  it('reads of many batches, one after another, give every row exactly: the buffers given back are written again whole', () => {
    // some 4 MB of rows a read, of lengths that differ from one read to the next: a batch written
    // over one given back must leave nothing of the last read's bytes in its rows
    db().exec('BEGIN');
    try {
      for (const pad of [40, 7, 23]) {
        let expected = 1;
        const rows = db().prepare(
          `SELECT g, repeat('x', ${pad} + g % 5) || g AS label FROM generate_series(1, 90000) g`,
        );
        for (const r of rows.iterate() as IterableIterator<{ g: number; label: string }>) {
          if (r.g !== expected || r.label !== `${'x'.repeat(pad + (expected % 5))}${expected}`)
            expect(r).toEqual({ g: expected, label: `${'x'.repeat(pad + (expected % 5))}${expected}` });
          expected++;
        }
        expect(expected - 1).toBe(90_000);
      }
    } finally {
      db().exec('ROLLBACK');
    }
  });

  it('a copy the driver has read whole gives its buffer back for the next rows; one it hands to the socket does not', () => {
    const port = db() as unknown as PgSyncPort;
    db().exec('CREATE TEMP TABLE spare_probe (a text, row_hash bytea)');
    const rows = (n: number) => {
      const b = new CopyBuffer(1 << 16);
      for (let i = 0; i < n; i++) b.row(-1, [`row ${i}`], -1);
      return b.take();
    };
    const sent = rows(1000);
    const capacity = sent.buffer.byteLength;
    port.settle(port.sendCopy('spare_probe', ['a'], sent, { digests: true }));
    const spare = port.spareBuffer(capacity);
    expect(spare?.byteLength, 'the buffer sent, whole again').toBe(capacity);
    expect(port.spareBuffer(1), 'given back once').toBeUndefined();
    port.settle(port.sendCopy('spare_probe', ['a'], rows(3), {}));
    expect(port.spareBuffer(1), 'a plain copy’s bytes went to the socket').toBeUndefined();
    expect(
      db()
        .prepare('SELECT count(*) FILTER (WHERE row_hash IS NOT NULL), count(*) FROM spare_probe')
        .raw()
        .get(),
    ).toEqual([1000, 1003]);
    db().exec('DROP TABLE spare_probe');
  });

  it('a driver thread that stops on a failure of its own: the next statement says so, whether its word came to a wait or to a copy looking for a spare buffer', async () => {
    for (const seen of ['reply', 'spare'] as const) {
      const other = openStore(url);
      try {
        const port = other.sqlite as unknown as PgSyncPort;
        expect(port.query('SELECT 1').rows).toEqual([[1]]);
        // a message the driver cannot take (a spare buffer without its bytes) ends its thread
        (port as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({
          op: 'spare',
        });
        if (seen === 'spare') {
          // its last word taken while a copy looks for a buffer (this thread blocked meanwhile, as
          // the engine's is): kept, not thrown there
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
          expect(port.spareBuffer(1)).toBeUndefined();
        }
        expect(() => port.query('SELECT 1')).toThrow(/team database driver stopped/);
        expect(() => port.query('SELECT 1')).toThrow(/not open/);
      } finally {
        await other.close().catch(() => undefined);
      }
    }
  });

  it('a read whose rows come with the server’s notices among them gives every row once, and nothing else', () => {
    // the server sends each notice between two rows of the COPY (copy-to-frames.ts skips them)
    db().exec(`CREATE FUNCTION pg_temp.noisy(g int) RETURNS text LANGUAGE plpgsql AS $$
      BEGIN IF g % 997 = 0 THEN RAISE NOTICE 'row %', g; END IF; RETURN 'n' || g; END $$`);
    db().exec('BEGIN');
    try {
      let expected = 1;
      const rows = db().prepare(`SELECT g, pg_temp.noisy(g) AS label FROM generate_series(1, ${N}) g`);
      for (const r of rows.iterate() as IterableIterator<{ g: number; label: string }>) {
        expect(r).toEqual({ g: expected, label: `n${expected}` });
        expected++;
      }
      expect(expected - 1).toBe(N);
    } finally {
      db().exec('ROLLBACK');
    }
    expect(db().prepare('SELECT 6 * 7').pluck().get()).toBe(42);
  });

  it("a second connection's read on the first one's snapshot streams too, sees that snapshot, and keeps the server waiting while it reads", () => {
    // the full run's grouping helper reads this way (engine/pg-grouping-worker.ts): before
    // beginRead it read whole tables in one reply, millions of rows at once
    db().exec('CREATE TABLE snap_probe (n bigint)');
    db().exec('INSERT INTO snap_probe VALUES (1)');
    db().exec('BEGIN');
    const helper = new PgSyncPort(store.file, { application: 'yunke-desk test helper' });
    try {
      const snapshot = db().prepare('SELECT pg_export_snapshot()').pluck().get() as string;
      // written after the snapshot, by a third connection: the helper must not see it
      const other = new PgSyncPort(store.file, { application: 'yunke-desk test writer' });
      other.query('INSERT INTO snap_probe VALUES (2)');
      other.close();
      helper.beginRead(snapshot);
      expect(helper.inTransaction).toBe(true);
      expect(helper.prepare('SELECT n FROM snap_probe ORDER BY n').pluck().all()).toEqual([1]);
      // 300,000 rows of 200 bytes, more than the socket holds: half-way through, the server is
      // still sending (it waits for the reader), and no reply holds the whole result
      const rows = 300_000;
      // (pg_stat_activity is read once per transaction unless its snapshot is cleared)
      const state = () => {
        db().prepare('SELECT pg_stat_clear_snapshot()').run();
        return db()
          .prepare("SELECT state FROM pg_stat_activity WHERE application_name = 'yunke-desk test helper'")
          .pluck()
          .get();
      };
      let midway: unknown;
      let n = 0;
      const read = helper.prepare(`SELECT g, repeat('x', 200) FROM generate_series(1, ${rows}) g`).raw(true);
      for (const r of read.iterate() as IterableIterator<[number, string]>) {
        if (r[0] !== ++n) throw new Error(`row ${n} came as ${r[0]}`);
        if (n === 100_000) midway = state();
      }
      expect(n).toBe(rows);
      expect(midway).toBe('active');
      expect(state()).toBe('idle in transaction');
      helper.end('COMMIT');
      expect(helper.inTransaction).toBe(false);
    } finally {
      helper.close();
      db().exec('ROLLBACK');
      db().exec('DROP TABLE snap_probe');
    }
  });
});
