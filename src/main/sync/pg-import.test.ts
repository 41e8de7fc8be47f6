// Imports on a team database (issue 13, pg-bulk.ts): the same files imported into a SQLite store and
// a PostgreSQL one give the same counts (added / updated / unchanged / rejected / dangling) and the
// same rows, import_id included; a refused or cancelled import leaves nothing. Needs PostgreSQL:
// runs under `npm run test:pg` (YUNKE_TEST_DB=postgres) and is skipped on SQLite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sources, type SourceName } from '../sources';
import { defineSource, id, money, oneOf, time } from '../sources/define';
import { openStore, type Store } from '../store/open-store';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { actor } from '../test-support/actors';
import { freshPgDatabase, onPostgres } from '../test-support/dialect';
import { dataTables } from './fixtures/store-dump';
import { validCsv } from './fixtures/rows';
import { importFile, type ImportFileOptions } from './import-file';
import { pgSourceWriter, sourceWriterFor } from './pg-bulk';
import { pullAll } from './pull';
import { RowProcessor } from './row-processor';
import { sqliteBegin, sqliteCommit, sqliteSourceWriter, type SourceWriter } from './sqlite-bulk';
import { startTestApiServer } from './test-server';

let dir: string;
let lite: Store;
let team: Store;
let drop: () => Promise<void>;

