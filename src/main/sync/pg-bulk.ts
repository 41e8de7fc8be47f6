/**
 * Bulk writing of imports and pulls on a team database (issue 13): the PostgreSQL counterpart of
 * `sqliteSourceWriter` (sqlite-bulk.ts). A row per round trip (INSERT, UPDATE, reference checks)
 * costs ~100 µs+ on a server, so rows are buffered in COPY's text format and written per flush
 * (every FLUSH_ROWS rows or FLUSH_CHARS characters, and at the end) in four statements, sent
 * down the connection without waiting (pipelined: the server works on one flush while the next
 * rows are parsed; the next flush, or the end, collects the counts):
 *   1. COPY into a temp stage table (dropped at COMMIT or ROLLBACK, emptied after each flush);
 *   2. the dangling count of the staged rows (NOT EXISTS per reference);
 *   3. ONE `INSERT … SELECT FROM stage ON CONFLICT (key) DO UPDATE … WHERE (row) IS DISTINCT FROM
 *      (EXCLUDED row) RETURNING (xmax = 0)`: added rows come back true, updated ones false, an
 *      unchanged row not at all (and keeps its old import_id, as on SQLite);
 *   4. TRUNCATE of the stage.
 * The counts are exactly SQLite's for the same file: SQLite checks a row's references right after
 * writing it, so a reference to the importing table itself finds the rows before the import, the
 * rows of earlier flushes (already merged) and the staged rows up to and including itself (a row
 * later in the file does not count) — the stage keeps each row's place in the file (`yk_seq`).
 */
import type { SourceDef } from '../sources';
import type { SqlPort } from '../store/sql-port';
import { copyValue, PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { sqliteSourceWriter, type DeferredCounts, type SourceWriter } from './sqlite-bulk';

/** Rows per flush. */
export const FLUSH_ROWS = 50_000;
/** Buffered COPY text per flush, in characters (≈ bytes for the ASCII of most exports). */
export const FLUSH_CHARS = 8 << 20;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

let stages = 0;

export interface PgWriterOptions {
  flushRows?: number;
  flushChars?: number;
}

/** The writer of a store's port: buffered COPY on a team database, per row on a SQLite file. */
export function sourceWriterFor(port: SqlPort, def: SourceDef, importId: number): SourceWriter {
  return port instanceof PgSyncPort
    ? pgSourceWriter(port, def, importId)
    : sqliteSourceWriter(port, def, importId);
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
  const flushChars = options.flushChars ?? FLUSH_CHARS;
  const cols = def.columns.map((c) => c.dbColumn);
  const keyIdx = def.key.map((k) => def.columns.findIndex((c) => c.name === k));
  const keyCols = keyIdx.map((i) => cols[i]);
  const rest = cols.filter((_, i) => !keyIdx.includes(i));
  const target = q(def.table);
  const stage = `yk_stage_${++stages}`;
  const colList = cols.map(q).join(', ');

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
  const dangling = conditions.length
    ? `SELECT count(*) FROM ${stage} s WHERE ${conditions.join(' OR ')}`
    : null;

  let created = false;
  let buffer = '';
  let buffered = 0;
  let seq = 0;
  const totals: DeferredCounts = { added: 0, updated: 0, unchanged: 0, dangling: 0 };

  /** The statements of the flush in flight (at most one): sent, not yet settled. */
  let inFlight: { copy: number; dangling: number | null; merge: number; truncate: number } | null = null;

  /** Waits for the flush in flight and adds its counts. */
  const settle = () => {
    if (!inFlight) return;
    const f = inFlight;
    inFlight = null;
    try {
      const staged = port.settle(f.copy).rowCount;
      if (f.dangling !== null) totals.dangling += Number(port.settle(f.dangling).rows[0][0]);
      const [added, updated] = port.settle(f.merge).rows[0].map(Number);
      port.settle(f.truncate);
      totals.added += added;
      totals.updated += updated;
      totals.unchanged += staged - added - updated;
    } catch (e) {
      // the transaction is aborted: the rest of the flush's replies are of no interest
      for (const id of [f.copy, f.dangling, f.merge, f.truncate]) if (id !== null) port.forget(id);
      throw e;
    }
  };

  /**
   * Sends the buffered rows down the connection and returns at once: the server stages and
   * merges them while the next rows are read and checked (the flush before is settled first,
   * so at most one is in flight and two buffers are held).
   */
  const flush = () => {
    settle();
    if (buffered === 0) return;
    if (!port.inTransaction) throw new Error('pg-bulk: a flush runs inside the import transaction');
    if (!created) {
      // the columns as the target has them (types, collation), plus each row's place in the file
      port.query(
        `CREATE TEMP TABLE ${stage} ON COMMIT DROP AS ` +
          `SELECT 0::bigint AS yk_seq, ${colList} FROM ${target} WITH NO DATA`,
      );
      created = true;
    }
    inFlight = {
      copy: port.sendCopy(stage, ['yk_seq', ...cols], buffer),
      dangling: dangling ? port.send(dangling) : null,
      merge: port.send(merge, [importId]),
      truncate: port.send(`TRUNCATE ${stage}`),
    };
    buffer = '';
    buffered = 0;
  };

  return {
    upsert(values) {
      let line = String(++seq);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        line += '\t';
        line += typeof v === 'number' ? String(v) : copyValue(v);
      }
      buffer += line + '\n';
      if (++buffered >= flushRows || buffer.length >= flushChars) flush();
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
      buffer = '';
      buffered = 0;
      if (inFlight) for (const id of Object.values(inFlight)) if (id !== null) port.forget(id);
      inFlight = null;
    },
  };
}
