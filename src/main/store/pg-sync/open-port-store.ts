/**
 * A Store on a team database (issue 13): the same `Store` a SQLite file gives, whose SQL port is
 * a PgSyncPort and whose Kysely runs on that port's connection. Opening migrates the database
 * (one migration per transaction, under the migration advisory lock openPgStore uses too) and
 * checks the applied history by checksum; the password never appears in a message.
 */
import { Kysely } from 'kysely';
import type { Database } from '../database';
import {
  checkApplied,
  migrationChecksum,
  migrations,
  migrationsOf,
  statementsOf,
  type AppliedMigration,
  type Migration,
} from '../migrations';
import { MIGRATION_LOCK } from '../open-pg-store';
import { sslModeProblem } from '../pg-connection';
import { libpqUserPartEnd, redactUrl } from '../pg-types';
import { portDialect } from './kysely-driver';
import { PgSyncPort } from './pg-sync-port';
import { migrationError, TeamDbError, teamDbErrorKind, teamDbMessage } from './team-db-errors';

/** True for a `postgres://` or `postgresql://` URL (a team database), false for a store file. */
export function isTeamDatabase(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * What is wrong with a store named by something that reads as a URL but not a team database's
 * (`mysql://…`, `postgress://…`, `postgres:/…`, `postgres//…`, a team database's URL with spaces
 * around it), in both languages, its password masked; null for
 * a team database or a file path (a Windows drive letter is one letter: `C:/…` is a path). Such a
 * target is refused: taken as a file path, it made a local store in folders named after the URL,
 * password and all.
 */
export function notATeamUrl(target: string): string | null {
  const trimmed = target.trim();
  // a team database's URL with spaces around it (pasted), a URL of another kind, `postgres//…` (its
  // colon left out): each made a store file in folders named after it, password and all
  const padded = trimmed !== target && isTeamDatabase(trimmed);
  if (!padded && isTeamDatabase(target)) return null;
  if (!padded && !/^[a-z][a-z0-9+.-]+:\//i.test(trimmed) && !/^postgres(ql)?\/\//i.test(trimmed)) return null;
  const shown = redactUrl(trimmed);
  if (padded)
    return (
      `"${shown}" 前后有空格：团队数据库地址请不带空格填写 / ` +
      `"${shown}" has spaces around it: write a team database's URL without them`
    );
  return (
    `${shown} 看起来是网址，但不是 postgres:// 或 postgresql:// 地址：团队数据库请写成 postgres://用户@主机:5432/数据库，本地数据库请写文件路径 / ` +
    `${shown} reads as a URL but not a postgres:// or postgresql:// one: write a team database as postgres://user@host:5432/database, a local store as a file path`
  );
}

/** The rows of `_migrations`, in order. */
function readApplied(port: PgSyncPort): AppliedMigration[] {
  return port
    .query('SELECT version, name, checksum FROM _migrations ORDER BY version')
    .rows.map(([version, name, checksum]) => ({ version, name, checksum }) as AppliedMigration);
}

/** The applied migrations, read without any lock; null when the database has no history yet. */
function appliedOf(port: PgSyncPort): AppliedMigration[] | null {
  const [[table]] = port.query("SELECT to_regclass('_migrations')::text").rows as [string | null][];
  return table === null ? null : readApplied(port);
}

/**
 * Brings the database to the latest migration through the port; returns how many ran. A database
 * already at this build's latest migration is only read (its history checked): no write lock, so
 * a desk's reads never wait behind another desk's recompute, and no DDL, so a role that may read
 * and write the tables but not create any opens it (the role that set the database up migrates).
 */
export function migratePort(port: PgSyncPort, where: string, list: Migration[] = migrations): number {
  const current = appliedOf(port);
  if (current !== null) {
    checkApplied(current, list, where, 'postgres');
    if (current.length === migrationsOf('postgres', list).length) {
      port.forgetCatalog();
      return 0;
    }
  }
  let ran = 0;
  // the migration lock is taken before the transaction begins: its snapshot (REPEATABLE READ) is
  // then taken after the wait, so a desk that waited for another's migration sees it done instead
  // of applying it again (two desks, or a desk and the Settings test, opening a new database)
  port.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    for (;;) {
      port.exec('BEGIN IMMEDIATE');
      try {
        port.query(`CREATE TABLE IF NOT EXISTS _migrations (
          version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)`);
        const applied = readApplied(port);
        checkApplied(applied, list, where, 'postgres');
        const m = migrationsOf('postgres', list)[applied.length];
        if (!m) {
          port.exec('COMMIT');
          port.forgetCatalog();
          return ran;
        }
        for (const s of statementsOf(m, 'postgres')) port.query(s);
        port.query('INSERT INTO _migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
          m.version,
          m.name,
          migrationChecksum(m, 'postgres'),
          Date.now(),
        ]);
        port.exec('COMMIT');
        ran++;
      } catch (e) {
        if (port.inTransaction) port.exec('ROLLBACK');
        // a database set up already, that this role may not upgrade: said so (TEAM_DB_UPGRADE)
        const done = current?.length ?? 0;
        throw migrationError(e, where, done, migrationsOf('postgres', list)[done] ?? list[0]);
      }
    }
  } finally {
    try {
      port.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } catch {
      // a connection that broke took the lock with it (the error that broke it is thrown above)
    }
  }
}

