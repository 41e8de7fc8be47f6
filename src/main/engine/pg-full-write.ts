/**
 * How a team database's own full recompute writes its result rows (issue 13; R-RECALC-1: the
 * results replaced in one transaction). A full run mostly finds what the last one found: rewriting
 * every row (some two million on `demo --scale 20`) and building every index again cost the server
 * more than reading the whole store, and wrote some 400 MB of WAL for every standby and backup to
 * take. So each result table is written one of three ways, chosen before the first row:
 *
 * - `diff`, a table that holds rows: the driver thread reads them once (each one's ctid and the
 *   digest of the line the run that wrote it wrote: store/schema/row-hash.sql.ts,
 *   store/pg-sync/row-diff.ts), while the engine waits for its same-person grouping from the full
 *   run's helper (a small store's run groups after these reads, on this connection); the run's rows
 *   then go to the driver, which drops each one a stored row has the digest of and copies the
 *   others, with their digests, into the fresh table the table may be made again as (`<table>__next`,
 *   COPY … FREEZE; a temporary table where tables may not be swapped). When the table's rows are
 *   all written, the stored rows nothing matched are deleted and the changed ones inserted, in
 *   place: the indexes take only the changes, and the other desks read the last results until the
 *   commit. When a quarter or more of the rows changed (a new configuration, say), in-place changes
 *   would cost more than a rebuild: the stored rows the run matched are added to the fresh table,
 *   which is built and swapped in as below.
 * - `swap`, an empty table (a first run) that may be swapped (pg-result-swap.ts canSwap): rows are
 *   copied straight into a fresh table, its indexes built, and it is swapped in before the commit.
 * - `plain`, an empty table that may not be swapped: rows are copied into it.
 * Every row the run copies carries its digest, for the next run's diff.
 * A role the database refuses temporary tables writes every row: a table that holds rows is
 * swapped, or emptied and written where it may not be.
 *
 * A decision's run (in its caller's transaction, whose what-if compares the result tables before
 * and after) does not come here: it writes in place as before (persist.ts).
 */
