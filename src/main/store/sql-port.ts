/**
 * The store's synchronous SQL port (issue 13): what the engine, the importer and the other hot
 * paths need of a connection, and no more. A SQLite store's port is its better-sqlite3 connection
 * itself (every method here is one of better-sqlite3's); a team database's port is
 * `PgSyncPort` (pg-sync/pg-sync-port.ts): one PostgreSQL connection, served by a driver thread,
 * with the store's SQLite-dialect statements translated (pg-sync/translate.ts).
 *
 * Statements are written once, in the subset both understand: `?` and `@name` parameters,
 * `IN (SELECT value FROM json_each(?))` for an id list, `INSERT OR IGNORE`, `BEGIN IMMEDIATE` for
 * the store's write lock. What only one of them can do (PRAGMAs, copying the file, COPY) stays in
 * a dialect's own module, chosen by `dialect`.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = unknown[];

export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement<Row = unknown> {
  run(...params: SqlParams): SqlRunResult;
  get(...params: SqlParams): Row | undefined;
  all(...params: SqlParams): Row[];
  iterate(...params: SqlParams): IterableIterator<Row>;
  /** each row is its first column's value */
  pluck(toggle?: boolean): this;
  /** each row is an array of its columns' values */
  raw(toggle?: boolean): this;
}

export interface SqlTransaction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  deferred(...args: Parameters<F>): ReturnType<F>;
  immediate(...args: Parameters<F>): ReturnType<F>;
  exclusive(...args: Parameters<F>): ReturnType<F>;
}

export interface SqlPort {
  prepare<Row = unknown>(sql: string): SqlStatement<Row>;
  exec(sql: string): this;
  transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F>;
  /** SQLite's tuning; a team database's port accepts and ignores it (returns undefined) */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  readonly inTransaction: boolean;
  readonly open: boolean;
  close(): this;
}

/** A better-sqlite3 connection as the port it is (its types are wider than the port's). */
export function sqlitePort(db: BetterSqlite3.Database): SqlPort {
  return db as unknown as SqlPort;
}
