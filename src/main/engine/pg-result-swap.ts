/**
 * A team database's full recompute replaces every result row (issue 13). Deleting millions of
 * rows and then copying millions more through every index costs the server more than reading
 * the whole store. So the run copies into fresh tables without indexes (`<table>__next`, made in
 * the run's transaction), builds their keys and indexes once over the copied rows, and swaps them
 * in just before the commit: the old table is dropped and the new one takes its name, its
 * indexes' and its constraints' names, and its grants.
 *
 * The other desks read the last results until then (MVCC); the swap itself (drop and rename)
 * locks each result table from there to the commit, a moment, and a reader that waited reads the
 * new table. The swap is used only when nothing else depends on the tables (no view, foreign key,
 * trigger or row policy on them, and this role may drop them); otherwise the run deletes and
 * copies as before. A decision's run never swaps: its what-if captures changes with triggers on
 * the result tables (engine/capture.ts).
 */
import type { PgSyncPort } from '../store/pg-sync/pg-sync-port';

const NEXT = '__next';

/** The name a result table is written under during a swapping run. */
export const nextTable = (table: string): string => table + NEXT;

const oidList = (tables: readonly string[]) => `ARRAY[${tables.map((t) => `'${t}'::regclass`).join(', ')}]`;

/** Whether the result tables may be swapped (see above). */
export function canSwap(db: PgSyncPort, tables: readonly string[]): boolean {
  const oids = oidList(tables);
  const [[blocked]] = db.query(
    `SELECT
       (SELECT count(*) FROM pg_class c WHERE c.oid = ANY(${oids})
          AND (c.relrowsecurity OR NOT pg_has_role(current_user, c.relowner, 'MEMBER')))
     + (SELECT count(*) FROM pg_trigger WHERE tgrelid = ANY(${oids}) AND NOT tgisinternal)
     + (SELECT count(*) FROM pg_constraint WHERE confrelid = ANY(${oids}))
     + (SELECT count(*) FROM pg_depend WHERE refobjid = ANY(${oids}) AND classid = 'pg_rewrite'::regclass)`,
  ).rows as [number | string][];
  return Number(blocked) === 0;
}

/** Makes the empty `<table>__next` of each table: its columns, defaults and checks, no index. */
export function createNextTables(db: PgSyncPort, tables: readonly string[]): void {
  for (const t of tables)
    db.query(`CREATE TABLE ${nextTable(t)} (LIKE ${t} INCLUDING ALL EXCLUDING INDEXES)`);
}

interface Renames {
  table: string;
  constraints: string[];
  indexes: string[];
}

/**
 * Builds each new table's keys and indexes as the old table has them, then swaps the new tables
 * in (drop, rename, grants); the run's commit makes it visible.
 */
export function swapInNextTables(db: PgSyncPort, tables: readonly string[]): void {
  const renames: Renames[] = [];
  for (const t of tables) {
    const next = nextTable(t);
    const constraints = db.query(
      `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
       WHERE conrelid = '${t}'::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
    ).rows as [string, string][];
    for (const [name, def] of constraints)
      db.query(`ALTER TABLE ${next} ADD CONSTRAINT ${name}${NEXT} ${def}`);
    const indexes = db.query(
      `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = '${t}'::regclass
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY c.relname`,
    ).rows as [string, string][];
    for (const [name, def] of indexes) {
      const made = def.replace(
        /^(CREATE (?:UNIQUE )?INDEX) \S+ ON (?:ONLY )?\S+ /,
        `$1 ${name}${NEXT} ON ${next} `,
      );
      if (made === def) throw new Error(`cannot rebuild index ${name} of ${t}: ${def}`);
      db.query(made);
    }
    const grants = db.query(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
              a.privilege_type, a.is_grantable
       FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = '${t}'::regclass`,
    ).rows as [string, string, number | boolean][];
    for (const [grantee, privilege, grantable] of grants)
      db.query(`GRANT ${privilege} ON ${next} TO ${grantee}${grantable ? ' WITH GRANT OPTION' : ''}`);
    renames.push({ table: t, constraints: constraints.map(([n]) => n), indexes: indexes.map(([n]) => n) });
  }
  // every build done: from here to the commit the tables are locked, so this part is short
  for (const { table, constraints, indexes } of renames) {
    db.query(`DROP TABLE ${table}`);
    db.query(`ALTER TABLE ${nextTable(table)} RENAME TO ${table}`);
    for (const c of constraints) db.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${c}${NEXT} TO ${c}`);
    for (const i of indexes) db.query(`ALTER INDEX ${i}${NEXT} RENAME TO ${i}`);
  }
}