beforeEach(async () => {
  if (!onPostgres) return;
  dir = mkdtempSync(join(tmpdir(), 'yunke-pgimport-'));
  lite = openStore(join(dir, 'store.db'));
  const fresh = await freshPgDatabase();
  drop = fresh.drop;
  team = openStore(fresh.url);
});
afterEach(async () => {
  if (!onPostgres) return;
  await lite.close();
  await team.close();
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** Imports a file into both stores; expects the same outcome and returns it. */
async function both(source: SourceName, path: string, extra: Partial<ImportFileOptions> = {}) {
  const opts = { path, source, skipInvalid: false, actor: actor('tester'), ...extra };
  const a = await importFile(lite, opts);
  const b = await importFile(team, opts);
  expect(b.status, b.error?.message).toBe(a.status);
  expect(b.counts).toEqual(a.counts);
  expect(b.rejections.map((r) => [r.line, r.code])).toEqual(a.rejections.map((r) => [r.line, r.code]));
  return a;
}

/**
 * Every row of the data tables and the import history, in key order. import_id is replaced by
 * the import's place in the history: a rolled-back import's id comes again on SQLite (rowid) and
 * not on PostgreSQL (a sequence), so the numbers may differ while naming the same imports.
 */
function contents(store: Store) {
  const ids = store.sqlite
    .prepare('SELECT import_id FROM imports ORDER BY import_id')
    .pluck()
    .all() as number[];
  const place = (v: unknown) => (v === null ? null : ids.indexOf(v as number) + 1);
  const out: Record<string, unknown[]> = {};
  for (const t of [...dataTables, 'imports', 'import_rejections']) {
    const rows = store.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all() as Record<
      string,
      unknown
    >[];
    out[t] = rows.map((r) => {
      const o = { ...r };
      if ('import_id' in o) o.import_id = place(o.import_id);
      if (t === 'imports') {
        o.duration_ms = 0;
        o.started_at = 0;
      }
      if (t === 'api_sources') o.last_pull_at = 0;
      if (t === 'import_rejections') delete o.rejection_id;
      return o;
    });
  }
  return out;
}

const sameContents = () => expect(contents(team)).toEqual(contents(lite));

const ordersHeader = 'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n';
const orderLine = (i: number, customer = `C${i % 3}`, amount = 100 + (i % 50)) =>
  `O${i},${customer},ecs,${i % 3 ? 'prepaid' : 'postpaid'},${i % 2 ? 'true' : 'false'},${amount}.50,2026-03-${String(1 + (i % 28)).padStart(2, '0')} 12:00:00\n`;
const ordersCsv = (n: number, line = (i: number) => orderLine(i)) => {
  let s = ordersHeader;
  for (let i = 0; i < n; i++) s += line(i);
  return s;
};

describe.skipIf(!onPostgres)('imports on a team database count and write as on SQLite', () => {
  it('picks the buffered writer on a team database and the per-row one on a SQLite store', () => {
    expect(team.sqlite).toBeInstanceOf(PgSyncPort);
    team.sqlite.exec('BEGIN IMMEDIATE');
    expect(
      sourceWriterFor(team.sqlite, sources.orders, 1).upsert(['O1', 'C1', 'ecs', 'prepaid', 0, 1, 1]),
    ).toBe(null);
    team.sqlite.exec('ROLLBACK');
    lite.sqlite.exec('BEGIN IMMEDIATE');
    expect(
      sourceWriterFor(lite.sqlite, sources.orders, 1).upsert(['O1', 'C1', 'ecs', 'prepaid', 0, 1, 1]),
    ).toBe('added');
    lite.sqlite.exec('ROLLBACK');
  });

  it('first import, re-import (all unchanged, old import_id kept) and an edited re-import', async () => {
    for (const [source, csv] of Object.entries(validCsv)) {
      const r = await both(source as SourceName, file(`${source}.csv`, csv));
      expect(r.status).toBe('committed');
    }
    sameContents();
    // the same files again: nothing changes, every row keeps the import that wrote it
    for (const [source, csv] of Object.entries(validCsv)) {
      const r = await both(source as SourceName, file(`${source}.csv`, csv));
      expect(r.counts.unchanged).toBeGreaterThan(0);
      expect(r.counts.added + r.counts.updated).toBe(0);
    }
    sameContents();
    // edited: O1 changed, O2 unchanged, O3 new; login_ips (a key of every column) again + one new
    const edited = await both(
      'orders',
      file(
        'orders2.csv',
        validCsv.orders.replace('O1,C1,ecs,prepaid,false,1000', 'O1,C1,ecs,prepaid,true,1000') +
          'O3,C9,cdn,prepaid,,10,2026-03-07 12:00:00\n',
      ),
    );
    expect(edited.counts).toEqual({ added: 1, updated: 1, unchanged: 1, rejected: 0, dangling: 1 });
    const ips = await both(
      'login_ips',
      file('ips2.csv', validCsv.login_ips + 'C2,10.1.0.3,2026-03-02 09:00:00\n'),
    );
    expect(ips.counts).toMatchObject({ added: 1, updated: 0, unchanged: 2 });
    sameContents();
  });

  it('dangling references: to missing customers, orders, partners (a row counts once)', async () => {
    await both('customers', file('c.csv', validCsv.customers));
    await both('partners', file('p.csv', validCsv.partners));
    const ev = await both(
      'referral_events',
      file(
        'e.csv',
        'event_id,partner_id,customer_id,kind,occurred_at,ip\n' +
          'E1,P1,C1,register,2026-03-01 10:00:00,\n' + // both exist
          'E2,P9,C1,login,2026-03-01 10:00:00,\n' + // partner missing
          'E3,P1,C9,login,2026-03-01 10:00:00,\n' + // customer missing
          'E4,P9,C9,visit,2026-03-01 10:00:00,\n', // both missing: one dangling row
      ),
    );
    expect(ev.counts).toMatchObject({ added: 4, dangling: 3 });
    // refunds naming orders of a later import dangle; once the orders are there, they do not
    const r1 = await both(
      'refunds',
      file('r.csv', 'refund_id,order_id,kind,amount,refunded_at\nR1,O1,refund,1,2026-03-12 10:00:00\n'),
    );
    expect(r1.counts).toMatchObject({ added: 1, dangling: 1 });
    await both('orders', file('o.csv', validCsv.orders));
    const r2 = await both(
      'refunds',
      file('r.csv', 'refund_id,order_id,kind,amount,refunded_at\nR1,O1,refund,1,2026-03-12 10:00:00\n'),
    );
    expect(r2.counts).toMatchObject({ unchanged: 1, dangling: 0 });
    sameContents();
  });

  it('many rows over several flushes: first import, re-import, an edited re-import', async () => {
    await both('customers', file('c.csv', validCsv.customers)); // C1, C2 exist; C0 does not
    const big = 120_000; // flushes of 4,000, 8,000 … 50,000 rows
    const first = await both('orders', file('o.csv', ordersCsv(big)));
    expect(first.counts).toEqual({ added: big, updated: 0, unchanged: 0, rejected: 0, dangling: big / 3 });
    const again = await both('orders', file('o.csv', ordersCsv(big)));
    expect(again.counts).toEqual({ added: 0, updated: 0, unchanged: big, rejected: 0, dangling: big / 3 });
    // every 7th row changes its amount, 1,000 new rows at the end
    const edited = await both(
      'orders',
      file(
        'o2.csv',
        ordersCsv(big + 1000, (i) => orderLine(i, `C${i % 3}`, i % 7 === 0 ? 999 : 100 + (i % 50))),
      ),
    );
    expect(edited.counts.added).toBe(1000);
    expect(edited.counts.updated).toBe(Math.ceil(big / 7));
    sameContents();
  });

  it('dangling references over many small flushes: values seen in an earlier flush, two references per row', async () => {
    await both('customers', file('c.csv', validCsv.customers)); // C1, C2
    await both('partners', file('p.csv', validCsv.partners));
    // partners P1 (exists) / P9 (missing), customers C1, C2 (exist) / C9 (missing)
    const spec = Array.from({ length: 40 }, (_, i) => [
      `E${i}`,
      i % 3 === 0 ? 'P9' : 'P1',
      i % 5 === 0 ? 'C9' : i % 7 === 0 ? 'C2' : 'C1',
    ]);
    const rows = spec.map(([e, p, c]) => [e, p, c, 'login', '2026-03-01 10:00:00', undefined]);
    const run = (store: Store, writer: SourceWriter) => {
      sqliteBegin(store.sqlite);
      const proc = new RowProcessor(sources.referral_events, 'e.csv', writer, () => {});
      rows.forEach((r, i) => proc.processCells(i + 2, r));
      proc.finish();
      sqliteCommit(store.sqlite);
      return proc.counts;
    };
    const expected = run(lite, sqliteSourceWriter(lite.sqlite, sources.referral_events, 1));
    expect(expected.dangling).toBe(spec.filter(([, p, c]) => p === 'P9' || c === 'C9').length);
    // an empty table (COPY straight into it), then the same rows again (through the stage)
    for (const flushRows of [3, 1000]) {
      team.sqlite.exec('DELETE FROM referral_events');
      expect(
        run(team, pgSourceWriter(team.sqlite as PgSyncPort, sources.referral_events, 1, { flushRows })),
      ).toEqual(expected);
      expect(
        run(team, pgSourceWriter(team.sqlite as PgSyncPort, sources.referral_events, 1, { flushRows })),
      ).toEqual({ ...expected, added: 0, unchanged: expected.added });
    }
  });

  it('--skip-invalid lands the valid rows and records the rejected ones, as on SQLite', async () => {
    const csv =
      ordersHeader +
      orderLine(1) +
      'O2,C1,ecs,monthly,false,1,2026-03-01 12:00:00\n' + // bad billing
      orderLine(3) +
      'O1,C1,ecs,prepaid,false,1,2026-03-01 12:00:00\n' + // duplicate key
      'O5,C1,ecs,prepaid,false,abc,2026-03-01 12:00:00\n' + // bad money
      orderLine(6);
    const r = await both('orders', file('o.csv', csv), { skipInvalid: true });
    expect(r.counts).toMatchObject({ added: 3, rejected: 3, dangling: 3 });
    sameContents();
  });

  it('a refused and a cancelled import leave nothing on PostgreSQL (even after a flush)', async () => {
    const refusedCsv = ordersCsv(60_000) + 'O-bad,C1,ecs,monthly,false,1,2026-03-01 12:00:00\n';
    const refused = await both('orders', file('bad.csv', refusedCsv));
    expect(refused.status).toBe('refused');
    expect(refused.counts).toEqual({ added: 0, updated: 0, unchanged: 0, rejected: 1, dangling: 0 });
    const cancel = async (store: Store) => {
      const ac = new AbortController();
      return importFile(store, {
        path: file('many.csv', ordersCsv(80_000)),
        source: 'orders',
        skipInvalid: false,
        actor: actor('tester'),
        signal: ac.signal,
        batchSize: 1000,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.rows >= 60_000) ac.abort();
        },
      });
    };
    const a = await cancel(lite);
    const b = await cancel(team);
    expect([a.status, b.status]).toEqual(['cancelled', 'cancelled']);
    expect(b.counts).toEqual(a.counts);
    for (const store of [lite, team])
      expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
    // the stage tables went with the transactions
    expect(
      (team.sqlite as PgSyncPort).query("SELECT count(*) FROM pg_class WHERE relname LIKE 'yk_stage_%'")
        .rows[0][0],
    ).toBe(0);
    sameContents();
    expect(
      (team.sqlite.prepare('SELECT status FROM imports ORDER BY import_id').pluck().all() as string[]).slice(
        -2,
      ),
    ).toEqual(['failed', 'cancelled']);
  });

  it('a pull writes its pages through the same writer, with the counts of SQLite', async () => {
    const order = (i: number) => ({
      order_id: `O${i}`,
      customer_id: `C${i % 3}`,
      product_line: 'ecs',
      billing: 'prepaid',
      subscription: i % 2 === 0,
      paid_amount: `${100 + i}.50`,
      ordered_at: '2026-03-05 12:00:00',
    });
    const items = Array.from({ length: 45 }, (_, i) => order(i));
    items[7] = { ...items[7], billing: 'weekly' };
    const server = await startTestApiServer({ pageSize: 10, items: { orders: items } });
    try {
      await both('customers', file('c.csv', validCsv.customers));
      const config = {
        sources: { orders: { url: `${server.url}/orders`, token: server.token } },
        retries: 0,
      };
      const a = await pullAll(lite, config, { actor: actor('tester') });
      const b = await pullAll(team, config, { actor: actor('tester') });
      expect(b.map((x) => [x.status, x.pages, x.counts])).toEqual(
        a.map((x) => [x.status, x.pages, x.counts]),
      );
      expect(a[0].counts).toMatchObject({ added: 44, rejected: 1, dangling: 15 });
      sameContents();
    } finally {
      await server.close();
    }
  });
});

