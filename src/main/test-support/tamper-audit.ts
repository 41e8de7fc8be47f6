/**
 * Changes an audit log behind the store's back, as someone with the sqlite3 shell would: the
 * store's guarding triggers dropped first, then `sql`. For the tests of `audit verify`.
 */
import BetterSqlite3 from 'better-sqlite3';

export function tamperAudit(file: string, sql: string): void {
  const db = new BetterSqlite3(file);
  try {
    for (const { name } of db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_head')",
      )
      .all() as { name: string }[])
      db.exec(`DROP TRIGGER ${name}`);
    db.exec(sql);
  } finally {
    db.close();
  }
}
