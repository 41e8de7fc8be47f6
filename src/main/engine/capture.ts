/**
 * What a decision changes in the engine's results: while a decision's run is in progress, temp
 * triggers (on this connection only) keep the first old value of every result row the run
 * touches (or, for a run that rewrites every row, a copy of them all taken before it); afterwards
 * the old values are compared with the rows now stored. The same capture
 * serves the what-if (then rolled back) and the applied decision (then committed), so a what-if
 * predicts exactly what applying does. Nothing is left behind.
 *
 * On a team database (PostgreSQL has no temp triggers) the triggers are the schema's own
 * (migration 2, store/schema/capture.sql.ts): a table's fire only in a transaction that sets
 * `yunke.capture_<name>` on (SET LOCAL), and write into this session's temp capture tables. So a decision
 * makes no DDL on the shared tables: a desk's role needs no owner's rights to decide, and the other
 * desks' reads never wait for a trigger being dropped.
 */
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { SqlPort } from '../store/sql-port';
import { captureSetting } from '../store/schema/capture.sql';

type Db = SqlPort;

/**
 * The result columns a change report compares, per table, with the table's key. A team database's
 * triggers capture these (store/schema/capture.sql.ts, frozen by its migration: a change here needs
 * a new migration; capture.test.ts checks that both agree).
 */
export const CAPTURED = {
  orders: {
    table: 'result_orders',
    key: ['order_id'],
    cols: [
      'customer_id',
      'partner_id',
      'status',
      'reasons_json',
      'rebate_fen',
      'rebate_status',
      'level',
      'ratio_bp',
      'cycle_key',
    ],
  },
  partners: {
    table: 'result_partners',
    key: ['partner_id'],
    cols: [
      'level',
      'experience',
      'blacklisted',
      'pending_fen',
      'confirmed_fen',
      'frozen_fen',
      'negative_balance_fen',
      'risk_flag',
      'risk_status',
    ],
  },
  payouts: {
    table: 'result_payouts',
    key: ['partner_id', 'cycle_key'],
    cols: ['confirmed_fen', 'amount_fen', 'status'],
  },
  // link events whose outcome changes (R-BL-2: events that would fail)
  attributions: {
    table: 'result_attributions',
    key: ['event_id'],
    cols: ['customer_id', 'partner_id', 'status', 'reasons_json'],
  },
  members: {
    table: 'result_same_person',
    key: ['member_kind', 'member_id'],
    cols: ['group_id'],
  },
} as const;
export type Captured = keyof typeof CAPTURED;

const isPg = (db: Db) => db instanceof PgSyncPort;
/** the capture table of `name`, and the result tables, as each dialect names them */
const cap = (db: Db, name: string) => (isPg(db) ? `pg_temp.cap_${name}` : `temp.cap_${name}`);
const main = (db: Db, table: string) => (isPg(db) ? table : `main.${table}`);

