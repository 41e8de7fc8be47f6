import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate';
import { openStore, type Store } from '../store/open-store';
import { backgroundWork, computeGrouping, groupingResult } from './grouping';
import { recomputeFull } from './recompute';
import { resultSnapshot, t } from './test-fixtures';

// the worker as the app and the CLI run it: bundled from these sources, run from node_modules/
// (where its external better-sqlite3 resolves)
const root = resolve(__dirname, '..', '..', '..');
const workerFile = join(root, 'node_modules', `.yunke-test-grouping-worker-${process.pid}.mjs`);
const failingWorker = join(mkdtempSync(join(tmpdir(), 'yunke-grouping-')), 'failing-worker.mjs');
const stores: Store[] = [];

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'yunke-grouping-build-'));
  await build({
    entryPoints: [join(root, 'src', 'main', 'rules', 'grouping-worker.ts')],
    outfile: join(out, 'worker.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  copyFileSync(join(out, 'worker.mjs'), workerFile);
  // a worker that fails the way grouping-worker.ts reports failures
  writeFileSync(
    failingWorker,
    `import { workerData } from 'node:worker_threads';
     workerData.port.postMessage({ ok: false, message: 'disk on fire' });
     const flag = new Int32Array(workerData.signal);
     Atomics.store(flag, 0, 1);
     Atomics.notify(flag, 0);`,
  );
});
afterAll(async () => {
  await backgroundWork();
  await Promise.all(stores.map((s) => s.close()));
  rmSync(workerFile, { force: true });
});

// besides every result table: edges in the order they were written (rowid), as the grouping's
// own order must not change, and the run's stats
const snapshot = (s: Store) =>
  resultSnapshot(s, [
    'SELECT * FROM result_same_person_edges ORDER BY rowid',
    'SELECT stats_json FROM engine_runs ORDER BY run_id DESC LIMIT 1',
  ]);

async function demoStore(): Promise<Store> {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-grouping-')), 'store.db'));
  stores.push(store);
  await generateDemo(store, { scale: 0.2, seed: 77, operatorId: 'test' });
  // dangling rows (DATA.md: kept and counted): an event and an order of an unknown customer
  store.sqlite.exec(`
    INSERT INTO referral_events (event_id, partner_id, customer_id, kind, occurred_at, ip, import_id)
      SELECT 'EV-DANGLING', partner_id, 'NO-SUCH-CUSTOMER', 'visit', occurred_at, '10.9.9.9', import_id FROM referral_events LIMIT 1;
    INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id)
      SELECT 'O-DANGLING', 'NO-SUCH-CUSTOMER', product_line, billing, subscription, paid_fen, ordered_at, import_id FROM orders LIMIT 1;`);
  return store;
}

describe('same-person grouping in a worker thread (full recompute of a large store)', () => {
  const asOf = t('2026-11-21 00:00:00');

  it('R-SAME-1, R-RECALC-1: gives exactly the results of grouping in the engine thread, and checkpoints the WAL after the commit', async () => {
    const reference = await demoStore();
    const inline = recomputeFull(reference, { asOf, grouping: { workerFile: null } });
    const expected = snapshot(reference);
    expect(inline.stats.samePersonGroups).toBeGreaterThan(10);
    expect(inline.stats.dangling.sample).toContain('event EV-DANGLING: unknown customer');

    // the same store (same seed), never recomputed: its file holds the sources only
    const store = await demoStore();
    const db = store.sqlite;
    const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true });
    const sourcesOnly = statSync(store.file).size;
    const parallel = recomputeFull(store, { asOf, grouping: { workerFile, minCustomers: 0 } });
    expect(snapshot(store)).toEqual(expected);
    expect(parallel.stats).toEqual(inline.stats);
    // the engine's connection checkpoints automatically again, and the worker copied the
    // results from the WAL into the database file, which now holds every page of the store
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(autoCheckpoint);
    await backgroundWork();
    const pages =
      (db.pragma('page_count', { simple: true }) as number) *
      (db.pragma('page_size', { simple: true }) as number);
    expect(pages).toBeGreaterThan(sourcesOnly);
    expect(statSync(store.file).size).toBe(pages);
  });

  it('a failing grouping worker fails the recompute with its reason, and the stored results stay as they were', async () => {
    const store = await demoStore();
    recomputeFull(store, { asOf, grouping: { workerFile: null } });
    const before = snapshot(store);
    expect(() =>
      recomputeFull(store, {
        asOf: asOf + 86_400_000,
        grouping: { workerFile: failingWorker, minCustomers: 0 },
      }),
    ).toThrow(/grouping worker failed: disk on fire/);
    expect(snapshot(store)).toEqual(before);
    // the store is usable: the next recompute runs
    expect(recomputeFull(store, { asOf, grouping: { workerFile: null } }).stats.orders).toBeGreaterThan(0);
  });

  it('refuses a grouping of other accounts than the recompute read (the store changed in between)', async () => {
    const store = await demoStore();
    const data = computeGrouping(store.sqlite);
    const customers = store.sqlite
      .prepare('SELECT customer_id FROM customers ORDER BY customer_id')
      .pluck()
      .all() as string[];
    const partners = store.sqlite
      .prepare('SELECT partner_id FROM partners ORDER BY partner_id')
      .pluck()
      .all() as string[];
    expect(groupingResult(data, customers, partners).edges.length).toBe(data.edgeA.length);
    const renamed = [...customers];
    renamed[7] = `${renamed[7]}x`;
    expect(() => groupingResult(data, renamed, partners)).toThrow(/other accounts/);
    expect(() => groupingResult(data, customers.slice(1), partners)).toThrow(/other accounts/);
  });
});
