/**
 * Issue 13: a team database's full recompute writes only what changed in a result table that
 * holds rows (engine/pg-full-write.ts): rows it finds again are left as they are (same ctid, same
 * transaction), the changed ones are replaced in place, and a table a quarter or more of whose
 * rows changed is made again and swapped in. Whichever way, the results are exactly those of a run
 * that writes every row.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate';
import { recomputeFull } from '../../engine/recompute';
import { actor } from '../../test-support/actors';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { findWorker } from '../../workers';
import { openStore, type Store } from '../open-store';
import { RESULT_ROW_ORDER } from '../../test-support/result-tables';
import { ROW_HASH, rowHashTriggers } from '../schema/row-hash.sql';

const TABLES = RESULT_ROW_ORDER;
type Table = keyof typeof TABLES;

describe.skipIf(!onPostgres)('a team database full recompute writes only what changed (issue 13)', () => {
  let store: Store;
  let drop: () => Promise<void> = async () => {};
  let url = '';
  const asOf = Date.parse('2026-11-01T00:00:00+08:00');
  const one = <T>(sql: string) => store.sqlite.prepare(sql).pluck().get() as T;
  const rowsOf = (t: string) =>
    JSON.stringify(
      store.sqlite
        .prepare(`SELECT * FROM ${t} ORDER BY ${TABLES[t as Table]}`)
        .raw(true)
        .all(),
    );
  const dump = () => Object.keys(TABLES).map(rowsOf);
  /** where each row of each table is, and which transaction wrote it */
  const versions = (t: string) =>
    new Map(
      (
        store.sqlite
          .prepare(`SELECT ${TABLES[t as Table]}, ctid::text, xmin::text FROM ${t}`)
          .raw(true)
          .all() as string[][]
      ).map((r) => [r.slice(0, -2).join('|'), r.slice(-2).join('@')]),
    );
  const oidOf = (t: string) => Number(one<number>(`SELECT '${t}'::regclass::oid`));
  /** a run over the store as it is, and its results */
  const runAndDump = () => {
    recomputeFull(store, { asOf });
    return dump();
  };
  const removeResultOrder = (order: string) =>
    store.sqlite.exec(`DELETE FROM result_orders WHERE order_id = '${order}'`);
  /** what a run that writes every row gives: the tables emptied, then run */
  const everyRow = () => {
    store.sqlite.exec('BEGIN');
    try {
      for (const t of Object.keys(TABLES)) store.sqlite.exec(`DELETE FROM ${t}`);
      store.sqlite.exec('COMMIT');
    } catch (e) {
      store.sqlite.exec('ROLLBACK');
      throw e;
    }
    recomputeFull(store, { asOf });
    return dump();
  };

  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    url = fresh.url;
    store = openStore(fresh.url);
    await generateDemo(store, { scale: 0.05, seed: 11, actor: actor('tester') });
    recomputeFull(store, { asOf });
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    await drop();
  });

  it('R-RECALC-1: a run that finds what the last one found leaves every row where it was, with its grouping helper too', () => {
    const before = Object.fromEntries(Object.keys(TABLES).map((t) => [t, versions(t)]));
    const oids = Object.keys(TABLES).map(oidOf);
    const rows = dump();
    recomputeFull(store, { asOf });
    const helper = findWorker('pg-grouping-worker');
    expect(helper, 'the grouping helper is built (node scripts/build-cli.mjs)').toBeTruthy();
    const run = recomputeFull(store, {
      asOf,
      parallel: { minCustomers: 0, workerFile: helper, pgGroupingWorker: helper! },
    });
    expect(run.fullRun).toBe('pg-grouping');
    expect(dump()).toEqual(rows);
    expect(Object.keys(TABLES).map(oidOf)).toEqual(oids);
    for (const t of Object.keys(TABLES)) {
      expect(before[t].size, t).toBeGreaterThan(0);
      expect(versions(t), `${t}: no row written again`).toEqual(before[t]);
    }
    // no table of the run is left behind
    expect(Number(one(`SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_next'`))).toBe(0);
  }, 300_000);

  it('R-RECALC-1: a changed order, a removed one and a new one: only their rows are written again, and the results are those of a run that writes every row', () => {
    const [changed, removed] = store.sqlite
      .prepare("SELECT order_id FROM result_orders WHERE status = 'valid' ORDER BY order_id LIMIT 2")
      .pluck()
      .all() as string[];
    const customer = one<string>(`SELECT customer_id FROM orders WHERE order_id = '${changed}'`);
    store.sqlite.exec(`UPDATE orders SET paid_fen = paid_fen + 10000 WHERE order_id = '${changed}'`);
    store.sqlite.exec(`DELETE FROM orders WHERE order_id = '${removed}'`);
    store.sqlite.exec(
      `INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id)
       SELECT 'DIFF-NEW-1', customer_id, product_line, billing, subscription, 990, ordered_at + 1000, import_id
       FROM orders WHERE order_id = '${changed}'`,
    );
    const before = versions('result_orders');
    const oid = oidOf('result_orders');
    // with its grouping helper: this transaction takes the helper's snapshot, then reads the stored
    // rows and copies the changed ones frozen
    const helper = findWorker('pg-grouping-worker')!;
    const run = recomputeFull(store, {
      asOf,
      parallel: { minCustomers: 0, workerFile: helper, pgGroupingWorker: helper },
    });
    expect(run.fullRun).toBe('pg-grouping');
    const after = versions('result_orders');
    expect(oidOf('result_orders'), 'changed in place').toBe(oid);
    expect(after.has(removed)).toBe(false);
    expect(after.has('DIFF-NEW-1')).toBe(true);
    expect(after.get(changed)).not.toBe(before.get(changed));
    // every other order of another customer is where it was (the changed customer's other orders
    // may change with it: a first order's rebate, its experience)
    const others = [...before.keys()].filter((k) => k !== changed && k !== removed);
    const moved = others.filter((k) => after.get(k) !== before.get(k));
    expect(moved.length, 'orders written again besides the changed one').toBeLessThan(others.length / 50);
    const sameCustomer = new Set(
      store.sqlite
        .prepare('SELECT order_id FROM result_orders WHERE customer_id = ?')
        .pluck()
        .all(customer) as string[],
    );
    expect(moved.filter((k) => !sameCustomer.has(k)).length).toBeLessThan(others.length / 100);
    const diffRun = dump();
    expect(diffRun).toEqual(everyRow());
  }, 300_000);

  it('R-RECALC-1: when a quarter or more of a table’s rows changed it is made again and swapped in, or changed in place where it may not be swapped; the results are the same', () => {
    const reference = runAndDump();
    const index = (t: string) =>
      JSON.stringify(
        store.sqlite
          .prepare(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '${t}' ORDER BY 1`)
          .raw(true)
          .all(),
      );
    const indexes = index('result_orders');
    // every stored order row differs from what the run writes
    store.sqlite.exec("UPDATE result_orders SET reasons_json = reasons_json || ' '");
    const oid = oidOf('result_orders');
    const attributions = oidOf('result_attributions');
    recomputeFull(store, { asOf });
    expect(oidOf('result_orders'), 'made again and swapped in').not.toBe(oid);
    expect(oidOf('result_attributions'), 'unchanged: left in place').toBe(attributions);
    expect(index('result_orders')).toBe(indexes);
    expect(dump()).toEqual(reference);
    // its rows were inserted, not copied frozen: autovacuum is left to vacuum them as by default
    // (a table swapped in after a first run's COPY … FREEZE needs no vacuum: result-swap.test.ts)
    const options = store.sqlite
      .prepare(
        "SELECT option_name FROM pg_class c, pg_options_to_table(c.reloptions) WHERE c.relname = 'result_orders'",
      )
      .pluck()
      .all();
    expect(options).toEqual(['autovacuum_analyze_threshold']);

    // a view on the table: no table may be swapped, so the changed rows wait in temporary tables
    // and are written in place, however many
    store.sqlite.exec('CREATE VIEW diff_probe AS SELECT order_id FROM result_orders');
    try {
      store.sqlite.exec("UPDATE result_orders SET reasons_json = reasons_json || ' '");
      expect(runAndDump()).toEqual(reference);
      // one row changed: only that one is written again
      const order = one<string>('SELECT order_id FROM result_orders ORDER BY order_id LIMIT 1');
      store.sqlite.exec(`UPDATE result_orders SET reasons_json = '[]!' WHERE order_id = '${order}'`);
      const before = versions('result_orders');
      recomputeFull(store, { asOf });
      const after = versions('result_orders');
      expect([...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k)).toEqual([order]);
      expect(dump()).toEqual(reference);
      // emptied, it is written as a first run writes it
      store.sqlite.exec('DELETE FROM result_orders');
      expect(runAndDump()).toEqual(reference);
    } finally {
      store.sqlite.exec('DROP VIEW diff_probe');
    }
  }, 300_000);

  it('R-RECALC-1: every row a full run writes carries its digest; a row another writer changed or copied (an incremental run’s update, a hand’s) has none, and the next full run writes that row again, and only it; digests are not trusted where their trigger is off', () => {
    const reference = runAndDump();
    const undigested = () =>
      Object.keys(TABLES).map((t) => Number(one(`SELECT count(*) FROM ${t} WHERE ${ROW_HASH} IS NULL`)));
    const none = Object.keys(TABLES).map(() => 0);
    expect(undigested()).toEqual(none);
    // an update that leaves every value as it was still clears the digest (the trigger cannot know
    // what the run would write); one that changes a value, too
    const [same, changed] = store.sqlite
      .prepare('SELECT order_id FROM result_orders ORDER BY order_id LIMIT 2')
      .pluck()
      .all() as string[];
    store.sqlite.exec(`UPDATE result_orders SET status = status WHERE order_id = '${same}'`);
    store.sqlite.exec(`UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = '${changed}'`);
    store.sqlite.exec(
      `UPDATE result_partners SET level = level WHERE partner_id = (SELECT min(partner_id) FROM result_partners)`,
    );
    expect(Number(one(`SELECT count(*) FROM result_orders WHERE ${ROW_HASH} IS NULL`))).toBe(2);
    const before = versions('result_orders');
    const oid = oidOf('result_orders');
    recomputeFull(store, { asOf });
    const after = versions('result_orders');
    expect(oidOf('result_orders'), 'changed in place').toBe(oid);
    expect(
      [...after]
        .filter(([k, v]) => before.get(k) !== v)
        .map(([k]) => k)
        .sort(),
    ).toEqual([same, changed].sort());
    expect(dump()).toEqual(reference);
    expect(undigested()).toEqual(none);
    // a row copied by hand from another keeps no digest, whatever it copied: the run removes it
    store.sqlite.exec(
      `CREATE TEMP TABLE hand AS SELECT * FROM result_orders WHERE order_id = '${same}';
       UPDATE hand SET order_id = 'HAND-1';
       INSERT INTO result_orders SELECT * FROM hand;
       DROP TABLE hand`,
    );
    expect(one(`SELECT ${ROW_HASH} FROM result_orders WHERE order_id = 'HAND-1'`)).toBeNull();
    expect(runAndDump()).toEqual(reference);
    // the digests are read in hex whatever the session's bytea_output: an unchanged run writes nothing
    const settled = versions('result_orders');
    store.sqlite.exec("SET bytea_output = 'escape'");
    try {
      recomputeFull(store, { asOf });
    } finally {
      store.sqlite.exec('RESET bytea_output');
    }
    expect(versions('result_orders')).toEqual(settled);
    // a digest trigger turned off: that table's digests are not trusted, every row is written again
    store.sqlite.exec(`ALTER TABLE result_orders DISABLE TRIGGER ${rowHashTriggers('result_orders')[1]}`);
    try {
      store.sqlite.exec(`UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = '${same}'`);
      expect(runAndDump()).toEqual(reference);
      const again = versions('result_orders');
      expect([...again].filter(([k, v]) => settled.get(k) === v)).toEqual([]);
    } finally {
      store.sqlite.exec(`ALTER TABLE result_orders ENABLE TRIGGER ${rowHashTriggers('result_orders')[1]}`);
    }
    // a table made again (emptied: a first run), and one written in place where none may be swapped
    store.sqlite.exec('DELETE FROM result_orders');
    expect(runAndDump()).toEqual(reference);
    expect(undigested()).toEqual(none);
    store.sqlite.exec('CREATE VIEW diff_probe AS SELECT order_id FROM result_orders');
    try {
      store.sqlite.exec('DELETE FROM result_orders');
      expect(runAndDump()).toEqual(reference);
      store.sqlite.exec(`UPDATE result_orders SET status = status WHERE order_id = '${same}'`);
      expect(runAndDump()).toEqual(reference);
      expect(undigested()).toEqual(none);
    } finally {
      store.sqlite.exec('DROP VIEW diff_probe');
    }
  }, 300_000);

  it('R-RECALC-1: a column another tool added to a result table takes its default; a table with a child table is written whole (a ctid names a row of one table)', () => {
    const reference = runAndDump();
    const order = one<string>('SELECT order_id FROM result_orders ORDER BY order_id LIMIT 1');
    store.sqlite.exec('ALTER TABLE result_orders ADD COLUMN noted_at bigint NOT NULL DEFAULT 7');
    try {
      removeResultOrder(order);
      recomputeFull(store, { asOf });
      expect(one<number>(`SELECT noted_at FROM result_orders WHERE order_id = '${order}'`)).toBe(7);
      // the same where the changed rows wait in a temporary table (no table may be swapped)
      store.sqlite.exec('CREATE VIEW diff_probe AS SELECT order_id FROM result_orders');
      removeResultOrder(order);
      recomputeFull(store, { asOf });
      expect(one<number>(`SELECT noted_at FROM result_orders WHERE order_id = '${order}'`)).toBe(7);
    } finally {
      store.sqlite.exec('DROP VIEW IF EXISTS diff_probe');
      store.sqlite.exec('ALTER TABLE result_orders DROP COLUMN noted_at');
    }
    expect(dump()).toEqual(reference);
    // a child table's row at the same place as a row of its parent the run replaces is not touched
    store.sqlite.exec('CREATE TABLE diff_child () INHERITS (result_experience)');
    try {
      store.sqlite.exec('INSERT INTO diff_child SELECT * FROM ONLY result_experience ORDER BY ctid LIMIT 1');
      const first = store.sqlite
        .prepare('SELECT group_id FROM ONLY result_experience ORDER BY ctid LIMIT 1')
        .pluck()
        .get() as string;
      store.sqlite.exec(`UPDATE ONLY result_experience SET at = at + 1 WHERE group_id = '${first}'`);
      recomputeFull(store, { asOf });
      expect(
        Number(one('SELECT count(*) FROM diff_child')),
        'the child table is written as the parent: emptied',
      ).toBe(0);
      expect(dump()).toEqual(reference);
    } finally {
      store.sqlite.exec('DROP TABLE diff_child');
    }
  }, 300_000);

  it('a table another session holds (an autovacuum, say): the run changes it in place and goes without its ANALYZE after 3 s, instead of waiting with every desk’s write lock', async () => {
    const reference = runAndDump();
    // one order in ten differs: changed in place, enough for the run to take statistics again;
    // then four in ten: the table is made again, and its swap moves the rows in place instead
    store.sqlite.exec("UPDATE result_orders SET reasons_json = reasons_json || ' ' WHERE order_id ~ '1$'");
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('BEGIN');
    await other.query('LOCK TABLE result_orders IN SHARE UPDATE EXCLUSIVE MODE');
    const started = Date.now();
    try {
      // (this thread waits for the run: the other session keeps its lock throughout)
      expect(runAndDump()).toEqual(reference);
      store.sqlite.exec(
        "UPDATE result_orders SET reasons_json = reasons_json || ' ' WHERE order_id ~ '[1234]$'",
      );
      expect(runAndDump()).toEqual(reference);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    expect(Date.now() - started, 'each run waited for the lock, then went on').toBeGreaterThan(2 * 2_900);
  }, 300_000);

  it('R-RECALC-1: a change the server refuses fails the run with its reason; the results stay as they were and the next run writes them', () => {
    const reference = runAndDump();
    const order = one<string>('SELECT order_id FROM result_orders ORDER BY order_id DESC LIMIT 1');
    removeResultOrder(order);
    const before = dump();
    // an index of another tool that refuses that one row: the run must insert it again, and fails
    store.sqlite.exec(
      `CREATE INDEX yunke_refuses_row ON result_orders ((1 / (length(order_id) - length(order_id)))) WHERE order_id = '${order}'`,
    );
    try {
      expect(() => recomputeFull(store, { asOf })).toThrow(/division by zero/);
      expect(store.sqlite.inTransaction).toBe(false);
      expect(dump()).toEqual(before);
    } finally {
      store.sqlite.exec('DROP INDEX yunke_refuses_row');
    }
    // the connection goes on, and its next run finds what it must write
    expect(runAndDump()).toEqual(reference);
  }, 300_000);
});