import type { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import {
  buildNextTables,
  createNextTables,
  nextTable,
  planSwap,
  resetSpentAutovacuumSettings,
  swapInNextTables,
  underLockWait,
  type SwapPlan,
} from './pg-result-swap';
import type { CopyInsert } from './persist';
import { ROW_HASH, rowHashTriggers } from '../store/schema/row-hash.sql';

type TableWay = 'diff' | 'swap' | 'plain';

/** A run's columns of a table and the digest its rows carry. */
const digested = (insert: CopyInsert) => [...insert.columns, ROW_HASH].join(', ');

/** The temporary table a diff's changed rows are copied into (dropped at the commit). */
const changedTable = (table: string): string => `${table}__changed`;

/**
 * The share of a table's rows (changed rows over the larger of the rows stored and written) from
 * which a table that may be swapped is rebuilt rather than changed in place.
 */
const REBUILD_SHARE = 0.25;
/** The share from which a table changed in place has its statistics taken again in the run. */
const ANALYZE_SHARE = 0.1;
/** How long that ANALYZE waits for a lock another session holds (an autovacuum, say). */
const ANALYZE_LOCK_WAIT_MS = 3000;

/** The result tables in the order a full run writes their last rows (engine/full.ts). */
const DONE_ORDER = [
  'result_same_person',
  'result_same_person_edges',
  'result_attributions',
  'result_experience',
  'result_orders',
  'result_partners',
  'result_payouts',
  'result_levels',
  'result_investigation',
  'result_investigation_partners',
];
const doneOrder = (table: string) => {
  const i = DONE_ORDER.indexOf(table);
  return i < 0 ? DONE_ORDER.length : i;
};

export class TeamFullWrite {
  private readonly ways = new Map<string, TableWay>();
  private readonly diffReads = new Map<string, number>();
  /** the diffs ended (sendDiffApply), by table */
  private readonly applies = new Map<string, number>();
  /** tables made again and swapped in before the commit */
  private readonly plans = new Map<string, SwapPlan>();
  /** how each table the run may make again is made (read before any row is sent) */
  private readonly spare = new Map<string, SwapPlan>();
  /** tables whose rows are all written */
  private readonly ended = new Set<string>();
  /** statements sent down the connection, settled before the commit */
  private readonly sent: number[] = [];

  /**
   * `inserts`: the run's writer of each result table, by table name; `swappable`: whether the
   * result tables may be swapped (pg-result-swap.ts canSwap).
   */
  constructor(
    private readonly db: PgSyncPort,
    private readonly inserts: Map<string, CopyInsert>,
    private readonly swappable: boolean,
  ) {}

  /** Before the first row: each table's way; a diff's stored rows are read meanwhile. */
  begin(): void {
    const tables = [...this.inserts.keys()];
    // raised autovacuum thresholds of an earlier run's swapped tables, spent since, go back to the
    // defaults: the tables changed in place count their changes as autovacuum expects
    resetSpentAutovacuumSettings(this.db, tables);
    // (where no table may be made, a diff's changed rows wait in a temporary table: a role the
    // database refuses them to writes every row, as before)
    // (a ctid names a row of one table: a table with child tables, whose reads and deletes reach
    // theirs too, writes every row)
    // (a table's stored digests are trusted only while both its digest triggers are there and
    // enabled: store/schema/row-hash.sql.ts)
    const [[mayTemp, ...perTable]] = this.db.query(
      `SELECT has_database_privilege(current_database(), 'TEMP'),
              ${tables
                .map(
                  (t) => `EXISTS (SELECT 1 FROM ${t}),
                    (SELECT relkind = 'r' AND NOT relhassubclass FROM pg_class WHERE oid = '${t}'::regclass),
                    (SELECT reltuples FROM pg_class WHERE oid = '${t}'::regclass),
                    (SELECT count(*) = 2 FROM pg_trigger WHERE tgrelid = '${t}'::regclass
                       AND tgname IN (${rowHashTriggers(t)
                         .map((n) => `'${n}'`)
                         .join(', ')}) AND tgenabled IN ('O', 'A'))`,
                )
                .join(', ')}`,
    ).rows as (number | boolean)[][];
    const PER = 4;
    const holds = tables.map((_, i) => perTable[PER * i]);
    const single = tables.map((_, i) => perTable[PER * i + 1]);
    // the server's estimate of the rows a table holds (ANALYZE, autovacuum; -1, or 0 before
    // PostgreSQL 14, before either): a diff's table of stored rows is made that size at once
    const estimate = new Map(tables.map((t, i) => [t, Math.max(0, Number(perTable[PER * i + 2]))]));
    const trusted = new Map(
      tables.map((t, i) => [t, perTable[PER * i + 3] === true || perTable[PER * i + 3] === 1]),
    );
    const swapped: string[] = [];
    const diffed: string[] = [];
    tables.forEach((t, i) => {
      const diff = holds[i] && single[i] && (this.swappable || mayTemp);
      const way: TableWay = diff ? 'diff' : this.swappable ? 'swap' : 'plain';
      this.ways.set(t, way);
      if (way === 'diff') diffed.push(t);
      else if (way === 'swap') swapped.push(t);
      // a table not swapped is emptied and written (it holds rows only where there is no diff)
      else if (holds[i]) this.db.query(`DELETE FROM ${t}`);
    });
    // a table the run may make again: an empty one, and a diffed one should much of it change
    // (its changed rows are copied into that fresh table, frozen, in the meantime)
    const fresh = this.swappable ? [...swapped, ...diffed] : [];
    if (fresh.length > 0) {
      // (planned before any row or read is sent: a catalog read later would wait behind them)
      for (const [t, plan] of planSwap(this.db, fresh)) this.spare.set(t, plan);
      createNextTables(this.db, fresh);
    }
    for (const t of swapped) {
      this.plans.set(t, this.spare.get(t)!);
      this.inserts.get(t)!.retarget(nextTable(t), { freeze: true });
    }
    // where no table may be made, the changed rows wait in temporary tables (the run's columns
    // only: a column another tool added takes its default in the table); made before the stored
    // rows are read: a statement sent behind a read would wait for it
    if (!this.swappable)
      for (const t of diffed)
        this.db.query(
          `CREATE TEMP TABLE ${changedTable(t)} ON COMMIT DROP AS SELECT ${digested(this.inserts.get(t)!)} FROM ${t} WITH NO DATA`,
        );
    // in the order the run completes them (engine/full.ts), so that a table's changes wait for no
    // later table's read
    diffed.sort((a, b) => doneOrder(a) - doneOrder(b));
    // each table read from its first row on, in its rows' order, which is mostly the order the run
    // makes them in (row-diff.ts): not where another session's scan of it has come to, nor by
    // parallel workers
    if (diffed.length > 0)
      this.db.query('SET LOCAL synchronize_seqscans = off; SET LOCAL max_parallel_workers_per_gather = 0');
    for (const t of diffed) {
      const insert = this.inserts.get(t)!;
      insert.retarget(this.stagingOf(t), { diff: t, freeze: this.swappable });
      // (in hex, whatever the server's bytea_output; none, where the digests are not trusted: every
      // row is then written again)
      const digest = trusted.get(t) ? `encode(${ROW_HASH}, 'hex')` : 'NULL::text';
      this.diffReads.set(t, this.db.sendDiffRead(t, `SELECT ctid, ${digest} FROM ${t}`, estimate.get(t)));
    }
  }

  /** Where a diffed table's changed rows wait: the fresh table it may be made again as, or a
   * temporary one. */
  private stagingOf(table: string): string {
    return this.swappable ? nextTable(table) : changedTable(table);
  }

  /**
   * `tables` get no more rows: a swapped table's keys and indexes are built meanwhile
   * (`alongside` the engine's evaluation: one server process each); a diff's changes are made
   * meanwhile by the driver thread, unless they are many: then its fresh table gets the stored rows
   * the run matched, to be swapped in. Its keys and indexes are built meanwhile either way: for a
   * few changed rows that is little work (and the fresh table is dropped at the end), for many it
   * is the work a swapped table's build does, at the same time.
   */
  done(tables: readonly string[], alongside: boolean): void {
    const swapped: SwapPlan[] = [];
    const diffed: SwapPlan[] = [];
    for (const t of tables) {
      if (this.ended.has(t)) continue;
      this.ended.add(t);
      const insert = this.inserts.get(t)!;
      insert.send();
      const way = this.ways.get(t);
      if (way === 'diff') {
        this.applies.set(
          t,
          this.db.sendDiffApply({
            diff: t,
            table: t,
            staging: this.stagingOf(t),
            columns: [...insert.columns, ROW_HASH],
            rebuildShare: this.swappable ? REBUILD_SHARE : 0,
          }),
        );
        if (this.swappable) diffed.push(this.spare.get(t)!);
      } else if (way === 'swap') swapped.push(this.plans.get(t)!);
      else this.sent.push(this.db.send(`ANALYZE ${t}`));
    }
    const written = (t: string) => this.inserts.get(t)!.written;
    this.sent.push(...buildNextTables(this.db, swapped, alongside, written));
    // (a table made again holds rows inserted, not copied frozen: autovacuum vacuums them as any)
    this.sent.push(...buildNextTables(this.db, diffed, alongside, written, false));
  }

  /** Every row is written: the last changes made, the tables made again swapped in (before the
   * commit). */
  finish(): void {
    this.done(
      [...this.inserts.keys()].filter((t) => !this.ended.has(t)),
      false,
    );
    // every row sent (a failed COPY throws here), every stored row read
    for (const insert of this.inserts.values()) insert.flush();
    for (const id of this.diffReads.values()) this.db.settle(id);
    this.diffReads.clear();
    // what each diff did: a table changed in place drops the fresh table (and, a tenth or more of
    // it changed, has its statistics taken again, unless another session holds it), one made
    // again is swapped in
    for (const [t, id] of this.applies) {
      const d = this.db.diffApplied(id);
      if (d.rebuild) {
        this.plans.set(t, this.spare.get(t)!);
        continue;
      }
      if (this.swappable) this.sent.push(this.db.send(`DROP TABLE ${nextTable(t)}`));
      const changed = d.stored - d.matched + d.kept;
      if (changed > 0 && changed >= ANALYZE_SHARE * Math.max(d.stored, d.written)) {
        for (const id of this.sent.splice(0)) this.db.settle(id);
        underLockWait(this.db, ANALYZE_LOCK_WAIT_MS, `ANALYZE ${t}`);
      }
    }
    this.applies.clear();
    const swapped = [...this.plans.values()];
    if (swapped.length > 0) swapInNextTables(this.db, swapped, this.sent.splice(0));
    else for (const id of this.sent.splice(0)) this.db.settle(id);
  }

  /** The run failed: replies still due are dropped as they come, the diffs forgotten. */
  abandon(): void {
    for (const id of this.sent.splice(0)) this.db.forget(id);
    for (const id of [...this.diffReads.values(), ...this.applies.values()]) this.db.forget(id);
    this.diffReads.clear();
    this.applies.clear();
    this.db.dropDiffs();
  }
}
