/**
 * Bulk writing of imports and pulls on a team database (issue 13): the PostgreSQL counterpart of
 * `sqliteSourceWriter` (sqlite-bulk.ts). A row per round trip (INSERT, UPDATE, reference checks)
 * costs ~100 µs+ on a server, so rows are written into COPY's text format as UTF-8 bytes
 * (copy-buffer.ts: no string per row; the bytes are transferred to the driver thread, not copied)
 * and sent per flush (FIRST_FLUSH_ROWS rows, then twice as many each time up to FLUSH_ROWS, or
 * FLUSH_BYTES, and at the end) down the connection without waiting (pipelined: the server works
 * on one flush while the next rows are parsed; the next flush, or the end, collects the counts).
 * A flush is written one of two ways, chosen at the first flush:
 *   - direct, when the table has no row yet (a first import): ONE `COPY` straight into the table,
 *     import_id included — every row is added (the file's keys are distinct: RowProcessor refuses
 *     a repeated one; the import holds the store's write lock, so no other desk writes), and the
 *     server does what a raw COPY of the same rows would, no more;
 *   - merge, otherwise:
 *     1. COPY into a temp stage table (dropped at COMMIT or ROLLBACK, emptied after each flush);
 *     2. ONE `INSERT … SELECT FROM stage ON CONFLICT (key) DO UPDATE … WHERE (row) IS DISTINCT
 *        FROM (EXCLUDED row) RETURNING (xmax = 0)`: added rows come back true, updated ones false,
 *        an unchanged row not at all (and keeps its old import_id, as on SQLite);
 *     3. TRUNCATE of the stage.
 * Dangling references to other tables are counted here (ReferenceCheck): those tables do not
 * change during the import, so each distinct value is asked about once (`unnest($1) … NOT EXISTS`,
 * sent with the flush that first holds it) and a row is counted when its values are known.
 * The counts are exactly SQLite's for the same file: SQLite checks a row's references right after
 * writing it, so a reference to the importing table itself finds the rows before the import, the
 * rows of earlier flushes (already merged) and the staged rows up to and including itself (a row
 * later in the file does not count) — such a source always merges, the stage keeps each row's
 * place in the file (`yk_seq`) and the server counts its dangling rows (NOT EXISTS per reference).
 */
import type { SourceDef } from '../sources';
import type { SqlPort } from '../store/sql-port';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { CopyBuffer } from '../store/pg-sync/copy-buffer';
import { KeySet } from './key-set';
import { sqliteSourceWriter, type DeferredCounts, type SourceWriter } from './sqlite-bulk';

/** Rows per flush. */
export const FLUSH_ROWS = 50_000;
/**
 * Rows of the first flush: the server starts on them at once instead of waiting for a whole
 * FLUSH_ROWS (each next flush is twice as large, up to FLUSH_ROWS).
 */
export const FIRST_FLUSH_ROWS = 4_000;
/** Buffered COPY bytes per flush. */
export const FLUSH_BYTES = 8 << 20;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

let stages = 0;

export interface PgWriterOptions {
  flushRows?: number;
  flushBytes?: number;
}

/** The writer of a store's port: buffered COPY on a team database, per row on a SQLite file. */
export function sourceWriterFor(port: SqlPort, def: SourceDef, importId: number): SourceWriter {
  return port instanceof PgSyncPort
    ? pgSourceWriter(port, def, importId)
    : sqliteSourceWriter(port, def, importId);
}

/**
 * A reference of a source to ANOTHER table, checked by the writer: that table does not change
 * while the file is imported (the import writes its own table only), so a value is asked about
 * once per import. A row whose values are all known is counted at once; the others wait for their
 * flush, which asks the server about the values it had not seen (`SELECT … FROM unnest($1) WHERE
 * NOT EXISTS …`, pipelined with the flush's COPY). KeySets: a file of millions of distinct
 * references stays compact.
 */
interface ReferenceCheck {
  index: number;
  /** Values asked about: found in the referenced table, or not. */
  present: KeySet;
  missing: KeySet;
  /** Values of the current buffer to ask about. */
  asked: Set<string>;
  asks: string[];
  sql: string;
}

/**
 * A team database's source writer: `upsert` buffers and returns null; `finish` flushes and
 * returns the counts. Works inside the import's transaction (BEGIN IMMEDIATE on the port).
 */
