import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate';
import { openStore, type Store } from '../store/open-store';
import { recomputeFull, recomputeIncremental } from './recompute';
import { resultSnapshot, t } from '../test-support/world';
import { actor } from '../test-support/actors';

const stores: Store[] = [];
afterAll(async () => Promise.all(stores.map((s) => s.close())));

const snapshot = (s: Store) => resultSnapshot(s);

describe('incremental recompute on the demo dataset', () => {
  it('R-RECALC-1: after 1,000 new orders (and their refunds) arrive, incremental equals full exactly', async () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-inc-demo-')), 'store.db'));
    stores.push(store);
    await generateDemo(store, { scale: 0.2, seed: 4242, actor: actor('test') });
    const db = store.sqlite;
    const asOf = t('2026-11-21 00:00:00');

    // Hold back the 1,000 latest orders and their refunds, as if a later export brought them.
    db.exec(
      `CREATE TEMP TABLE later_orders AS SELECT * FROM orders ORDER BY ordered_at DESC, order_id LIMIT 1000`,
    );
    db.exec(
      `CREATE TEMP TABLE later_refunds AS SELECT * FROM refunds WHERE order_id IN (SELECT order_id FROM later_orders)`,
    );
    db.exec(`DELETE FROM refunds WHERE refund_id IN (SELECT refund_id FROM later_refunds)`);
    db.exec(`DELETE FROM orders WHERE order_id IN (SELECT order_id FROM later_orders)`);
    recomputeFull(store, { asOf });
    const before = snapshot(store);

    const importId = Number(
      db
        .prepare(
          "INSERT INTO imports (source, origin, file_name, operator_id, started_at, status) VALUES ('orders', 'file', 'later.csv', 'test', 0, 'committed')",
        )
        .run().lastInsertRowid,
    );
    db.prepare(
      'INSERT INTO orders SELECT order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, ? FROM later_orders',
    ).run(importId);
    db.prepare(
      'INSERT INTO refunds SELECT refund_id, order_id, kind, amount_fen, refunded_at, ? FROM later_refunds',
    ).run(importId);

    const inc = recomputeIncremental(store, { importIds: [importId] });
    expect(inc.mode).toBe('incremental');
    const incremental = snapshot(store);
    expect(incremental).not.toBe(before); // the new orders did change results

    recomputeFull(store, { asOf });
    expect(incremental).toBe(snapshot(store));
  }, 120_000);
});
