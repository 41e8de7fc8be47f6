/**
 * A team database's full recompute writes only what changed in a result table that holds rows
 * (pg-full-write.ts); a table that is empty, or a quarter or more of whose rows changed, it makes
 * again (issue 13). Deleting millions of rows and then copying millions more through every index
 * costs the server more than reading the whole store. So the run copies into fresh tables without
 * indexes (`<table>__next`, made in
 * the run's transaction), builds their keys and indexes once over the copied rows, and swaps them
 * in just before the commit: the old table is dropped and the new one takes its name, its
 * indexes' and its constraints' names, and its grants. A table's builds are sent down the
 * connection as soon as its last row is (buildNextTables): the server builds the indexes of the
 * attributions while the engine evaluates partners, instead of every index after the last row.
 *
 * The other desks read the last results until then; the swap itself (drop and rename, after the
 * new tables' statistics are taken) locks each result table from there to the commit, a moment,
 * and a reader that waited reads the new table. The swap locks all the tables at once and waits
 * at most SWAP_LOCK_WAIT_MS for the queries reading them (new readers queue behind it meanwhile);
 * when a longer one holds a table (a report of another tool), the run moves the new rows into the
 * tables in place instead, so no desk waits longer than that. A transaction
 * of another tool that began before the commit in REPEATABLE READ and reads a result table only
 * after it sees it empty (as after TRUNCATE); the app's reads are READ COMMITTED statements.
 *
 * The swap is used only when nothing else depends on the tables (no view, foreign key, trigger
 * but the store's own capture and digest triggers (made again on the new tables), policy, child table or
 * column default on a sequence; the desk's role may drop them and create tables in their schema);
 * otherwise the run deletes and copies as before. A decision's run never
 * swaps: it runs in its caller's transaction, whose what-if compares the result tables before and
 * after (engine/capture.ts).
 */
