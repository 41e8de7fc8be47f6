import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { storeErrorOf } from './store-errors';
import { dirname } from 'node:path';
import type { Database } from './database';
import { migrate } from './migrations';
import { isTeamDatabase, notATeamUrl, openPortStore } from './pg-sync/open-port-store';
import { TeamDbError } from './pg-sync/team-db-errors';
import type { SqlPort } from './sql-port';

export interface Store {
  /** 'sqlite': a store file of this desk; 'postgres': a team database shared by the desks (issue 13) */
  dialect: 'sqlite' | 'postgres';
  /** Portable, typed queries (the domain modules use this). */
  db: Kysely<Database>;
  /**
   * The store's synchronous SQL port (sql-port.ts), for the hot paths (the engine, bulk import):
   * the better-sqlite3 connection of a store file, or a PgSyncPort on a team database. Both run
   * the same statements; the same connection as `db`'s.
   */
  sqlite: SqlPort;
  /** The store file, or a team database's URL (what `openStore` opened; never shown: see `where`). */
  file: string;
  /** The file, or the team database's URL without its password (for messages). */
  where: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Path to a better-sqlite3 addon built for the current runtime (Electron's ABI). */
  nativeBinding?: string;
  readonly?: boolean;
  /** how long this connection waits for another one's write lock (default: setBusyTimeout's) */
  busyTimeoutMs?: number;
  /**
   * false: a team database that was never set up (no table of this app: an empty database, the
   * server's `postgres`, a mistyped name of another one) is refused (TEAM_DB_NOT_SET_UP) instead of
   * set up. The command line's commands that read a store (their store file must exist too).
   */
  setUp?: boolean;
}

/**
 * How long a connection waits for another one's write lock before SQLITE_BUSY. The app's jobs of
 * one store never meet (store-queue.ts), so 5 s is plenty there; the command line waits its turn
 * behind another process (the app, a scheduled import) much longer (cli/main.ts). An engine job
 * run in the engine worker, and a full run's helper, wait as long as the thread that asked for it
 * (OpenStoreOptions.busyTimeoutMs, run-engine.ts).
 */
let busyTimeoutMs = 5000;
export function setBusyTimeout(ms: number): void {
  busyTimeoutMs = ms;
}
/** This thread's wait for another connection's write lock (setBusyTimeout). */
export function busyTimeout(): number {
  return busyTimeoutMs;
}

/**
 * Opens (creating if needed) a store file, applies SQLite tuning and migrations; or, given a
 * `postgres://` URL, a team database (migrated and checked the same way).
 */
export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  if (isTeamDatabase(file)) return openTeamStore(file, options);
  const notUrl = notATeamUrl(file);
  if (notUrl) throw new TeamDbError('TEAM_DB_URL', notUrl);
  // SQLite's own errors (a folder, not a database, damaged, read-only …) in both languages, naming the file
  const translated = (e: unknown) => storeErrorOf(e, file) ?? e;
  let sqlite: BetterSqlite3.Database;
  try {
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
      if (existsSync(file) && statSync(file).isDirectory())
        throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    }
    sqlite = new BetterSqlite3(file, {
      nativeBinding: options.nativeBinding,
      readonly: options.readonly ?? false,
    });
  } catch (e) {
    throw translated(e);
  }
  try {
    applySqliteTuning(sqlite, options.busyTimeoutMs ?? busyTimeoutMs);
    if (!options.readonly) migrate(sqlite, file);
  } catch (e) {
    sqlite.close();
    throw translated(e);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  const store: Store = {
    dialect: 'sqlite',
    db,
    sqlite: sqlite as unknown as SqlPort,
    file,
    where: file,
    async close() {
      if (closed) return;
      closed = true;
      closedStores.add(store);
      // this connection at once (a quitting app does not wait for what follows; Kysely would close
      // it only if it ran a query on it), then the connections that serve this store elsewhere
      // (onStoreClose): the promise resolves when none is left
      if (sqlite.open) sqlite.close();
      await db.destroy();
      for (const end of closeHooks.get(store) ?? []) await end().catch(() => undefined);
      closeHooks.delete(store);
    },
  };
  return store;
}

function openTeamStore(url: string, options: OpenStoreOptions): Store {
  const { port, db, where } = openPortStore(url, { readonly: options.readonly, setUp: options.setUp });
  let closed = false;
  const store: Store = {
    dialect: 'postgres',
    db,
    sqlite: port,
    file: url,
    where,
    async close() {
      if (closed) return;
      closed = true;
      closedStores.add(store);
      // Kysely ends its driver (the port) only once a query ran through it: the port itself too
      await db.destroy();
      port.close();
      for (const end of closeHooks.get(store) ?? []) await end().catch(() => undefined);
      closeHooks.delete(store);
    },
  };
  return store;
}

const closeHooks = new WeakMap<Store, (() => Promise<void>)[]>();
const closedStores = new WeakSet<Store>();

/** True once `close()` was called on the store (no new connection may be opened for it). */
export function storeClosed(store: Store): boolean {
  return closedStores.has(store);
}

/**
 * `end` runs when `store` closes, after its own connection did: an engine worker keeps a
 * connection to the same file for the store's jobs (engine/run-engine.ts) and ends it here, so no
 * connection outlives the close that asked for it (a restore replaces the file after closing).
 */
export function onStoreClose(store: Store, end: () => Promise<void>): void {
  closeHooks.set(store, [...(closeHooks.get(store) ?? []), end]);
}

/** SQLite-only settings, isolated here (a PostgreSQL store has none of these). */
function applySqliteTuning(sqlite: BetterSqlite3.Database, busyMs: number): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${busyMs}`);
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('foreign_keys = ON');
  // pages read through a memory map of the file, not copied by one read call each: explain and an
  // incremental run read pages scattered over the result tables, on a connection whose cache the
  // last full recompute's commit emptied (explain of an order of the largest same-person groups
  // 24–29 ms → 12–15 ms on demo --scale 20). SQLite keeps the map right when it grows or shrinks
  // the file itself. The price (SQLite's mmap.html): a read error of the disk, or another program
  // cutting the file short, stops the process with a signal instead of an error. The store lives in
  // the app's own data folder; the app never writes over a store file in use (store-files.ts guards
  // the command line's --out and a backup's destination; a restore renames files after closing)
  sqlite.pragma(`mmap_size = ${STORE_MMAP_BYTES}`);
}

/** how much of a store file is read through a memory map (SQLite lowers it to its own limit,
 * about 2 GB) */
export const STORE_MMAP_BYTES = 2 ** 31;
