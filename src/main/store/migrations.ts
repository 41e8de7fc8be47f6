import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { adminSchema } from './schema/admin.sql';
import { disputesSchema } from './schema/disputes.sql';
import { resultsSchema } from './schema/results.sql';
import { sourcesSchema } from './schema/sources.sql';

/**
 * Ordered, in-code list of migrations. Each is "frozen in time": once released it never
 * changes; a change is a new entry at the end. Each runs in its own transaction.
 * The store records name + checksum of what it applied and refuses a database whose
 * history does not match this list (see MigrationMismatchError).
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [...sourcesSchema, ...adminSchema, ...disputesSchema, ...resultsSchema],
  },
];

export function migrationChecksum(m: Migration): string {
  return createHash('sha256')
    .update(m.name)
    .update('\n')
    .update(m.statements.join(';\n'))
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

interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/** Brings the database up to the latest migration, or throws if its history is foreign. */
export function migrate(db: BetterSqlite3.Database, file: string, list: Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name, checksum FROM _migrations ORDER BY version')
    .all() as AppliedMigration[];
  applied.forEach((a, i) => {
    const known = list[i];
    if (!known || known.version !== a.version || migrationChecksum(known) !== a.checksum) {
      throw new MigrationMismatchError(
        `The store ${file} was written by a different version of Yunke Desk (migration ${a.version} "${a.name}" ` +
          `does not match this build). Open it with the version that created it, or choose another store. ` +
          `/ 数据库 ${file} 由其他版本的云客工作台创建（迁移 ${a.version}「${a.name}」与本版本不符），请使用创建它的版本打开或选择其他数据库。`,
        { file, applied, known: list.length },
      );
    }
  });
  let ran = 0;
  for (const m of list.slice(applied.length)) {
    db.transaction(() => {
      for (const s of m.statements) db.exec(s);
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
