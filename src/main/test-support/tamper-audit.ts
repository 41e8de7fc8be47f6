/**
 * Changes an audit log behind the store's back, as someone with the sqlite3 shell (or psql) would:
 * the store's guarding triggers dropped (disabled on a team database) first, then `sql`. For the
 * tests of `audit verify`.
 */
import BetterSqlite3 from 'better-sqlite3';
import { isTeamDatabase } from '../store/pg-sync/open-port-store';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';

export function tamperAudit(file: string, sql: string): void {
  if (isTeamDatabase(file)) {
    const port = new PgSyncPort(file);
    try {
      port.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      port.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
      port.query(sql);
    } finally {
      port.close();
    }
    return;
  }
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
