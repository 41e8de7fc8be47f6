import { afterEach, describe, expect, it } from 'vitest';
import { compute, smallWorld, type World } from '../test-support/world';
import { recomputeFull } from './recompute';
import {
  capturedChanges,
  completeSnapshot,
  installCapture,
  removeCapture,
  snapshotCapture,
  type Captured,
} from './capture';

let w: World;
afterEach(async () => w?.close());

function small() {
  w = smallWorld();
}

const TABLES: Captured[] = ['orders', 'partners', 'payouts', 'members'];

/** What each capture reports for the same writes, inside a transaction rolled back afterwards. */
function report(how: 'triggers' | 'snapshot', writes: (db: World['store']['sqlite']) => void) {
  const db = w.store.sqlite;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (how === 'triggers') installCapture(db, ['attributions']);
    else snapshotCapture(db, ['attributions']);
    writes(db);
    if (how === 'snapshot') completeSnapshot(db, ['attributions']);
    return Object.fromEntries(TABLES.map((t) => [t, capturedChanges(db, t)]));
  } finally {
    removeCapture(db);
    db.exec('ROLLBACK');
  }
}

describe('R-OP-2: a full run inside a decision is compared with a copy of the rows before it', () => {
  it('the copy reports what the row-by-row capture reports: changed, removed, added and rewritten rows', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    // the temp schema's name on each dialect
    const temp = w.store.dialect === 'postgres' ? 'pg_temp' : 'temp';
    const writes = (db: World['store']['sqlite']) => {
      // a rebate changed, an order gone, an order added, a partner rewritten as it was
      db.exec("UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = 'O1'");
      db.exec("DELETE FROM result_orders WHERE order_id = 'O2'");
      db.exec(
        `CREATE TEMP TABLE o AS SELECT * FROM result_orders WHERE order_id = 'O3'; UPDATE ${temp}.o SET order_id = 'O9'; INSERT INTO result_orders SELECT * FROM ${temp}.o; DROP TABLE ${temp}.o`,
      );
      db.exec(
        `CREATE TEMP TABLE p AS SELECT * FROM result_partners WHERE partner_id = 'P2'; DELETE FROM result_partners WHERE partner_id = 'P2'; INSERT INTO result_partners SELECT * FROM ${temp}.p; DROP TABLE ${temp}.p`,
      );
      // two accounts joined (a two-key table: members)
      db.exec("INSERT INTO result_same_person VALUES ('customer', 'C1', 'G1'), ('customer', 'C3', 'G1')");
    };
    const byTriggers = report('triggers', writes);
    expect(byTriggers.orders.map((c) => c.key.order_id)).toEqual(['O1', 'O2', 'O9']);
    expect(byTriggers.partners).toEqual([]);
    expect(byTriggers.members.map((c) => c.key.member_id)).toEqual(['C1', 'C3']);
    expect(report('snapshot', writes)).toEqual(byTriggers);
  });

  it('a whole full recompute with another level table: both captures list the same changes', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    const rerun = (db: World['store']['sqlite']) => {
      db.exec(
        'UPDATE rule_configs SET config_json = replace(config_json, \'"ratio_bp":2000\', \'"ratio_bp":3000\')',
      );
      recomputeFull(w.store, { asOf: Date.parse('2026-06-30T00:00:00+08:00') });
    };
    const byTriggers = report('triggers', rerun);
    expect(byTriggers.orders.length).toBeGreaterThan(0);
    expect(report('snapshot', rerun)).toEqual(byTriggers);
  });
});
