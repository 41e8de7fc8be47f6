import { afterEach, describe, expect, it } from 'vitest';
import { compute, smallWorld, type World } from '../test-support/world';
import { recomputeFull } from './recompute';
import { CAPTURE_TRIGGERS_V2 } from '../store/schema/capture.sql';
import {
  CAPTURED,
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

describe('a team database captures with the schema’s triggers (migration 2), no DDL per decision', () => {
  it('its triggers keep the columns a change report compares (a change to CAPTURED needs a new migration)', () => {
    expect(CAPTURE_TRIGGERS_V2).toEqual(CAPTURED);
  });

  it('R-OP-2: outside a decision the triggers do nothing: results are written without capture tables; inside one, only its own transaction is captured', async () => {
    small();
    await compute(w, '2026-06-30 00:00:00');
    const db = w.store.sqlite;
    // no capture tables in this session, capture off: the writes go through as any run's do
    db.exec('BEGIN IMMEDIATE');
    db.exec("UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = 'O1'");
    db.exec("DELETE FROM result_orders WHERE order_id = 'O2'");
    db.exec('ROLLBACK');
    // a decision's transaction: captured; the next transaction of the same session is not
    const byTriggers = report('triggers', (d) =>
      d.exec("UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = 'O1'"),
    );
    expect(byTriggers.orders.map((c) => c.key.order_id)).toEqual(['O1']);
    db.exec('BEGIN IMMEDIATE');
    db.exec("UPDATE result_orders SET rebate_fen = rebate_fen + 1 WHERE order_id = 'O3'");
    db.exec('ROLLBACK');
    if (w.store.dialect === 'postgres') {
      const on = db.prepare("SELECT current_setting('yunke.capture_orders', true)").pluck().get();
      expect(on === null || on === '' || on === 'off').toBe(true);
      // the triggers are the schema's, on every captured table
      const names = db
        .prepare("SELECT tgname FROM pg_trigger WHERE starts_with(tgname, 'yunke_cap_') ORDER BY tgname")
        .pluck()
        .all();
      expect(names).toHaveLength(Object.keys(CAPTURED).length * 3);
    }
  });
});
