import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate';
import { openStore, type Store } from '../store/open-store';
import { backgroundWork } from './full-run';
import { groupingResult } from '../rules/grouping';
import { computeGrouping } from './compute-grouping';
import { recomputeFull } from './recompute';
import { resultSnapshot, t } from '../test-support/world';
import { actor } from '../test-support/actors';
import { bundleWorker } from '../test-support/bundle-worker';
import { onTeamSuite } from '../test-support/dialect';

// the worker as the app and the CLI run it, bundled from these sources
let worker: Awaited<ReturnType<typeof bundleWorker>>;
let workerFile: string;
const stores: Store[] = [];

beforeAll(async () => {
  worker = await bundleWorker(join(import.meta.dirname, 'full-run-worker.ts'));
  workerFile = worker.file;
});
afterAll(async () => {
  await backgroundWork();
  await Promise.all(stores.map((s) => s.close()));
  worker.dispose();
});

// besides every result table: edges in the order they were written (rowid), as the grouping's
// own order must not change, and the run's stats
const snapshot = (s: Store) =>
  resultSnapshot(s, [
    'SELECT * FROM result_same_person_edges ORDER BY rowid',
    'SELECT stats_json FROM engine_runs ORDER BY run_id DESC LIMIT 1',
  ]);

const resultIndexes = (s: Store) =>
  s.sqlite
    .prepare(
      "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'result%' ORDER BY name",
    )
    .all() as { name: string; tbl_name: string; sql: string | null }[];

async function demoStore(): Promise<Store> {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-grouping-')), 'store.db'));
  stores.push(store);
  await generateDemo(store, { scale: 0.2, seed: 77, actor: actor('test') });
  // dangling rows (DATA.md: kept and counted): an event and an order of an unknown customer
  store.sqlite.exec(`
    INSERT INTO referral_events (event_id, partner_id, customer_id, kind, occurred_at, ip, import_id)
      SELECT 'EV-DANGLING', partner_id, 'NO-SUCH-CUSTOMER', 'visit', occurred_at, '10.9.9.9', import_id FROM referral_events LIMIT 1;
    INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id)
      SELECT 'O-DANGLING', 'NO-SUCH-CUSTOMER', product_line, billing, subscription, paid_fen, ordered_at, import_id FROM orders LIMIT 1;`);
  return store;
}

// a helper thread opens the store file; a team database's run stays on its connection (full-run.ts)
describe.skipIf(onTeamSuite)(
  'full recompute with a helper thread (grouping and result writing beside the engine)',
  () => {
    const asOf = t('2026-11-21 00:00:00');

    it('R-SAME-1, R-RECALC-1: gives exactly the results of a recompute in the engine thread alone, and checkpoints the WAL after the commit', async () => {
      const reference = await demoStore();
      const inline = recomputeFull(reference, { asOf, parallel: { workerFile: null } });
      const expected = snapshot(reference);
      expect(inline.stats.samePersonGroups).toBeGreaterThan(10);
      expect(inline.stats.dangling.sample).toContain('event EV-DANGLING: unknown customer');

      // the same store (same seed), never recomputed: its file holds the sources only
      const store = await demoStore();
      const db = store.sqlite;
      const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true });
      const sourcesOnly = statSync(store.file).size;
      const parallel = recomputeFull(store, { asOf, parallel: { workerFile, minCustomers: 0 } });
      expect(snapshot(store)).toEqual(expected);
      expect(parallel.stats).toEqual(inline.stats);
      // every result index is back, as the schema defines it (the helper drops them for the bulk
      // insert and builds them again before the commit)
      expect(resultIndexes(store)).toEqual(resultIndexes(reference));
      expect(resultIndexes(store).map((r) => r.name)).toEqual(
        expect.arrayContaining([
          'result_attributions_event',
          'result_orders_valid',
          'result_same_person_group',
        ]),
      );
      expect(
        db.prepare('EXPLAIN QUERY PLAN SELECT * FROM result_attributions WHERE event_id = ?').raw().all('x'),
      ).toEqual([expect.arrayContaining([expect.stringContaining('USING INDEX result_attributions_event')])]);
      // the engine's connection keeps its automatic checkpoints, and the helper copied the
      // results from the WAL into the database file, which now holds every page of the store
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(autoCheckpoint);
      await backgroundWork();
      const pages =
        (db.pragma('page_count', { simple: true }) as number) *
        (db.pragma('page_size', { simple: true }) as number);
      expect(pages).toBeGreaterThan(sourcesOnly);
      expect(statSync(store.file).size).toBe(pages);
    });

    it('R-RECALC-1: a helper that fails while writing fails the recompute with its reason; the stored results stay as they were', async () => {
      const store = await demoStore();
      recomputeFull(store, { asOf, parallel: { workerFile: null } });
      const before = snapshot(store);
      // the store refuses evidence rows (as a full disk would refuse a page); a schema trigger, so
      // that the helper's connection has it too
      store.sqlite.exec(
        "CREATE TRIGGER refuse_edges BEFORE INSERT ON result_same_person_edges BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
      );
      expect(() =>
        recomputeFull(store, { asOf: asOf + 86_400_000, parallel: { workerFile, minCustomers: 0 } }),
      ).toThrow(/full recompute helper failed: disk on fire/);
      store.sqlite.exec('DROP TRIGGER refuse_edges');
      expect(snapshot(store)).toEqual(before);
      // the lock is free again: the next recompute runs, with the helper too
      recomputeFull(store, { asOf, parallel: { workerFile, minCustomers: 0 } });
      expect(snapshot(store)).toEqual(before);
    });

    it('R-RECALC-1: when the engine fails half-way, the helper rolls back and the store stays usable', async () => {
      const store = await demoStore();
      recomputeFull(store, { asOf, parallel: { workerFile: null } });
      const before = snapshot(store);
      let calls = 0;
      const now = () => {
        // the second call comes once every row has been sent, before the commit
        if (++calls === 2) throw new Error('engine gave up');
        return Date.parse('2026-11-26T00:00:00Z');
      };
      expect(() =>
        recomputeFull(store, { asOf: asOf + 86_400_000, now, parallel: { workerFile, minCustomers: 0 } }),
      ).toThrow(/engine gave up/);
      expect(snapshot(store)).toEqual(before);
      expect(store.sqlite.inTransaction).toBe(false);
      recomputeFull(store, { asOf, parallel: { workerFile, minCustomers: 0 } });
      expect(snapshot(store)).toEqual(before);
    });

    it('refuses a grouping of other accounts than the recompute read (the store changed in between)', async () => {
      const store = await demoStore();
      const data = computeGrouping(store.sqlite, asOf);
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
  },
);