/**
 * Whether the URL has a user part that a URL parser does not read as one. As libpq reads a URL,
 * the user part is what comes before the first @ that precedes any /; a # or ? in it (an
 * unencoded password's) makes a URL parser end the host there and read the rest as a fragment or
 * a query. An @ after the host (in a path, or in a query: `?application_name=ops@desk1`) is not a
 * user part. An empty user part (`postgres://@db/x`, `postgres://:pw@db/x`) is read as libpq reads
 * it: no user named, so the default one (pg-connection.ts).
 */
export function userinfoMisread(url: string): boolean {
  const from = url.indexOf('://');
  if (from < 0) return false;
  const rest = url.slice(from + 3);
  const slash = rest.indexOf('/');
  const at = libpqUserPartEnd(rest);
  if (at < 0) return false;
  if (/[#?]/.test(rest.slice(0, at))) return true;
  // a password's unencoded @ as well (`alice:p@ss?w@db/x`): up to the last @ before the path
  const last = slash < 0 ? -1 : rest.lastIndexOf('@', slash);
  return last > at && /[#?]/.test(rest.slice(0, last));
}

/**
 * The port of a URL when it is not one (`host:notaport`, `host:99999`), as written; null when the
 * URL has none or a good one. Read from the text: a URL parser refuses such a URL as a whole, and
 * the message would then blame the password.
 */
export function badPort(url: string): string | null {
  const from = url.indexOf('://');
  if (from < 0) return null;
  const rest = url.slice(from + 3);
  const end = rest.search(/[/?#]/);
  // an @ after a / ? or #: a password holding one unencoded, which the URL's own message is about
  if (end >= 0 && rest.lastIndexOf('@') > end) return null;
  const authority = end < 0 ? rest : rest.slice(0, end);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const m = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostPort);
  if (!m || m[1] === '') return null;
  return /^\d{1,5}$/.test(m[1]) && Number(m[1]) <= 65535 ? null : m[1];
}

export interface PortStoreParts {
  port: PgSyncPort;
  db: Kysely<Database>;
  where: string;
  migrated: number;
}

/** Connects, migrates and checks a team database; the caller wraps the parts in a Store. */
export function openPortStore(
  url: string,
  options: { readonly?: boolean; setUp?: boolean } = {},
): PortStoreParts {
  const where = redactUrl(url);
  const detail = (e: unknown) => (e instanceof Error ? e.message : String(e)).replaceAll(url, where);
  const notPort = badPort(url);
  if (notPort !== null)
    throw new TeamDbError(
      'TEAM_DB_URL',
      `团队数据库地址 ${where} 中的端口 "${notPort}" 不是端口号（1–65535，PostgreSQL 默认 5432）/ ` +
        `the port "${notPort}" in the team database URL ${where} is not a port number (1–65535; PostgreSQL's default is 5432)`,
    );
  // a # or ? in an unencoded password makes a URL parser read the rest as a fragment or a query,
  // and "alice:123" as a host and a port: refused as unreadable rather than connected elsewhere
  if (userinfoMisread(url)) throw new TeamDbError('TEAM_DB_URL', teamDbMessage('TEAM_DB_URL', where));
  const sslProblem = sslModeProblem(url);
  if (sslProblem) throw new TeamDbError('TEAM_DB_URL', `${sslProblem} (${where})`);
  let port: PgSyncPort;
  try {
    port = new PgSyncPort(url);
  } catch (e) {
    const kind = teamDbErrorKind(e, true);
    // (a missing password: node-pg's words are about its own internals, "SASL: … client password
    // must be a string", and say nothing the message does not)
    if (kind === 'TEAM_DB_NO_PASSWORD') throw new TeamDbError(kind, teamDbMessage(kind, where), { cause: e });
    if (kind) throw new TeamDbError(kind, `${teamDbMessage(kind, where)} (${detail(e)})`, { cause: e });
    throw new Error(
      `无法连接团队数据库 ${where}：${detail(e)} / Cannot connect to the team database ${where}: ${detail(e)}`,
      { cause: e },
    );
  }
  try {
    // a database this app never set up, opened by a command that only uses one (OpenStoreOptions)
    if (options.setUp === false && appliedOf(port) === null)
      throw new TeamDbError('TEAM_DB_NOT_SET_UP', teamDbMessage('TEAM_DB_NOT_SET_UP', where));
    const migrated = options.readonly ? 0 : migratePort(port, where);
    const db = new Kysely<Database>({ dialect: portDialect(port) });
    return { port, db, where, migrated };
  } catch (e) {
    port.close();
    // setting the database up: a role that may not create tables, tables of another application
    const kind = teamDbErrorKind(e, false);
    if (kind === 'TEAM_DB_UPGRADE') throw e;
    if (kind === 'TEAM_DB_PRIVILEGE' || kind === 'TEAM_DB_TAKEN' || kind === 'TEAM_DB_NO_SCHEMA')
      throw new TeamDbError(kind, `${teamDbMessage(kind, where)} (${detail(e)})`, { cause: e });
    throw e;
  }
}