import { PgError, type PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { CAPTURE_TRIGGER_PREFIX } from '../store/schema/capture.sql';
import { ROW_HASH_TRIGGER_PREFIX } from '../store/schema/row-hash.sql';

/** Whether a trigger (its name in `column`) is one of the store's own on a result table: a capture
 * trigger (store/schema/capture.sql.ts) or a digest's (store/schema/row-hash.sql.ts). */
const storeTrigger = (column: string) =>
  `(starts_with(${column}, '${CAPTURE_TRIGGER_PREFIX}') OR starts_with(${column}, '${ROW_HASH_TRIGGER_PREFIX}'))`;

const NEXT = '__next';

/** The name a result table is written under during a swapping run. */
export const nextTable = (table: string): string => table + NEXT;

const oidList = (tables: readonly string[]) => `ARRAY[${tables.map((t) => `'${t}'::regclass`).join(', ')}]`;

/**
 * Where a store trigger's definition names its table (pg_get_triggerdef): one the swap can make
 * again on the new table. A store trigger it could not (disabled, or written otherwise by hand)
 * keeps the run from swapping, as another tool's trigger does.
 */
const TRIGGER_ON = ' ON [^ ]+ FOR EACH ROW ';

/** Whether the result tables may be swapped (see above). */
export function canSwap(db: PgSyncPort, tables: readonly string[]): boolean {
  const oids = oidList(tables);
  const [[blocked]] = db.query(
    `SELECT
       (SELECT count(*) FROM pg_class c WHERE c.oid = ANY(${oids})
          AND (c.relrowsecurity OR c.relhassubclass OR c.relispartition
               OR NOT pg_has_role(current_user, c.relowner, 'USAGE')
               OR NOT has_schema_privilege(c.relnamespace, 'CREATE')))
     + (SELECT count(*) FROM pg_trigger WHERE tgrelid = ANY(${oids}) AND NOT tgisinternal
          AND NOT (${storeTrigger('tgname')} AND tgenabled = 'O'
                   AND pg_get_triggerdef(oid) ~ '${TRIGGER_ON}'))
     + (SELECT count(*) FROM pg_constraint WHERE (confrelid = ANY(${oids}) OR conrelid = ANY(${oids})) AND contype = 'f')
     + (SELECT count(*) FROM pg_policy WHERE polrelid = ANY(${oids}))
     + (SELECT count(*) FROM pg_depend WHERE refobjid = ANY(${oids}) AND classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass))
     + (SELECT count(*) FROM pg_depend WHERE objid = ANY(${oids}) AND classid = 'pg_class'::regclass AND refclassid = 'pg_class'::regclass)
     + (SELECT count(*) FROM pg_attrdef WHERE adrelid = ANY(${oids}) AND pg_get_expr(adbin, adrelid) LIKE '%nextval(%')
     + (SELECT count(*) FROM pg_attribute WHERE attrelid = ANY(${oids}) AND attidentity <> '')`,
  ).rows as [number | string][];
  return Number(blocked) === 0;
}

/**
 * Makes the empty `<table>__next` of each table, in the table's schema and with its owner: its
 * columns, defaults, checks and storage settings, no index.
 */
export function createNextTables(db: PgSyncPort, tables: readonly string[]): void {
  for (const t of tables) {
    const [[schema, owner]] = db.query(
      `SELECT quote_ident(n.nspname), quote_ident(pg_get_userbyid(c.relowner))
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = '${t}'::regclass`,
    ).rows as [string, string][];
    db.query(`CREATE TABLE ${schema}.${nextTable(t)} (LIKE ${t} INCLUDING ALL EXCLUDING INDEXES)`);
    db.query(`ALTER TABLE ${schema}.${nextTable(t)} OWNER TO ${owner}`);
  }
}

/** How long the swap waits for the queries reading a result table before it moves rows instead. */
export const SWAP_LOCK_WAIT_MS = 3000;

/**
 * Runs `statement` in the run's transaction, waiting at most `waitMs` for a lock another session
 * holds (a long read, an autovacuum that will not give way); when the wait runs out (or the
 * statement would deadlock), the savepoint undoes it and the run goes on without it: whether it
 * ran. The session's own lock_timeout is put back.
 */
export function underLockWait(db: PgSyncPort, waitMs: number, statement: string): boolean {
  const [[before]] = db.query('SHOW lock_timeout').rows as [string][];
  db.query('SAVEPOINT yunke_lock_wait');
  try {
    db.query(`SET LOCAL lock_timeout = '${waitMs}ms'`);
    db.query(statement);
  } catch (e) {
    // 55P03 lock_not_available, 40P01 deadlock_detected: the savepoint undoes the wait
    if (!(e instanceof PgError) || (e.code !== '55P03' && e.code !== '40P01')) throw e;
    db.query('ROLLBACK TO SAVEPOINT yunke_lock_wait');
    db.query('RELEASE SAVEPOINT yunke_lock_wait');
    return false;
  }
  db.query(`SET LOCAL lock_timeout = '${before.replace(/'/g, "''")}'`);
  db.query('RELEASE SAVEPOINT yunke_lock_wait');
  return true;
}

/**
 * Locks every result table for the swap, or, when a query keeps one longer than
 * SWAP_LOCK_WAIT_MS (or would deadlock with the swap), none, and says so.
 */
function lockAll(db: PgSyncPort, tables: readonly string[]): boolean {
  return underLockWait(db, SWAP_LOCK_WAIT_MS, `LOCK TABLE ${tables.join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/** What a table's swap does: its keys, indexes and store triggers as the old table has them, its
 * grants, renames. */
export interface SwapPlan {
  table: string;
  /** statements that build the new table's keys and indexes, give its grants, take its statistics */
  builds: string[];
  constraints: string[];
  indexes: string[];
}

/**
 * Reads, from the catalog, how each new table is to be made like its old one (before any row is
 * written: later, a read would wait behind the builds sent down the connection, buildNextTables).
 */
export function planSwap(db: PgSyncPort, tables: readonly string[]): Map<string, SwapPlan> {
  const plans = new Map<string, SwapPlan>();
  for (const t of tables) {
    const next = nextTable(t);
    const builds: string[] = [];
    const constraints = db.query(
      `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
       WHERE conrelid = '${t}'::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
    ).rows as [string, string][];
    for (const [name, def] of constraints)
      builds.push(`ALTER TABLE ${next} ADD CONSTRAINT ${name}${NEXT} ${def}`);
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
      builds.push(made);
    }
    // the store's own triggers (capture, digest), made after the rows are copied (the run's own
    // copy is no decision's, and inserts: they would do nothing)
    const triggers = db.query(
      `SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
       WHERE tgrelid = '${t}'::regclass AND NOT tgisinternal AND ${storeTrigger('tgname')}
       ORDER BY tgname`,
    ).rows as [string, string][];
    for (const [name, def] of triggers) {
      const made = def.replace(new RegExp(TRIGGER_ON), ` ON ${next} FOR EACH ROW `);
      if (made === def) throw new Error(`cannot make trigger ${name} of ${t} again: ${def}`);
      builds.push(made);
    }
    const grants = db.query(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
              a.privilege_type, a.is_grantable
       FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = '${t}'::regclass`,
    ).rows as [string, string, number | boolean][];
    for (const [grantee, privilege, grantable] of grants)
      builds.push(`GRANT ${privilege} ON ${next} TO ${grantee}${grantable ? ' WITH GRANT OPTION' : ''}`);
    // statistics of the new rows (the lists and lookups plan from them), before any lock is taken;
    // they stay with the table through the rename
    builds.push(`ANALYZE ${next}`);
    plans.set(t, {
      table: t,
      builds,
      constraints: constraints.map(([n]) => n),
      indexes: indexes.map(([n]) => n),
    });
  }
  return plans;
}

/**
 * Sends the builds of the new tables whose rows are all written down the connection, without
 * waiting for them (the engine goes on meanwhile; the rows it sends next wait behind them on the
 * connection); their ids, to settle before the swap. `alongside`: while the engine still computes,
 * each build is one server process (parallel workers would take the core the engine runs on).
 * `rows`: how many rows the run copied into a table.
 */
export function buildNextTables(
  db: PgSyncPort,
  plans: readonly SwapPlan[],
  alongside: boolean,
  rows: (table: string) => number,
  /** whether the rows were copied frozen (COPY … FREEZE; not: inserted from other tables) */
  frozen = true,
): number[] {
  const sent: number[] = [];
  if (plans.length === 0) return sent;
  sent.push(db.send(`SET LOCAL max_parallel_maintenance_workers = ${alongside ? 0 : 'DEFAULT'}`));
  for (const p of plans) {
    sent.push(db.send(autovacuumSettings(db, p.table, rows(p.table), frozen)));
    for (const b of p.builds) sent.push(db.send(b));
  }
  return sent;
}

/**
 * The new table's rows are copied frozen and its statistics taken in the run, but PostgreSQL
 * counts its copied rows as changes at the commit, so autovacuum would vacuum and analyze every
 * result table again within a minute of each full run, for nothing, and the next run's swap would
 * wait for it (each table's wait ends only after deadlock_timeout, one table after another). The
 * new table's autovacuum thresholds start above the rows the run copied, so the first analyze
 * comes once a tenth of the table has changed since (and the first insert-driven vacuum once a
 * fifth has been added), as by default; once it has come, the next run that writes results puts
 * the defaults back (resetSpentAutovacuumSettings). The vacuum's threshold only from PostgreSQL 14
 * on: before, COPY … FREEZE does not mark pages all-visible, and that vacuum is what marks them.
 */
function autovacuumSettings(db: PgSyncPort, table: string, copied: number, frozen: boolean): string {
  const settings = [`${ANALYZE_OPTION} = ${copied + ANALYZE_THRESHOLD}`];
  // rows inserted (a table made again from the stored rows, pg-full-write.ts) are not all-visible
  // until a vacuum has come: the default threshold brings it
  if (frozen && Number.parseInt(db.serverVersion, 10) >= 14)
    settings.push(`${VACUUM_INSERT_OPTION} = ${copied + VACUUM_INSERT_THRESHOLD}`);
  return `ALTER TABLE ${nextTable(table)} SET (${settings.join(', ')})`;
}
const ANALYZE_OPTION = 'autovacuum_analyze_threshold';
const VACUUM_INSERT_OPTION = 'autovacuum_vacuum_insert_threshold';
/** PostgreSQL's defaults of autovacuum_analyze_threshold and autovacuum_vacuum_insert_threshold */
const ANALYZE_THRESHOLD = 50;
const VACUUM_INSERT_THRESHOLD = 1000;

/**
 * Puts back the default autovacuum thresholds of the result tables whose raised ones
 * (autovacuumSettings) are spent: analyzed again since the run that made them (which analyzed
 * them once), or vacuumed since (it did not). A run that writes results calls it in its
 * transaction; tables of another owner are left as they are.
 */
export function resetSpentAutovacuumSettings(db: PgSyncPort, tables: readonly string[]): void {
  // (regclass names a table as this session must: quoted, with its schema when not on the path)
  const spent = db.query(
    `SELECT c.oid::regclass::text, o.option_name
     FROM pg_class c CROSS JOIN LATERAL pg_options_to_table(c.reloptions) o
     WHERE c.oid = ANY(${oidList(tables)})
       AND pg_has_role(current_user, c.relowner, 'USAGE')
       AND ((o.option_name = '${ANALYZE_OPTION}'
             AND pg_stat_get_analyze_count(c.oid) + pg_stat_get_autoanalyze_count(c.oid) >= 2)
         OR (o.option_name = '${VACUUM_INSERT_OPTION}'
             AND pg_stat_get_vacuum_count(c.oid) + pg_stat_get_autovacuum_count(c.oid) >= 1))`,
  ).rows as [string, string][];
  const byTable = new Map<string, string[]>();
  for (const [table, option] of spent) byTable.set(table, [...(byTable.get(table) ?? []), option]);
  // (a table another session holds, an autovacuum say, keeps its settings until the next run: the
  // run does not wait for it, holding every desk's write lock)
  for (const [table, options] of byTable)
    underLockWait(db, SWAP_LOCK_WAIT_MS, `ALTER TABLE ${table} RESET (${options.join(', ')})`);
}

/**
 * Waits for the builds sent (buildNextTables), then swaps the new tables in (drop, rename); the
 * run's commit makes it visible.
 */
export function swapInNextTables(db: PgSyncPort, plans: readonly SwapPlan[], sent: readonly number[]): void {
  // every build done: from here to the commit the tables are locked, so this part is short; they
  // are taken all at once, waiting at most SWAP_LOCK_WAIT_MS for the queries reading them
  for (const id of sent) db.settle(id);
  const tables = plans.map((p) => p.table);
  if (!lockAll(db, tables)) {
    // a long read holds one: the rows are moved into the tables in place instead (the readers
    // read on meanwhile), as a run that cannot swap writes them
    for (const t of tables) {
      db.query(`DELETE FROM ${t}`);
      db.query(`INSERT INTO ${t} SELECT * FROM ${nextTable(t)}`);
      db.query(`DROP TABLE ${nextTable(t)}`);
    }
    // (statistics skipped where another session holds a table, an autovacuum say: it takes them)
    for (const t of tables) underLockWait(db, SWAP_LOCK_WAIT_MS, `ANALYZE ${t}`);
    return;
  }
  for (const { table, constraints, indexes } of plans) {
    db.query(`DROP TABLE ${table}`);
    db.query(`ALTER TABLE ${nextTable(table)} RENAME TO ${table}`);
    for (const c of constraints) db.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${c}${NEXT} TO ${c}`);
    for (const i of indexes) db.query(`ALTER INDEX ${i}${NEXT} RENAME TO ${i}`);
  }
}
