import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { adminSchema } from './schema/admin.sql';
import { CAPTURE_TRIGGERS_V2, captureTriggers } from './schema/capture.sql';
import { disputesSchema } from './schema/disputes.sql';
import { gapFreeIds, postgresForm, postgresTriggers } from './schema/postgres.sql';
import { resultsSchema } from './schema/results.sql';
import { pinAttemptsGrants, pinAttemptsSchema } from './schema/pin-attempts.sql';
import { rowHashes } from './schema/row-hash.sql';
import { sourcesSchema } from './schema/sources.sql';

/**
 * Ordered, in-code list of migrations. Each is "frozen in time": once released it never
 * changes; a change is a new entry at the end. Each runs in its own transaction.
 * The store records name + checksum of what it applied and refuses a database whose
 * history does not match this list (see MigrationMismatchError).
 * Every migration has two forms: `statements` for SQLite and `postgres` for a team database
 * (issue 13; schema/postgres.sql.ts translates the tables and indexes and adds plpgsql triggers).
 * A migration of one dialect only has null for the other's: a store of that dialect never records
 * it (a store file is not moved to a version the previous build would refuse, for nothing).
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[] | null;
  postgres: string[] | null;
}

export type Dialect = 'sqlite' | 'postgres';

const initial = [...sourcesSchema, ...adminSchema, ...disputesSchema, ...resultsSchema];

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: initial,
    postgres: postgresForm(initial, postgresTriggers),
  },
  {
    // a decision's capture on a team database without DDL (schema/capture.sql.ts); a store file
    // captures with temp triggers of its own connection, as before
    version: 2,
    name: 'capture triggers',
    statements: null,
    postgres: captureTriggers(CAPTURE_TRIGGERS_V2),
  },
  {
    // what-ifs and refused decisions leave no gap in a team database's numbers (schema/postgres.sql.ts)
    version: 3,
    name: 'gap-free ids',
    statements: null,
    postgres: gapFreeIds(),
  },
  {
    // a full recompute on a team database reads each stored result row's digest, not the row
    // (schema/row-hash.sql.ts)
    version: 4,
    name: 'result row digests',
    statements: null,
    postgres: rowHashes(),
  },
  {
    // wrong PINs counted in the store, not in one process's memory (schema/pin-attempts.sql.ts)
    version: 5,
    name: 'pin attempts',
    statements: pinAttemptsSchema,
    postgres: postgresForm(pinAttemptsSchema, pinAttemptsGrants),
  },
];

/** The statements of a migration in one dialect (none when it is the other dialect's only). */
export const statementsOf = (m: Migration, dialect: Dialect): string[] =>
  (dialect === 'sqlite' ? m.statements : m.postgres) ?? [];

/** The migrations a store of `dialect` applies and records, in order. */
export const migrationsOf = (dialect: Dialect, list: Migration[] = migrations): Migration[] =>
  list.filter((m) => (dialect === 'sqlite' ? m.statements : m.postgres) !== null);

/** What a store records of a migration it applied (a SQLite store: of its SQLite form, as before). */
export function migrationChecksum(m: Migration, dialect: Dialect = 'sqlite'): string {
  return createHash('sha256')
    .update(m.name)
    .update('\n')
    .update(statementsOf(m, dialect).join(';\n'))
    .digest('hex')
    .slice(0, 16);
}

export class MigrationMismatchError extends Error {
  readonly code = 'STORE_MIGRATION_MISMATCH';
  constructor(
    message: string,
    readonly details: { file: string; applied: AppliedMigration[]; known: number },
  ) {
    super(message);
  }
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/** Throws MigrationMismatchError unless the applied history is a prefix of `list` (both dialects). */
export function checkApplied(
  applied: AppliedMigration[],
  list: Migration[],
  file: string,
  dialect: Dialect,
): void {
  const own = migrationsOf(dialect, list);
  applied.forEach((a, i) => {
    const known = own[i];
    // every migration this build knows is applied, and more: a newer version upgraded the store
    if (!known)
      throw new MigrationMismatchError(
        `The store ${file} was upgraded by a newer version of Yunke Desk (migration ${a.version} "${a.name}" ` +
          `is not known to this build). Install that version, or a later one, to open it. ` +
          `/ 数据库 ${file} 已由较新版本的云客工作台升级（本版本不认识迁移 ${a.version}「${a.name}」），请安装该版本或更新的版本后再打开。`,
        { file, applied, known: own.length },
      );
    if (known.version !== a.version || migrationChecksum(known, dialect) !== a.checksum) {
      throw new MigrationMismatchError(
        `The store ${file} was written by a different version of Yunke Desk (migration ${a.version} "${a.name}" ` +
          `does not match this build). Open it with the version that created it, or choose another store. ` +
          `/ 数据库 ${file} 由其他版本的云客工作台创建（迁移 ${a.version}「${a.name}」与本版本不符），请使用创建它的版本打开或选择其他数据库。`,
        { file, applied, known: own.length },
      );
    }
  });
}

/** Brings the database up to the latest migration, or throws if its history is foreign. */
export function migrate(db: BetterSqlite3.Database, file: string, list: Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name, checksum FROM _migrations ORDER BY version')
    .all() as AppliedMigration[];
  checkApplied(applied, list, file, 'sqlite');
  let ran = 0;
  for (const m of migrationsOf('sqlite', list).slice(applied.length)) {
    db.transaction(() => {
      for (const s of statementsOf(m, 'sqlite')) db.exec(s);
      db.prepare('INSERT INTO _migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        migrationChecksum(m),
        Date.now(),
      );
    })();
    ran++;
  }
  return ran;
}
