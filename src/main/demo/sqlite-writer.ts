/**
 * SQLite-only bulk writer of the demo (CONTRIBUTING: hot paths may use `store.sqlite` prepared
 * statements, kept in clearly named helpers). Statements are prepared once; rows go in
 * transactions of about `batchRows` rows so memory stays flat and the app stays responsive.
 */

import type { SqlPort, SqlStatement } from '../store/sql-port';

export type SourceTable =
  | 'product_lines'
  | 'sales_subjects'
  | 'partners'
  | 'customers'
  | 'login_ips'
  | 'referral_events'
  | 'orders'
  | 'refunds';

export const SOURCE_TABLES: readonly SourceTable[] = [
  'product_lines',
  'sales_subjects',
  'partners',
  'customers',
  'login_ips',
  'referral_events',
  'orders',
  'refunds',
];

// INSERT OR REPLACE: the same semantics as an import (upsert by key) when the caller allowed a
// non-empty store; login_ips and sales_subjects ignore exact duplicates instead.
export const DEMO_SQL: Record<SourceTable, string> = {
  product_lines:
    'INSERT OR REPLACE INTO product_lines (product_line, name, rebate_eligible, import_id) VALUES (?, ?, ?, ?)',
  sales_subjects: 'INSERT OR IGNORE INTO sales_subjects (subject_id, owner, import_id) VALUES (?, ?, ?)',
  partners:
    'INSERT OR REPLACE INTO partners (partner_id, account_id, name, phone, id_number, status, verified_at, joined_at, payee_account, payee_name, payee_bank, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  customers:
    'INSERT OR REPLACE INTO customers (customer_id, customer_type, name, phone, id_number, registered_at, registration_ip, subject_id, channel, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  login_ips: 'INSERT OR IGNORE INTO login_ips (account_id, ip, seen_at, import_id) VALUES (?, ?, ?, ?)',
  referral_events:
    'INSERT OR REPLACE INTO referral_events (event_id, partner_id, customer_id, kind, occurred_at, ip, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  orders:
    'INSERT OR REPLACE INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  refunds:
    'INSERT OR REPLACE INTO refunds (refund_id, order_id, kind, amount_fen, refunded_at, import_id) VALUES (?, ?, ?, ?, ?, ?)',
};

type Value = string | number | null;

export class SqliteDemoWriter {
  readonly counts: Record<SourceTable, number>;
  private readonly statements: Record<SourceTable, SqlStatement>;
  private readonly importIds: Record<SourceTable, number>;
  private pending = 0;
  private inTransaction = false;

  constructor(
    private readonly sqlite: SqlPort,
    importIds: Record<SourceTable, number>,
    private readonly batchRows = 50_000,
  ) {
    this.importIds = importIds;
    this.counts = Object.fromEntries(SOURCE_TABLES.map((t) => [t, 0])) as Record<SourceTable, number>;
    this.statements = Object.fromEntries(
      SOURCE_TABLES.map((t) => [t, sqlite.prepare(DEMO_SQL[t])]),
    ) as Record<SourceTable, SqlStatement>;
  }

  /** Inserts one row (values in the column order of SQL[table], without import_id). */
  insert(table: SourceTable, values: Value[]): void {
    if (!this.inTransaction) {
      this.sqlite.exec('BEGIN');
      this.inTransaction = true;
    }
    values.push(this.importIds[table]);
    const info = this.statements[table].run(values);
    this.counts[table] += info.changes;
    this.pending++;
  }

  /** True when the current transaction reached its size: the caller commits and yields. */
  get full(): boolean {
    return this.pending >= this.batchRows;
  }

  commit(): void {
    if (this.inTransaction) this.sqlite.exec('COMMIT');
    this.inTransaction = false;
    this.pending = 0;
  }

  rollback(): void {
    if (this.inTransaction) this.sqlite.exec('ROLLBACK');
    this.inTransaction = false;
    this.pending = 0;
  }
}
