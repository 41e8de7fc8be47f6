/**
 * A team database (issue 13): the store's schema on PostgreSQL, reached through Kysely's
 * PostgresDialect over a node-pg Pool. The same migration list as a SQLite store (each migration's
 * `postgres` form), recorded with checksums in `_migrations` and checked on every open.
 *
 * Numbers: every integer column is `bigint` (int8). node-pg hands int8 and numeric (what SUM of a
 * bigint gives) back as text, because JavaScript numbers hold integers exactly only up to 2^53;
 * this store parses them into numbers at the edge, per pool (never through pg's global parsers),
 * and refuses a value a number cannot hold exactly (IntegerRangeError) instead of rounding it. Epoch
 * milliseconds (~2^41) and fen sums (2^53 fen is 90 trillion yuan) stay far below the bound.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pgClientConfig } from './pg-connection';
import { pgTypes, redactUrl } from './pg-types';
import type { Database } from './database';
import { WRITE_LOCK_KEY } from './pg-sync/pg-sync-port';
import { migrationError } from './pg-sync/team-db-errors';
import {
  checkApplied,
  migrationChecksum,
  migrations,
  migrationsOf,
  statementsOf,
  type AppliedMigration,
  type Migration,
} from './migrations';

export { IntegerRangeError, parseInt8, parseNumeric, pgTypes, redactUrl } from './pg-types';

/** Any constant: the key of the advisory lock that serializes two desks migrating one database. */
export const MIGRATION_LOCK = 0x79756e6b; // 'yunk'

/**
 * Brings a PostgreSQL database up to the latest migration, or throws MigrationMismatchError if its
 * history is foreign. One migration per transaction, each under a transaction-scoped advisory lock
 * (two desks opening a new team database at once: one migrates, the other then finds it done).
 * Returns how many migrations ran.
 */
export async function migratePg(
  db: Kysely<Database>,
  where: string,
  list: Migration[] = migrations,
): Promise<number> {
  // a database already at this build's migrations is only read (no DDL: a role that may not create
  // tables passes), as the desks' own opening does (open-port-store.ts migratePort)
  const table = (await sql<{ t: string | null }>`SELECT to_regclass('_migrations')::text AS t`.execute(db))
    .rows[0]?.t;
  let done = 0;
  if (table) {
    const applied = (
      await sql<AppliedMigration>`SELECT version, name, checksum FROM _migrations ORDER BY version`.execute(
        db,
      )
    ).rows;
    checkApplied(applied, list, where, 'postgres');
    if (applied.length === migrationsOf('postgres', list).length) return 0;
    done = applied.length;
  }
  let ran = 0;
  for (;;) {
    const next = await db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS _migrations (
        version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL
      )`.execute(trx);
        const applied = (
          await sql<AppliedMigration>`SELECT version, name, checksum FROM _migrations ORDER BY version`.execute(
            trx,
          )
        ).rows;
        checkApplied(applied, list, where, 'postgres');
        const m = migrationsOf('postgres', list)[applied.length];
        if (!m) return null;
        // the store's write lock too, as a desk's migration takes it (migratePort): a migration's DDL
        // on tables the other desks write (the result tables' triggers) waits for their writes to
        // end instead of queueing between their statements
        await sql`SELECT pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(trx);
        for (const s of statementsOf(m, 'postgres')) await sql.raw(s).execute(trx);
        await sql`INSERT INTO _migrations (version, name, checksum, applied_at)
        VALUES (${m.version}, ${m.name}, ${migrationChecksum(m, 'postgres')}, ${Date.now()})`.execute(trx);
        return m;
      })
      // a database set up already, that this role may not upgrade: said so (TEAM_DB_UPGRADE)
      .catch((e: unknown) => {
        throw migrationError(e, where, done, migrationsOf('postgres', list)[done] ?? list[0]);
      });
    if (!next) return ran;
    ran++;
  }
}

export interface PgStore {
  /** Portable, typed queries: the same domain modules as on SQLite. */
  db: Kysely<Database>;
  /** The connection URL without its password. */
  where: string;
  close(): Promise<void>;
}

export interface OpenPgStoreOptions {
  /** Connections of the pool (default 4). */
  max?: number;
  /** false: without TLS (a `prefer`/`allow` URL whose server takes none, pg-connection.ts) */
  tls?: false;
}

/** Opens a team database: a pool, the applied migrations checked and the pending ones applied, a Kysely on top. */
export async function openPgStore(url: string, options: OpenPgStoreOptions = {}): Promise<PgStore> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    max: options.max ?? 4,
    types: pgTypes,
    application_name: 'yunke-desk',
    ...pgClientConfig(url, { tls: options.tls }),
  });
  // an idle connection the server ends (a restart, an administrator, a database dropped) is taken
  // out of the pool, and the next query gets another; unheard, its error would end the process
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migratePg(db, where);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  let closed = false;
  return {
    db,
    where,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}