export function pgSourceWriter(
  port: PgSyncPort,
  def: SourceDef,
  importId: number,
  options: PgWriterOptions = {},
): SourceWriter {
  const flushRows = options.flushRows ?? FLUSH_ROWS;
  const flushBytes = options.flushBytes ?? FLUSH_BYTES;
  const cols = def.columns.map((c) => c.dbColumn);
  const keyIdx = def.key.map((k) => def.columns.findIndex((c) => c.name === k));
  const keyCols = keyIdx.map((i) => cols[i]);
  const rest = cols.filter((_, i) => !keyIdx.includes(i));
  const target = q(def.table);
  const stage = `yk_stage_${++stages}`;
  const colList = cols.map(q).join(', ');
  // A reference to the importing table itself depends on each row's place in the file: such a
  // source always goes through the stage (with yk_seq) and the server counts its dangling rows.
  const selfReferencing = def.references.some((r) => r.table === def.table);
  // the columns of a buffered row: its place in the file and values, or its values and import
  const rowColumns = selfReferencing ? ['yk_seq', ...cols] : [...cols, 'import_id'];

  const merge =
    `WITH m AS (INSERT INTO ${target} AS t (${colList}, import_id) ` +
    `SELECT ${colList}, $1::bigint FROM ${stage} ` +
    (rest.length
      ? `ON CONFLICT (${keyCols.map(q).join(', ')}) DO UPDATE SET ` +
        `${rest.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}, import_id = EXCLUDED.import_id ` +
        `WHERE ROW(${rest.map((c) => `t.${q(c)}`).join(', ')}) IS DISTINCT FROM ` +
        `ROW(${rest.map((c) => `EXCLUDED.${q(c)}`).join(', ')}) `
      : `ON CONFLICT (${keyCols.map(q).join(', ')}) DO NOTHING `) +
    `RETURNING (t.xmax = 0) AS added) ` +
    `SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM m`;

  // A row dangles when one of its references (a non-null value) names no row (row-processor.ts).
  const conditions = def.references.map((ref) => {
    const col = q(def.columns.find((c) => c.name === ref.column)!.dbColumn);
    const elsewhere = `NOT EXISTS (SELECT 1 FROM ${q(ref.table)} r WHERE r.${q(ref.keyColumn)} = s.${col})`;
    if (ref.table !== def.table) return `(s.${col} IS NOT NULL AND ${elsewhere})`;
    // the importing table: its rows before this flush, and the staged rows up to this one
    return (
      `(s.${col} IS NOT NULL AND ${elsewhere} AND NOT EXISTS (SELECT 1 FROM ${stage} s2 ` +
      `WHERE s2.${q(ref.keyColumn)} = s.${col} AND s2.yk_seq <= s.yk_seq))`
    );
  });
  const dangling =
    selfReferencing && conditions.length
      ? `SELECT count(*) FROM ${stage} s WHERE ${conditions.join(' OR ')}`
      : null;
  const checks: ReferenceCheck[] = selfReferencing
    ? []
    : def.references.map((ref) => ({
        index: def.columns.findIndex((c) => c.name === ref.column),
        present: new KeySet(),
        missing: new KeySet(),
        asked: new Set<string>(),
        asks: [],
        sql:
          `SELECT u.v FROM unnest($1::text[]) AS u(v) ` +
          `WHERE NOT EXISTS (SELECT 1 FROM ${q(ref.table)} r WHERE r.${q(ref.keyColumn)} = u.v)`,
      }));

  /**
   * How flushes write: `direct` — COPY straight into the table, when it had no row at the first
   * flush (every row is then added: the file's keys are distinct, RowProcessor refuses a repeated
   * one, and the import holds the store's write lock, so no other desk adds rows meanwhile);
   * `merge` — through the stage and the merge statement.
   */
  let mode: 'direct' | 'merge' | null = null;
  let created = false;
  const data = new CopyBuffer();
  let flushAt = Math.min(flushRows, FIRST_FLUSH_ROWS);
  let seq = 0;
  /** Per row still waiting for its flush's answers: its reference values (checks.length each). */
  let pending: (string | null)[] = [];
  const totals: DeferredCounts = { added: 0, updated: 0, unchanged: 0, dangling: 0 };

  interface Flush {
    copy: number;
    dangling: number | null;
    merge: number | null;
    truncate: number | null;
    /** per reference check: the request asking about its values, and those values */
    asks: (number | null)[];
    asked: string[][];
    pending: (string | null)[];
  }
  const requests = (f: Flush) =>
    [f.copy, f.dangling, f.merge, f.truncate, ...f.asks].filter((id): id is number => id !== null);
  /** The flush in flight (at most one): sent, not yet settled. */
  let inFlight: Flush | null = null;

  /** Waits for the flush in flight and adds its counts. */
  const settle = () => {
    if (!inFlight) return;
    const f = inFlight;
    inFlight = null;
    try {
      const copied = port.settle(f.copy).rowCount;
      if (f.dangling !== null) totals.dangling += Number(port.settle(f.dangling).rows[0][0]);
      if (f.merge !== null) {
        const [added, updated] = port.settle(f.merge).rows[0].map(Number);
        totals.added += added;
        totals.updated += updated;
        totals.unchanged += copied - added - updated;
      } else totals.added += copied;
      if (f.truncate !== null) port.settle(f.truncate);
      for (let k = 0; k < checks.length; k++) {
        const id = f.asks[k];
        if (id === null) continue;
        const missing = new Set(port.settle(id).rows.map((r) => r[0] as string));
        const c = checks[k];
        for (const v of f.asked[k]) (missing.has(v) ? c.missing : c.present).add(v);
      }
    } catch (e) {
      // the transaction is aborted: the rest of the flush's replies are of no interest
      for (const id of requests(f)) port.forget(id);
      throw e;
    }
    const n = checks.length;
    const rows = f.pending;
    for (let i = 0; i < rows.length; i += n)
      for (let k = 0; k < n; k++) {
        const v = rows[i + k];
        if (v !== null && checks[k].missing.has(v)) {
          totals.dangling++;
          break;
        }
      }
  };

  /**
   * Sends the buffered rows down the connection and returns at once: the server writes them
   * while the next rows are read and checked (the flush before is settled first, so at most one
   * is in flight and two buffers are held).
   */
  const flush = () => {
    settle();
    if (data.rows === 0) return;
    if (!port.inTransaction) throw new Error('pg-bulk: a flush runs inside the import transaction');
    mode ??=
      selfReferencing || port.query(`SELECT EXISTS (SELECT 1 FROM ${target})`).rows[0][0]
        ? 'merge'
        : 'direct';
    const asks = checks.map((c) => (c.asks.length ? port.send(c.sql, [c.asks]) : null));
    const asked = checks.map((c) => {
      const a = c.asks;
      c.asks = [];
      c.asked.clear();
      return a;
    });
    if (mode === 'direct') {
      inFlight = {
        copy: port.sendCopy(def.table, rowColumns, data.take()),
        dangling: null,
        merge: null,
        truncate: null,
        asks,
        asked,
        pending,
      };
    } else {
      if (!created) {
        // the columns as the target has them (types, collation), plus each row's place in the file
        port.query(
          `CREATE TEMP TABLE ${stage} ON COMMIT DROP AS ` +
            `SELECT ${selfReferencing ? `0::bigint AS yk_seq, ${colList}` : `${colList}, import_id`} ` +
            `FROM ${target} WITH NO DATA`,
        );
        created = true;
      }
      inFlight = {
        copy: port.sendCopy(stage, rowColumns, data.take()),
        dangling: dangling ? port.send(dangling) : null,
        merge: port.send(merge, [importId]),
        truncate: port.send(`TRUNCATE ${stage}`),
        asks,
        asked,
        pending,
      };
    }
    pending = [];
    flushAt = Math.min(flushRows, flushAt * 2);
  };

  return {
    upsert(values) {
      if (selfReferencing) data.row(++seq, values, -1);
      else data.row(-1, values, importId);
      if (checks.length) {
        let unknown = false;
        let dangles = false;
        for (const c of checks) {
          const v = values[c.index];
          if (typeof v !== 'string' || c.present.has(v)) continue;
          if (c.missing.has(v)) {
            dangles = true;
            break;
          }
          unknown = true;
          if (!c.asked.has(v)) {
            c.asked.add(v);
            c.asks.push(v);
          }
        }
        if (dangles) totals.dangling++;
        else if (unknown)
          for (const c of checks) {
            const v = values[c.index];
            pending.push(typeof v === 'string' ? v : null);
          }
      }
      if (data.rows >= flushAt || data.length >= flushBytes) flush();
      return null;
    },
    exists() {
      throw new Error('pg-bulk: references are counted per flush');
    },
    finish() {
      flush();
      settle();
      return { ...totals };
    },
    discard() {
      data.clear();
      pending = [];
      for (const c of checks) {
        c.asks = [];
        c.asked.clear();
      }
      if (inFlight) for (const id of requests(inFlight)) port.forget(id);
      inFlight = null;
    },
  };
}
