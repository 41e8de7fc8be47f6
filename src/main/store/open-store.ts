import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { storeErrorOf } from './store-errors';
import { dirname } from 'node:path';
import type { Database } from './database';
import { migrate } from './migrations';

export interface Store {
  /** Portable, typed queries (the domain modules use this). */
  db: Kysely<Database>;
  /**
   * The SQLite connection, for the few SQLite-only hot paths (bulk import, full scans).
   * Keep its use inside sqlite-specific helpers so a PostgreSQL store can replace them.
   */
  sqlite: BetterSqlite3.Database;
  file: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Path to a better-sqlite3 addon built for the current runtime (Electron's ABI). */
  nativeBinding?: string;
  readonly?: boolean;
}

/**
 * How long a connection waits for another one's write lock before SQLITE_BUSY. The app's jobs of
 * one store never meet (store-queue.ts), so 5 s is plenty there; the command line waits its turn
 * behind another process (the app, a scheduled import) much longer (cli/main.ts).
 */
let busyTimeoutMs = 5000;
export function setBusyTimeout(ms: number): void {
  busyTimeoutMs = ms;
}

/** Opens (creating if needed) a store file, applies SQLite tuning and migrations. */
export function openStore(file: string, options: OpenStoreOptions = {}): Store {
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
    applySqliteTuning(sqlite);
    if (!options.readonly) migrate(sqlite, file);
  } catch (e) {
    sqlite.close();
    throw translated(e);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  const store: Store = {
    db,
    sqlite,
    file,
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

const closeHooks = new WeakMap<Store, (() => Promise<void>)[]>();
const closedStores = new WeakSet<Store>();

/** True once `close()` was called on the store (no new connection may be opened for it). */
export function storeClosed(store: Store): boolean {
  return closedStores.has(store);
}

/**
 * `end` runs when `store` closes, after its own connection did: an engine worker keeps a
 * connection to the same file for the store's jobs (rules/run-engine.ts) and ends it here, so no
 * connection outlives the close that asked for it (a restore replaces the file after closing).
 */
export function onStoreClose(store: Store, end: () => Promise<void>): void {
  closeHooks.set(store, [...(closeHooks.get(store) ?? []), end]);
}

/** SQLite-only settings, isolated here (a PostgreSQL store has none of these). */
function applySqliteTuning(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('foreign_keys = ON');
}
