/**
 * Issue 13: a team database's full recompute writes fresh result tables and swaps them in at its
 * commit (engine/pg-result-swap.ts) where a table is empty or much changed (engine/pg-full-write.ts;
 * full-run-diff.test.ts: the other tables take only their changes). The tables keep their names,
 * keys, indexes and grants; the results are those of a run that deletes and copies; another desk
 * reading meanwhile sees the last results until the commit, then the new ones, and never an error
 * or an empty table.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate';
import { recomputeFull, recomputeIncremental } from '../../engine/recompute';
import { actor } from '../../test-support/actors';
import { cliProcess } from '../../test-support/cli-process';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';
import { SWAP_LOCK_WAIT_MS } from '../../engine/pg-result-swap';
import { findWorker } from '../../workers';
import { openStore, type Store } from '../open-store';
import { RESULT_ROW_ORDER } from '../../test-support/result-tables';

const TABLES = RESULT_ROW_ORDER;

describe.skipIf(!onPostgres)('a team database full recompute swaps in fresh result tables (issue 13)', () => {
  let store: Store;
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const asOf = Date.parse('2026-11-01T00:00:00+08:00');
  const role = `yunke_swap_reader_${process.pid}`;
  const one = <T>(sql: string) => store.sqlite.prepare(sql).pluck().get() as T;
  const dump = () =>
    Object.entries(TABLES).map(([t, key]) =>
      JSON.stringify(store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY ${key}`).raw(true).all()),
    );
  // every key, index, check, column and capture trigger of the result tables, by name (not by
  // object id)
  const catalog = () =>
    JSON.stringify([
      store.sqlite
        .prepare(
          `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname LIKE 'result%' AND NOT t.tgisinternal
           ORDER BY 1, 2`,
        )
        .raw(true)
        .all(),
      store.sqlite
        .prepare(
          `SELECT indexname, indexdef FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename LIKE 'result%' ORDER BY indexname`,
        )
        .raw(true)
        .all(),
      store.sqlite
        .prepare(
          `SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname LIKE 'result%' ORDER BY 1, 2`,
        )
        .raw(true)
        .all(),
      store.sqlite
        .prepare(
          `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name LIKE 'result%' ORDER BY 1, ordinal_position`,
        )
        .raw(true)
        .all(),
    ]);
  const oidOf = (t: string) => Number(one<number>(`SELECT '${t}'::regclass::oid`));
  /** empty result tables: the next run writes them as a first run does, into tables it swaps in */
  const emptyResults = () => {
    for (const t of Object.keys(TABLES)) store.sqlite.exec(`DELETE FROM ${t}`);
  };

  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    url = fresh.url;
    store = openStore(url);
    await generateDemo(store, { scale: 0.05, seed: 9, actor: actor('tester') });
  }, 300_000);
  afterAll(async () => {
    store?.sqlite.exec(`DROP ROLE IF EXISTS ${role}`);
    await store?.close();
    await drop();
  });

  it('R-RECALC-1: the results equal a deleting run, and the tables keep their names, keys, indexes, capture triggers and grants', () => {
    const before = catalog();
    // the capture triggers of a decision (migration 2) are made again on the new tables
    expect(before).toMatch(/yunke_cap_orders_u BEFORE UPDATE OF customer_id/);
    const owner = one<string>(
      "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'result_orders'",
    );
    store.sqlite.exec(`CREATE ROLE ${role}`);
    store.sqlite.exec(`GRANT SELECT ON result_orders, result_partners TO ${role}`);
    // a view on a result table: the run cannot drop it, so it deletes and copies instead
    store.sqlite.exec('CREATE VIEW swap_probe AS SELECT order_id FROM result_orders');
    const kept = oidOf('result_orders');
    recomputeFull(store, { asOf });
    expect(oidOf('result_orders'), 'the view keeps the table').toBe(kept);
    const deleting = dump();
    expect(JSON.parse(deleting[0]).length).toBeGreaterThan(500);
    store.sqlite.exec('DROP VIEW swap_probe');

    emptyResults();
    recomputeFull(store, { asOf });
    expect(oidOf('result_orders'), 'a fresh table was swapped in').not.toBe(kept);
    expect(dump()).toEqual(deleting);
    expect(catalog()).toBe(before);
    expect(
      one<string>("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'result_orders'"),
    ).toBe(owner);
    for (const t of ['result_orders', 'result_partners'])
      expect(one<number>(`SELECT has_table_privilege('${role}', '${t}', 'SELECT')::int`), t).toBe(1);
    expect(one<number>(`SELECT has_table_privilege('${role}', 'result_levels', 'SELECT')::int`)).toBe(0);
    // nothing of the run is left behind
    expect(Number(one(`SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_next'`))).toBe(0);
    store.sqlite.exec(`REVOKE ALL ON result_orders, result_partners FROM ${role}`);
  }, 300_000);

  it('the new tables are written frozen and counted as analyzed: autovacuum has nothing to redo after a run, so the next run’s swap does not wait for it; once it has come, the defaults are back', async () => {
    // with its grouping helper, as a large store's run: this transaction takes the helper's snapshot
    const helper = findWorker('pg-grouping-worker');
    expect(helper, 'the grouping helper is built (node scripts/build-cli.mjs)').toBeTruthy();
    emptyResults();
    const run = recomputeFull(store, {
      asOf,
      parallel: { minCustomers: 0, workerFile: helper, pgGroupingWorker: helper! },
    });
    expect(run.fullRun).toBe('pg-grouping');
    // COPY … FREEZE marks pages all-visible from PostgreSQL 14 on (a developer's older server)
    const since14 = Number(one('SHOW server_version_num')) >= 140000;
    const rows = (t: string) => Number(one(`SELECT count(*) FROM ${t}`));
    // the run's commit reaches the server's statistics a moment later (the connection goes idle)
    const stats = (t: string) =>
      store.sqlite
        .prepare(
          `SELECT n_mod_since_analyze, n_ins_since_vacuum FROM pg_stat_user_tables WHERE relname = '${t}'`,
        )
        .raw(true)
        .get() as [number, number];
    const setting = (t: string, name: string) => {
      const own = one<string | null>(
        `SELECT option_value FROM pg_class c, pg_options_to_table(c.reloptions)
         WHERE c.relname = '${t}' AND option_name = '${name}'`,
      );
      return Number(own ?? one<string>(`SELECT current_setting('${name}')`));
    };
    const reltuples = (t: string) => Number(one(`SELECT reltuples FROM pg_class WHERE relname = '${t}'`));
    // autovacuum's own test (PostgreSQL's autovacuum.c): threshold + scale factor × rows
    const analyzeAt = (t: string) =>
      setting(t, 'autovacuum_analyze_threshold') +
      setting(t, 'autovacuum_analyze_scale_factor') * reltuples(t);
    const vacuumAt = (t: string) =>
      setting(t, 'autovacuum_vacuum_insert_threshold') +
      setting(t, 'autovacuum_vacuum_insert_scale_factor') * reltuples(t);
    for (const t of Object.keys(TABLES)) {
      const n = rows(t);
      expect(n, t).toBeGreaterThan(0);
      const deadline = Date.now() + 15_000;
      while (Number(stats(t)[0]) < n && Date.now() < deadline) {
        store.sqlite.prepare('SELECT pg_stat_clear_snapshot()').run();
        await new Promise((r) => setTimeout(r, 100));
      }
      const [modified, inserted] = stats(t).map(Number);
      expect(modified, `${t}: the run's rows are counted`).toBeGreaterThanOrEqual(n);
      expect(modified, `${t}: autovacuum would analyze it again`).toBeLessThan(analyzeAt(t));
      // …and does, as by default, once a tenth of it has changed since
      expect(analyzeAt(t), t).toBeLessThanOrEqual(n + 50 + 0.1 * reltuples(t) + 1);
      if (!since14) continue;
      // every page all-visible: no vacuum need visit it, and an index-only scan (the valid
      // orders' payouts and trends) reads no table page
      const [pages, visible] = (
        store.sqlite
          .prepare(`SELECT relpages, relallvisible FROM pg_class WHERE relname = '${t}'`)
          .raw(true)
          .get() as [number, number]
      ).map(Number);
      expect(pages, t).toBeGreaterThan(0);
      expect(visible, `${t}: all-visible pages`).toBe(pages);
      expect(inserted, `${t}: autovacuum would vacuum it`).toBeLessThan(vacuumAt(t));
    }
    // autovacuum has come for two tables (as it does once enough has changed): the next run that
    // writes results puts their defaults back, and leaves the others' raised ones
    store.sqlite.exec('ANALYZE result_orders');
    store.sqlite.exec('VACUUM result_attributions');
    const options = (t: string) =>
      store.sqlite
        .prepare(
          `SELECT option_name FROM pg_class c, pg_options_to_table(c.reloptions) WHERE c.relname = '${t}' ORDER BY 1`,
        )
        .pluck()
        .all();
    const customer = one<string>('SELECT customer_id FROM result_orders ORDER BY order_id LIMIT 1');
    expect(recomputeIncremental(store, { customers: [customer] }).mode).toBe('incremental');
    const raised = since14
      ? ['autovacuum_analyze_threshold', 'autovacuum_vacuum_insert_threshold']
      : ['autovacuum_analyze_threshold'];
    expect(options('result_orders')).toEqual(raised.filter((o) => o !== 'autovacuum_analyze_threshold'));
    expect(options('result_attributions')).toEqual(
      raised.filter((o) => o !== 'autovacuum_vacuum_insert_threshold'),
    );
    expect(options('result_partners')).toEqual(raised);
  }, 300_000);

  it('another desk reads the last results while the run writes, then the new ones: never an error or nothing', async () => {
    // the last results lack some orders, so that the run's commit is visible as a count: three in
    // ten, so that the table is made again and swapped in (engine/pg-full-write.ts)
    const all = Number(one('SELECT count(*) FROM result_orders'));
    store.sqlite.exec("DELETE FROM result_orders WHERE order_id ~ '[123]$'");
    const last = Number(one('SELECT count(*) FROM result_orders'));
    expect(last).toBeLessThan(all);
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    const seen: (number | string)[] = [];
    // reads made while the run held the team database's write lock (it holds it until its commit)
    const whileRunning: number[] = [];
    let done = false;
    const run = cliProcess(['recompute', '--db', url, '--as-of', '2026-11-01T00:00:00+08:00']).then((r) => {
      done = true;
      return r;
    });
    while (!done) {
      try {
        const r = await reader.query(
          `SELECT (SELECT count(*)::int FROM result_orders) AS n,
                  EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()) AS running`,
        );
        seen.push(r.rows[0].n as number);
        if (r.rows[0].running) whileRunning.push(r.rows[0].n as number);
      } catch (e) {
        seen.push(String(e));
      }
    }
    const { code, err } = await run;
    expect(code, err).toBe(0);
    seen.push((await reader.query('SELECT count(*)::int AS n FROM result_orders')).rows[0].n as number);
    await reader.end();
    expect(seen.filter((n) => n !== last && n !== all)).toEqual([]);
    expect(
      whileRunning.filter((n) => n === last).length,
      'the desk read the last results while the run wrote',
    ).toBeGreaterThan(3);
    expect(seen[0]).toBe(last);
    expect(seen.at(-1)).toBe(all);
    // once the new results are seen, the old never come back
    expect(seen.slice(seen.indexOf(all)).every((n) => n === all)).toBe(true);
  }, 300_000);
  it('a query that holds a result table past the swap’s wait: the run moves its rows in place instead, commits, and that desk is never blocked', async () => {
    const kept = oidOf('result_orders');
    const all = Number(one('SELECT count(*) FROM result_orders'));
    // three orders in ten are missing: the table is made again and swapped in
    store.sqlite.exec("DELETE FROM result_orders WHERE order_id ~ '[456]$'");
    const last = Number(one('SELECT count(*) FROM result_orders'));
    expect(last).toBeLessThan(all);
    // a report of another tool: a transaction that has read result_orders and keeps its lock
    const report = new pg.Client({ connectionString: url });
    await report.connect();
    await report.query('BEGIN');
    await report.query('SELECT count(*) FROM result_orders');
    const started = Date.now();
    let done = false;
    const run = cliProcess(['recompute', '--db', url, '--as-of', '2026-11-01T00:00:00+08:00']).then((r) => {
      done = true;
      return r;
    });
    const seen: number[] = [];
    let slowest = 0;
    while (!done) {
      const t = Date.now();
      seen.push((await report.query('SELECT count(*)::int AS n FROM result_orders')).rows[0].n as number);
      slowest = Math.max(slowest, Date.now() - t);
    }
    const { code, err } = await run;
    expect(code, err).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(SWAP_LOCK_WAIT_MS);
    expect(slowest, 'the report never waited for the run').toBeLessThan(SWAP_LOCK_WAIT_MS);
    expect(seen.every((n) => n === last || n === all)).toBe(true);
    await report.query('COMMIT');
    await report.end();
    expect(oidOf('result_orders'), 'the tables were not swapped').toBe(kept);
    expect(Number(one('SELECT count(*) FROM result_orders'))).toBe(all);
    expect(Number(one(`SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_next'`))).toBe(0);
  }, 300_000);
  it('R-RECALC-1: an index build that fails while the engine goes on fails the run with its own reason; the results stay as they were', () => {
    recomputeFull(store, { asOf });
    store.sqlite.exec('DELETE FROM result_attributions');
    const before = dump();
    // an index of another tool that no row can enter (made while the table is empty): its build
    // on the new attributions, sent while partners are evaluated, fails; the rows sent after it
    // are refused only because of that failure, and the run says why
    store.sqlite.exec(
      'CREATE INDEX yunke_refuses_rows ON result_attributions ((1 / (length(event_id) - length(event_id))))',
    );
    expect(() => recomputeFull(store, { asOf: asOf + 86_400_000 })).toThrow(/division by zero/);
    expect(store.sqlite.inTransaction).toBe(false);
    expect(dump()).toEqual(before);
    expect(Number(one(`SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_next'`))).toBe(0);
    // the connection goes on: without that index the next run swaps as before
    store.sqlite.exec('DROP INDEX yunke_refuses_rows');
    recomputeFull(store, { asOf });
    expect(Number(one('SELECT count(*) FROM result_attributions'))).toBeGreaterThan(0);
  }, 300_000);
});