function createCapTable(db: Db, name: string, c: (typeof CAPTURED)[Captured]): void {
  if (!isPg(db)) {
    db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS cap_${name} (${[...c.key, ...c.cols].join(', ')}, existed INTEGER NOT NULL, PRIMARY KEY (${c.key.join(', ')}))`,
    );
    db.exec(`DELETE FROM temp.cap_${name}`);
    return;
  }
  // the columns' types from the result table itself
  db.exec(`DROP TABLE IF EXISTS pg_temp.cap_${name}`);
  db.exec(
    `CREATE TEMP TABLE cap_${name} AS SELECT ${[...c.key, ...c.cols].join(', ')}, 0::bigint AS existed FROM ${c.table} WITH NO DATA`,
  );
  db.exec(`ALTER TABLE pg_temp.cap_${name} ADD PRIMARY KEY (${c.key.join(', ')})`);
}

/**
 * Installs the capture of every compared table for a run that touches some rows (incremental):
 * temp triggers keep each row's first old value as the run writes. `without` leaves some out.
 */
export function installCapture(db: Db, without: Captured[] = []): void {
  for (const [name, c] of Object.entries(CAPTURED)) {
    if (without.includes(name as Captured)) continue;
    const all = [...c.key, ...c.cols];
    createCapTable(db, name, c);
    if (isPg(db)) {
      // the schema's triggers, for this transaction only: a what-if's rollback turns them off
      // with everything else
      db.exec(`SET LOCAL ${captureSetting(name)} = 'on'`);
      continue;
    }
    const old = (p: 'OLD' | 'NEW', existed: number) =>
      `INSERT OR IGNORE INTO temp.cap_${name} (${all.join(', ')}, existed) VALUES (${c.key.map((k) => `${p}.${k}`).join(', ')}, ${c.cols
        .map((col) => (existed ? `OLD.${col}` : 'NULL'))
        .join(', ')}, ${existed})`;
    db.exec(
      `CREATE TEMP TRIGGER IF NOT EXISTS cap_${name}_u BEFORE UPDATE OF ${c.cols.join(', ')} ON main.${c.table} BEGIN ${old('OLD', 1)}; END`,
    );
    db.exec(
      `CREATE TEMP TRIGGER IF NOT EXISTS cap_${name}_d BEFORE DELETE ON main.${c.table} BEGIN ${old('OLD', 1)}; END`,
    );
    db.exec(
      `CREATE TEMP TRIGGER IF NOT EXISTS cap_${name}_i AFTER INSERT ON main.${c.table} BEGIN ${old('NEW', 0)}; END`,
    );
  }
}

/**
 * The capture for a run that rewrites every row (a full recompute inside a decision): row-by-row
 * triggers would cost more than the run, so every row's compared columns are copied once, in key
 * order, before it; completeSnapshot adds the rows that appeared after it. capturedChanges then
 * reads both captures alike.
 */
export function snapshotCapture(db: Db, without: Captured[] = []): void {
  for (const [name, c] of Object.entries(CAPTURED)) {
    if (without.includes(name as Captured)) continue;
    const all = [...c.key, ...c.cols].join(', ');
    createCapTable(db, name, c);
    db.exec(
      `INSERT INTO ${cap(db, name)} (${all}, existed) SELECT ${all}, 1 FROM ${main(db, c.table)} ORDER BY ${c.key.join(', ')}`,
    );
  }
}

/** After a snapshotted run: the rows that did not exist before it (existed = 0). */
export function completeSnapshot(db: Db, without: Captured[] = []): void {
  for (const [name, c] of Object.entries(CAPTURED)) {
    if (without.includes(name as Captured)) continue;
    const keys = c.key.join(', ');
    db.exec(
      `INSERT INTO ${cap(db, name)} (${keys}, ${c.cols.join(', ')}, existed)
       SELECT ${c.key.map((k) => `n.${k}`).join(', ')}, ${c.cols.map(() => 'NULL').join(', ')}, 0 FROM ${main(db, c.table)} n
       WHERE NOT EXISTS (SELECT 1 FROM ${cap(db, name)} o WHERE ${c.key.map((k) => `o.${k} = n.${k}`).join(' AND ')})
       ORDER BY ${c.key.map((k) => `n.${k}`).join(', ')}`,
    );
  }
}

export function removeCapture(db: Db): void {
  if (isPg(db)) {
    // inside the decision's transaction (a failed one has nothing left to drop: its rollback did)
    if (!db.inTransaction) return;
    for (const name of Object.keys(CAPTURED)) {
      db.exec(`SET LOCAL ${captureSetting(name)} = 'off'`);
      db.exec(`DROP TABLE IF EXISTS pg_temp.cap_${name}`);
    }
    return;
  }
  for (const name of Object.keys(CAPTURED)) {
    for (const t of ['u', 'd', 'i']) db.exec(`DROP TRIGGER IF EXISTS temp.cap_${name}_${t}`);
    db.exec(`DROP TABLE IF EXISTS temp.cap_${name}`);
  }
}

export type Row = Record<string, string | number | null>;
export interface RowChange {
  key: Row;
  /** null: the row did not exist before */
  before: Row | null;
  /** null: the row does not exist now */
  after: Row | null;
}

/** The rows of one result table whose compared columns differ now from before the run. */
export function capturedChanges(db: Db, name: Captured): RowChange[] {
  const installed = isPg(db)
    ? db.prepare('SELECT to_regclass(?)').pluck().get(`pg_temp.cap_${name}`) !== null
    : db.prepare("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?").get(`cap_${name}`);
  if (!installed) return [];
  const c = CAPTURED[name];
  const on = c.key.map((k) => `n.${k} = o.${k}`).join(' AND ');
  const differs = c.cols.map((col) => `n.${col} IS NOT o.${col}`).join(' OR ');
  const sql = `SELECT ${c.key.map((k) => `o.${k} AS k_${k}`).join(', ')}, o.existed,
      ${c.cols.map((col) => `o.${col} AS o_${col}`).join(', ')},
      ${c.cols.map((col) => `n.${col} AS n_${col}`).join(', ')}, n.${c.key[0]} IS NOT NULL AS exists_now
    FROM ${cap(db, name)} o LEFT JOIN ${main(db, c.table)} n ON ${on}
    WHERE (o.existed = 1) IS NOT (n.${c.key[0]} IS NOT NULL) OR (o.existed = 1 AND (${differs}))
    ORDER BY ${c.key.map((k) => `o.${k}`).join(', ')}`;
  return (db.prepare(sql).all() as Row[]).map((r) => ({
    key: Object.fromEntries(c.key.map((k) => [k, r[`k_${k}`]])),
    before: r.existed === 1 ? Object.fromEntries(c.cols.map((col) => [col, r[`o_${col}`]])) : null,
    after: r.exists_now === 1 ? Object.fromEntries(c.cols.map((col) => [col, r[`n_${col}`]])) : null,
  }));
}
