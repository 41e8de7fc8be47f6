/**
 * 团队数据库 (issue 13): this desk's choice of store — its local SQLite file (the default) or a
 * team database on PostgreSQL shared by every operator's desk. The choice rests outside the store
 * (a file beside the desk's preferences) and takes effect at the next start. Admins only (R-OP-1);
 * saving and clearing are audited in the store in use (R-OP-2). The password is sealed like API
 * tokens and never returned. No Node imports here (the renderer reads this file).
 */
import { z } from 'zod';
import { ADMINS, method } from '../define';
import { reason } from '../fields';

/** What this desk runs on now, and what it will open at the next start. */
export interface TeamDatabaseView {
  /** The store this desk has open now. */
  running: 'sqlite' | 'postgres';
  /** The team database this desk has open now, its password masked (***); null on the local store. */
  runningUrl: string | null;
  /** A team database is saved for the next start. */
  configured: boolean;
  /** The saved URL with its password masked (***); null when none is saved. */
  url: string | null;
  hasPassword: boolean;
  savedAt: number | null;
  savedBy: string | null;
  /** The saved choice cannot be read (a damaged file): the bilingual message; else null. */
  problem: string | null;
  /** This desk can keep a password sealed (the app's OS keychain). */
  canSealPassword: boolean;
}

export interface TeamDatabaseTestResult {
  /** The URL tested, its password masked. */
  url: string;
  /** `SHOW server_version`, e.g. "15.8 (Debian 15.8-0+deb12u1)". */
  serverVersion: string;
  /** Migrations this test applied now (a new database is set up by it). */
  migrationsApplied: number;
  /** Migrations the database had already. */
  migrationsBefore: number;
  /** Migrations this version of the app knows. */
  migrationsTotal: number;
  counts: { partners: number; orders: number; auditEntries: number };
  ms: number;
}

export interface TeamDatabaseSaveResult {
  url: string;
  test: TeamDatabaseTestResult;
  /** The desk switches at its next start; the open store stays in use until then. */
  takesEffect: 'nextStart';
}

export interface TeamDatabaseClearResult {
  /** The team database URL forgotten (masked). */
  url: string | null;
  takesEffect: 'nextStart';
}

const connection = {
  /** postgres://user@host:5432/database[?sslmode=…]; a password in it is taken out and sealed. */
  url: z.string().trim().min(1).max(2048),
  /** Given apart from the URL (a password field); wins over one written in the URL. */
  password: z.string().max(1024).optional(),
};

export const teamDatabaseContract = {
  'teamdb.get': method<TeamDatabaseView>()(z.object({}).strict(), ADMINS),
  /** Connects, migrates (a new database is set up), checks and counts; then closes. Writes nothing here. */
  'teamdb.test': method<TeamDatabaseTestResult>()(z.object(connection).strict(), ADMINS),
  /** Tests first, then saves the choice for the next start (the password sealed); audited. */
  'teamdb.save': method<TeamDatabaseSaveResult>()(z.object({ ...connection, reason }).strict(), ADMINS, [
    'audit_log',
  ]),
  /** Back to the local SQLite file at the next start; audited. */
  'teamdb.clear': method<TeamDatabaseClearResult>()(z.object({ reason }).strict(), ADMINS, ['audit_log']),
};
