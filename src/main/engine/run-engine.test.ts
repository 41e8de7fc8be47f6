import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store';
import { findWorker } from '../workers';
import { runEngine, warmEngine } from './run-engine';
import { PARALLEL_MIN_CUSTOMERS } from './full-run';
import { world, type World } from '../test-support/world';
import { onTeamSuite } from '../test-support/dialect';

const root = resolve(import.meta.dirname, '../../..');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });
});

let w: World;
afterEach(async () => w?.close());

function small() {
  w = world()
    .partner('P1')
    .customer('C1')
    .event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00')
    .order('O1', 'C1', '2026-03-02 10:00:00', 1000);
  return w;
}

const results = (x: World) =>
  JSON.stringify(x.store.sqlite.prepare('SELECT * FROM result_orders ORDER BY order_id').all()) +
  JSON.stringify(x.store.sqlite.prepare('SELECT * FROM result_partners ORDER BY partner_id').all());

describe('engine runs off the main thread (R-RECALC-1)', () => {
  it('a worker-thread run gives exactly what an inline run gives', async () => {
    expect(findWorker('engine-worker')).not.toBeNull();
    small();
    const asOf = Date.parse('2026-11-01T00:00:00+08:00');
    const inWorker = await runEngine(w.store, { kind: 'full', asOf });
    expect(inWorker.stats.validOrders).toBe(1);
    const viaWorker = results(w);
    await runEngine(w.store, { kind: 'full', asOf }, { workerFile: null });
    expect(results(w)).toBe(viaWorker);
    expect(w.store.sqlite.prepare('SELECT rebate_fen FROM result_orders').pluck().get()).toBe(20000);
  });

  it('keeps the event loop free while it runs, and serializes runs of one store', async () => {
    small();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const [a, b] = await Promise.all([
      runEngine(w.store, { kind: 'full' }),
      runEngine(w.store, { kind: 'full' }),
    ]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(b.runId).toBe(a.runId + 1);
  });

  it.skipIf(onTeamSuite)(
    'keeps its connection to a store between jobs and ends it before the store closes: the file alone then holds every result',
    async () => {
      small();
      const file = w.store.file;
      const asOf = Date.parse('2026-11-01T00:00:00+08:00');
      await runEngine(w.store, { kind: 'full', asOf });
      const second = await runEngine(w.store, { kind: 'full', asOf });
      expect(second.stats.validOrders).toBe(1);
      await w.close();
      // no connection is left: the last one to close checkpointed and removed the WAL
      expect(existsSync(`${file}-wal`)).toBe(false);
      const copy = `${file}.copy`;
      copyFileSync(file, copy);
      const raw = new BetterSqlite3(copy, { readonly: true });
      expect(raw.prepare('SELECT COUNT(*) FROM engine_runs').pluck().get()).toBe(2);
      expect(raw.prepare('SELECT rebate_fen FROM result_orders').pluck().get()).toBe(20000);
      raw.close();
      rmSync(copy);
    },
  );

  it.skipIf(onTeamSuite || process.platform !== 'linux')(
    'a store large enough for a full run’s helper thread: its close waits for the helper’s checkpoint and close, so no thread has the file open once it resolves (a restore renames it and its log next)',
    async () => {
      w = world().partner('P1');
      w.store.sqlite.transaction(() => {
        for (let i = 0; i < PARALLEL_MIN_CUSTOMERS; i++) w.customer(`C${i}`);
        w.event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00').order(
          'O1',
          'C1',
          '2026-03-02 10:00:00',
          1000,
        );
      })();
      const file = realpathSync(w.store.file);
      const openOnFile = () =>
        readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
          } catch {
            return false; // closed meanwhile
          }
        });
      const run = await runEngine(w.store, { kind: 'full', asOf: Date.parse('2026-11-01T00:00:00+08:00') });
      expect(run.fullRun).toBe('helper');
      expect(run.stats.customers).toBe(PARALLEL_MIN_CUSTOMERS);
      expect(run.stats.validOrders).toBe(1);
      expect(openOnFile()).not.toEqual([]); // this thread's connection, at least
      await w.close();
      expect(openOnFile()).toEqual([]);
      expect(existsSync(`${file}-wal`)).toBe(false);
    },
    120_000,
  );

  it.skipIf(onTeamSuite)(
    'checkpoints the WAL once idle, not in the commit of each job: the store file alone then holds the run',
    async () => {
      small();
      const file = w.store.file;
      await runEngine(w.store, { kind: 'full', asOf: Date.parse('2026-11-01T00:00:00+08:00') });
      await new Promise((r) => setTimeout(r, 1500));
      const copy = `${file}.copy`;
      copyFileSync(file, copy);
      const raw = new BetterSqlite3(copy, { readonly: true });
      expect(raw.prepare('SELECT COUNT(*) FROM engine_runs').pluck().get()).toBe(1);
      expect(raw.prepare('SELECT rebate_fen FROM result_orders').pluck().get()).toBe(20000);
      raw.close();
      rmSync(copy);
    },
  );

  it.skipIf(onTeamSuite)(
    'reads a store opened again on a replaced file, not through the connection of the closed one',
    async () => {
      small();
      const file = w.store.file;
      const asOf = Date.parse('2026-11-01T00:00:00+08:00');
      await runEngine(w.store, { kind: 'full', asOf });
      await w.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      // the same path, another store: no order now
      w = world();
      copyFileSync(w.store.file, file);
      await w.close();
      const again = openStore(file);
      try {
        const r = await runEngine(again, { kind: 'full', asOf });
        expect(r.stats.orders).toBe(0);
        expect(again.sqlite.prepare('SELECT COUNT(*) FROM result_orders').pluck().get()).toBe(0);
      } finally {
        await again.close();
      }
    },
  );

  it('warms the worker for a store without a job, and the warm connection ends with the store', async () => {
    small();
    const file = w.store.file;
    warmEngine(w.store);
    const run = await runEngine(w.store, { kind: 'full', asOf: Date.parse('2026-11-01T00:00:00+08:00') });
    expect(run.stats.validOrders).toBe(1);
    warmEngine(w.store);
    await w.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    // a closed store is not warmed again
    warmEngine(w.store);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('opens no connection for a store closed before any job (a restore moves its file away)', async () => {
    small();
    const file = w.store.file;
    await w.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    warmEngine(w.store);
    await new Promise((r) => setTimeout(r, 2000));
    // a worker connection would have created an empty store there
    expect(existsSync(file)).toBe(false);
  });

  it('reports an engine failure as an error, not a hang', async () => {
    small();
    await expect(runEngine(w.store, { kind: 'full', configVersion: 99 })).rejects.toThrow();
  });
});
