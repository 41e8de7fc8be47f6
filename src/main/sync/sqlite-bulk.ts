/**
 * SQLite-specific bulk writing for imports and pulls: hoisted prepared statements over
 * `store.sqlite`, explicit BEGIN/COMMIT spanning a whole file, and the import history rows.
 * Everything SQLite-only about imports lives here so a PostgreSQL store can replace this one
 * module (COPY into a staging table + INSERT … ON CONFLICT) and keep the rest.
 */
import { copyText, PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { SqlPort, SqlStatement } from '../store/sql-port';
import { appendAuditSync } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { SourceDef } from '../sources';
import type { ReferenceDef } from '../sources/define';

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

/** What a deferring writer counts when it writes its rows (pg-bulk.ts: per flush). */
export type DeferredCounts = Pick<ImportCounts, 'added' | 'updated' | 'unchanged' | 'dangling'>;

export interface SourceWriter {
  /**
   * `values` in the order of `def.columns` (store-ready; the array is reused for the next row).
   * Returns the row's outcome, or null when the writer buffers the row and counts it (with its
   * dangling references) in `finish()` — a team database's writer (pg-bulk.ts).
   */
  upsert(values: (string | number | null)[]): UpsertOutcome | null;
  /** Whether a referenced row exists (dangling-reference count, DATA.md); asked after an outcome. */
  exists(ref: ReferenceDef, value: string): boolean;
  /**
   * After the last row, before COMMIT: writes what is buffered and returns the counts of the rows
   * whose upsert returned null. Absent: the writer defers nothing.
   */
  finish?(): DeferredCounts;
  /** Drops what is buffered (a cancelled or refused import: nothing more is written). */
  discard?(): void;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Upsert by key that tells added / updated / unchanged apart without reading rows back:
 * `INSERT … ON CONFLICT DO NOTHING` (changes = 1 → added), else
 * `UPDATE … WHERE key AND <some column differs>` (changes = 1 → updated, 0 → unchanged).
 * An unchanged row keeps its old import_id, so re-importing a file changes nothing.
 * Parameters are positional and bound from arrays reused for every row.
 */
export function sqliteSourceWriter(sqlite: SqlPort, def: SourceDef, importId: number): SourceWriter {
  const cols = def.columns.map((c) => c.dbColumn);
  const keyIdx = def.key.map((k) => def.columns.findIndex((c) => c.name === k));
  const keyCols = keyIdx.map((i) => cols[i]);
  const restIdx = cols.map((_, i) => i).filter((i) => !keyIdx.includes(i));
  const insert = sqlite.prepare(
    `INSERT INTO ${q(def.table)} (${[...cols, 'import_id'].map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}, ?) ` +
      `ON CONFLICT (${keyCols.map(q).join(', ')}) DO NOTHING`,
  );
  // UPDATE parameters, in order: the other columns (SET), import_id, the key, the other columns (IS NOT).
  const updateOrder = [...restIdx, -1, ...keyIdx, ...restIdx];
  const update = restIdx.length
    ? sqlite.prepare(
        `UPDATE ${q(def.table)} SET ${restIdx.map((i) => `${q(cols[i])} = ?`).join(', ')}, import_id = ? ` +
          `WHERE ${keyIdx.map((i) => `${q(cols[i])} = ?`).join(' AND ')} ` +
          `AND (${restIdx.map((i) => `${q(cols[i])} IS NOT ?`).join(' OR ')})`,
      )
    : null;
  const exists = new Map<string, (value: string) => boolean>();
  for (const r of def.references) exists.set(r.column, referenceCheck(sqlite, def, r));
  const params = new Array<string | number | null>(cols.length + 1);
  const updateParams = new Array<string | number | null>(updateOrder.length);
  return {
    upsert(values) {
      for (let i = 0; i < values.length; i++) params[i] = values[i];
      params[values.length] = importId;
      if (insert.run(params).changes === 1) return 'added';
      if (!update) return 'unchanged';
      for (let i = 0; i < updateOrder.length; i++) {
        const k = updateOrder[i];
        updateParams[i] = k === -1 ? importId : values[k];
      }
      return update.run(updateParams).changes === 1 ? 'updated' : 'unchanged';
    },
    exists(ref, value) {
      return exists.get(ref.column)!(value);
    },
  };
}

/** Known answers kept per reference before the cache starts over (bounds its memory). */
const MAX_CACHED_REFERENCES = 1 << 16;

/**
 * Whether a referenced row exists. A writer works inside one write transaction (BEGIN IMMEDIATE:
 * no other connection writes meanwhile) and only writes its own table, so the answer for another
 * table cannot change while it lives: answers are cached (a file's rows name the same
 * customers and orders again and again), and an empty table answers without a query.
 */
function referenceCheck(sqlite: SqlPort, def: SourceDef, ref: ReferenceDef): (value: string) => boolean {
  const stmt = sqlite.prepare(`SELECT 1 FROM ${q(ref.table)} WHERE ${q(ref.keyColumn)} = ?`).pluck();
  if (ref.table === def.table) return (value) => stmt.get(value) !== undefined;
  if (
    sqlite
      .prepare(`SELECT 1 FROM ${q(ref.table)} LIMIT 1`)
      .pluck()
      .get() === undefined
  )
    return () => false;
  let known = new Map<string, boolean>();
  return (value) => {
    let found = known.get(value);
    if (found === undefined) {
      found = stmt.get(value) !== undefined;
      if (known.size >= MAX_CACHED_REFERENCES) known = new Map();
      known.set(value, found);
    }
    return found;
  };
}

/**
 * Page cache for the length of a bulk import: 32 MB instead of the store's 64 MB. A million-row
 * transaction spills to the WAL either way; 32 MB keeps most index pages between spills (16 MB
 * spilled noticeably more: ~0.4 s more system time per million rows) and the import's memory flat
 * (2M rows: peak RSS ~200 MB against the 300 MB budget). Returns a function that restores the
 * previous setting.
 */
export function sqliteBulkTuning(sqlite: SqlPort): () => void {
  const previous = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -32768');
  return () => sqlite.pragma(`cache_size = ${Number(previous)}`);
}

/** One file (or one pull of a source) = one transaction; BEGIN IMMEDIATE takes the write lock up front. */
export function sqliteBegin(sqlite: SqlPort): void {
  sqlite.exec('BEGIN IMMEDIATE');
}
export function sqliteCommit(sqlite: SqlPort): void {
  sqlite.exec('COMMIT');
}
export function sqliteRollback(sqlite: SqlPort): void {
  if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dangling: number;
}

export interface ImportHeader {
  source: string;
  origin: 'file' | 'api' | 'demo';
  fileName: string;
  sha256: string | null;
  /** who imports (R-OP-2: the import is audited in its own transaction) */
  actor: Actor;
  startedAt: number;
}

export interface RejectionRow {
  line: number;
  column: string | null;
  value: string | null;
  code: string;
  messageZh: string;
  messageEn: string;
}

/**
 * Rejection rows kept per import in `import_rejections`: the first 1,000 (a file of 2 million
 * duplicate lines must not write 2 million of them); `imports.rows_rejected` counts them all.
 */
export const MAX_RECORDED_REJECTIONS = 1_000;

/**
 * Writes of the import history (`imports`, `import_rejections`), prepared once per store. Each
 * import's outcome is also an audit entry, in the import's own transaction (R-OP-2).
 */
export class SqliteImportLog {
  private readonly headers = new Map<number, ImportHeader>();
  /** rejection rows written so far, per import */
  private readonly recorded = new Map<number, number>();
  private readonly insertImport: SqlStatement;
  private readonly finishImport: SqlStatement;
  private readonly insertRejection: SqlStatement;

  constructor(private readonly sqlite: SqlPort) {
    this.insertImport = sqlite.prepare(
      `INSERT INTO imports (source, origin, file_name, sha256, operator_id, started_at, status)
       VALUES (@source, @origin, @fileName, @sha256, @operatorId, @startedAt, @status)`,
    );
    this.finishImport = sqlite.prepare(
      `UPDATE imports SET sha256 = @sha256, rows_added = @added, rows_updated = @updated, rows_unchanged = @unchanged,
       rows_rejected = @rejected, rows_dangling = @dangling, duration_ms = @durationMs, status = @status
       WHERE import_id = @importId`,
    );
    this.insertRejection = sqlite.prepare(
      `INSERT INTO import_rejections (import_id, line, column_name, value, code, message_zh, message_en)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  start(h: ImportHeader, status: 'committed' | 'cancelled' | 'failed' = 'committed'): number {
    const { actor, ...row } = h;
    const id = Number(
      this.insertImport.run({ ...row, operatorId: actor.operatorId, status }).lastInsertRowid,
    );
    this.headers.set(id, h);
    this.recorded.delete(id); // a rolled-back import's id may come again
    return id;
  }

  finish(
    importId: number,
    c: ImportCounts & {
      sha256: string | null;
      durationMs: number;
      status: 'committed' | 'cancelled' | 'failed';
    },
  ): void {
    // the history row and its audit entry land together (a pull's failure is recorded outside a page)
    const write = () => {
      this.finishImport.run({ importId, ...c });
      const h = this.headers.get(importId);
      if (!h) return;
      const { sha256, durationMs, status, ...counts } = c;
      appendAuditSync(this.sqlite, {
        actor: h.actor,
        action:
          status === 'committed'
            ? 'import.commit'
            : status === 'cancelled'
              ? 'import.cancel'
              : 'import.refuse',
        entity: 'import',
        entityId: String(importId),
        after: { source: h.source, origin: h.origin, file: h.fileName, sha256, counts, durationMs },
      });
    };
    if (this.sqlite.inTransaction) write();
    else this.sqlite.transaction(write)();
  }

  /** Records a rejection of an import, up to MAX_RECORDED_REJECTIONS of them. */
  reject(importId: number, r: RejectionRow): void {
    const n = this.recorded.get(importId) ?? 0;
    if (n >= MAX_RECORDED_REJECTIONS) return;
    this.recorded.set(importId, n + 1);
    this.insertRejection.run(importId, r.line, r.column, r.value, r.code, r.messageZh, r.messageEn);
  }

  /**
   * `reject` for each of `rejections`; on a team database in one COPY, not a round trip per row
   * (up to 1,000 of them would keep the refusal of a file waiting on the server for a second).
   */
  private rejectAll(importId: number, rejections: RejectionRow[]): void {
    if (!(this.sqlite instanceof PgSyncPort)) {
      for (const r of rejections) this.reject(importId, r);
      return;
    }
    const n = this.recorded.get(importId) ?? 0;
    const kept = rejections.slice(0, Math.max(0, MAX_RECORDED_REJECTIONS - n));
    if (kept.length === 0) return;
    this.recorded.set(importId, n + kept.length);
    this.sqlite.copyIn(
      'import_rejections',
      ['import_id', 'line', 'column_name', 'value', 'code', 'message_zh', 'message_en'],
      copyText(kept.map((r) => [importId, r.line, r.column, r.value, r.code, r.messageZh, r.messageEn])),
    );
  }

  /** Records a refused or cancelled import (with its rejections) in a transaction of its own. */
  recordUnsuccessful(
    h: ImportHeader,
    c: ImportCounts & { sha256: string | null; durationMs: number; status: 'cancelled' | 'failed' },
    rejections: RejectionRow[],
  ): number {
    return this.sqlite.transaction(() => {
      const id = this.start(h, c.status);
      this.finish(id, c);
      this.rejectAll(id, rejections);
      return id;
    })();
  }
}