// A source whose rows name rows of its own table (none of DATA.md's does today; the writers
// support it): here a refund's `order_id` names another refund. SQLite checks a row's references right after
// writing it, so a row may name itself or a row above it in the file, but not one below it (unless
// that row was already in the store).
const selfReferencing = defineSource({
  name: 'refunds',
  labelZh: '测试',
  key: ['refund_id'],
  columns: [
    id('refund_id', []),
    id('order_id', []),
    oneOf('kind', [], ['refund', 'downgrade'], true),
    money('amount', [], 'amount_fen'),
    time('refunded_at', [], true),
  ],
  references: [{ column: 'order_id', table: 'refunds' as 'orders', keyColumn: 'refund_id' }],
});

describe.skipIf(!onPostgres)('references to the importing table itself', () => {
  const rows = (spec: [string, string][]) =>
    spec.map(([k, parent]) => [k, parent, 'refund', '1', '2026-03-01 10:00:00']);

  function write(store: Store, writer: (store: Store) => SourceWriter, spec: [string, string][]) {
    sqliteBegin(store.sqlite);
    const proc = new RowProcessor(selfReferencing, 'x.csv', writer(store), () => {});
    rows(spec).forEach((r, i) => proc.processCells(i + 2, r));
    proc.finish();
    sqliteCommit(store.sqlite);
    return proc.counts;
  }

  it('a row names itself, a row above, a row below, a row of an earlier import (flushes of 2 rows)', async () => {
    await both('orders', file('o.csv', validCsv.orders)); // O1, O2
    const first: [string, string][] = [
      ['X1', 'X1'], // itself: exists
      ['X2', 'X1'], // above (same flush): exists
      ['X3', 'X5'], // below: dangles
      ['X4', 'X2'], // above (earlier flush): exists
      ['X5', 'X3'], // above (earlier flush)
      ['X6', 'O1'], // an order, not a refund: dangles
      ['X7', 'Z9'], // nothing: dangles
      ['X8', 'X9'], // next row, same flush: dangles
      ['X9', 'X8'],
    ];
    const second: [string, string][] = [
      ['X3', 'X5'], // below in this file but in the store since the first import: exists
      ['Y1', 'Y2'], // below: dangles
      ['Y2', 'X7'],
      ['X7', 'Y1'], // changed: updated, its parent above
    ];
    const results = [];
    for (const [store, make] of [
      [lite, (s: Store) => sqliteSourceWriter(s.sqlite, selfReferencing, 1)],
      [team, (s: Store) => pgSourceWriter(s.sqlite as PgSyncPort, selfReferencing, 1, { flushRows: 2 })],
      [team, (s: Store) => pgSourceWriter(s.sqlite as PgSyncPort, selfReferencing, 2, { flushRows: 1000 })],
    ] as const) {
      if (store === team) team.sqlite.exec('DELETE FROM refunds');
      const a = write(store, make, first);
      const b = write(store, make, second);
      results.push([a, b]);
    }
    expect(results[0]).toEqual([
      { added: 9, updated: 0, unchanged: 0, rejected: 0, dangling: 4 },
      { added: 2, updated: 1, unchanged: 1, rejected: 0, dangling: 1 },
    ]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});
