/**
 * Issue 13: a team database's full recompute computes the same-person grouping on a second
 * connection that takes the run's snapshot (engine/pg-grouping-worker.ts), beside the loading.
 * Its results are exactly those of a run on one connection.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate';
import { recomputeFull } from '../../engine/recompute';
import { actor } from '../../test-support/actors';
import { freshPgDatabase, onPostgres, onServer } from '../../test-support/dialect';
import { findWorker } from '../../workers';
import { openStore, type Store } from '../open-store';

const TABLES = {
  result_orders: 'order_id',
  result_attributions: 'event_id',
  result_partners: 'partner_id',
  result_same_person: 'member_kind, member_id',
  result_same_person_edges: 'group_id, a_kind, a_id, b_kind, b_id, evidence, value',
  result_payouts: 'partner_id, cycle_key',
  result_investigation: 'group_id',
};

describe.skipIf(!onPostgres)(
  'a full recompute with its grouping helper on a team database (issue 13)',
  () => {
    let store: Store;
    let drop: () => Promise<void> = async () => {};
    const asOf = Date.parse('2026-11-01T00:00:00+08:00');
    const dump = () =>
      Object.entries(TABLES).map(([t, key]) =>
        JSON.stringify(store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY ${key}`).raw(true).all()),
      );

    beforeAll(async () => {
      const fresh = await freshPgDatabase();
      drop = fresh.drop;
      store = openStore(fresh.url);
      await generateDemo(store, { scale: 0.1, seed: 5, actor: actor('tester') });
    }, 300_000);
    afterAll(async () => {
      await store?.close();
      await drop();
    });

    it('R-SAME-1, R-RECALC-1: gives exactly the results of a run on one connection', () => {
      const helper = findWorker('pg-grouping-worker');
      expect(helper, 'the grouping helper is built (node scripts/build-cli.mjs)').toBeTruthy();
      expect(recomputeFull(store, { asOf, parallel: { workerFile: null } }).fullRun).toBe('inline');
      const alone = dump();
      expect(JSON.parse(alone[0]).length).toBeGreaterThan(1000);
      // wipe the results, so that the second run must write every row again
      store.sqlite.exec('DELETE FROM result_orders');
      const run = recomputeFull(store, {
        asOf,
        parallel: { minCustomers: 0, workerFile: helper, pgGroupingWorker: helper! },
      });
      expect(run.fullRun).toBe('pg-grouping');
      expect(dump()).toEqual(alone);
    }, 300_000);

    it('R-RECALC-1: a desk whose role may hold one connection only still recomputes: the run groups on its own connection', async () => {
      const role = `yunke_one_conn_${process.pid}`;
      const fresh = await freshPgDatabase();
      const admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
      let own: Store | null = null;
      try {
        await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'one' CONNECTION LIMIT 1`);
        await admin.query(`ALTER DATABASE "${new URL(fresh.url).pathname.slice(1)}" OWNER TO ${role}`);
        const url = new URL(fresh.url);
        url.username = role;
        url.password = 'one';
        own = openStore(url.toString());
        await generateDemo(own, { scale: 0.05, seed: 5, actor: actor('tester') });
        const results = () =>
          JSON.stringify(
            own!.sqlite.prepare('SELECT * FROM result_orders ORDER BY order_id').raw(true).all(),
          );
        own.sqlite.exec('DELETE FROM result_orders');
        const helper = findWorker('pg-grouping-worker')!;
        const run = recomputeFull(own, {
          asOf,
          parallel: { minCustomers: 0, workerFile: helper, pgGroupingWorker: helper },
        });
        // the helper's connection was refused (too many connections for the role)
        expect(run.fullRun).toBe('inline');
        const grouped = results();
        expect(JSON.parse(grouped).length).toBeGreaterThan(500);
        recomputeFull(own, { asOf, parallel: { workerFile: null } });
        expect(results()).toBe(grouped);
      } finally {
        await own?.close();
        await admin.end();
        await fresh.drop();
        // (the role's objects went with its database)
        await onServer((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
      }
    }, 300_000);
  },
);
