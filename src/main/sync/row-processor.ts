import type { SourceDef } from '../sources';
import { UNUSUAL, type CellReader, type CellValue } from '../sources/define';
import { rowMessages, visibleControls, type RowErrorCode } from '../sources/messages';
import { compositeKey, KeySet } from './key-set';
import type { ImportCounts, RejectionRow, SourceWriter } from './sqlite-bulk';

/** A row problem, as listed to the user: file, line, column, value, message (zh-CN + English). */
export interface Rejection extends RejectionRow {
  file: string;
}

/** A row before validation: canonical column → cell text (absent = empty). */
export type CanonicalRow = Record<string, string | undefined>;

const MAX_VALUE_SHOWN = 200;

/** A value as listed: cut to 200 characters, control characters made visible (never raw on a terminal). */
export function showValue(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const shown = v.length > MAX_VALUE_SHOWN ? `${v.slice(0, MAX_VALUE_SHOWN)}… (${v.length} chars)` : v;
  return visibleControls(shown);
}

export function rejection(
  file: string,
  line: number,
  column: string | null,
  value: string | null,
  code: RowErrorCode,
): Rejection {
  return {
    file,
    line,
    column,
    value: showValue(value),
    code,
    messageZh: rowMessages[code].zh,
    messageEn: rowMessages[code].en,
  };
}

/**
 * Validates rows cell by cell with the source's column readers (zod schema per column, behind a
 * hand-written fast path for the common forms), refuses a key already seen in this file (the
 * later line is the error), and writes valid rows through the writer while `writing` holds.
 * Shared by file imports and API pulls so both apply exactly the same rules. The hot path
 * (processCells) allocates nothing per row but the values it hands to the store.
 */
export class RowProcessor {
  readonly counts: ImportCounts = { added: 0, updated: 0, unchanged: 0, rejected: 0, dangling: 0 };
  /** Rows that passed validation (written or not). */
  valid = 0;
  private readonly seen = new KeySet();
  private readonly keyIdx: number[];
  private readonly colNames: string[];
  private readonly readers: readonly CellReader[];
  /** Store values of the current row, reused (the writer binds them before the next row). */
  private readonly values: CellValue[];
  private readonly refs: { ref: SourceDef['references'][number]; index: number }[];
  /** Cells of process(), reused. */
  private readonly cells: (string | undefined)[];
  /**
   * Per column, the problem of a few values already refused (an absent or empty value mostly):
   * a zod failure costs an error object with its stack, and a file of 100,000 rows missing a
   * column would spend seconds building the same one again.
   */
  private readonly refused: Map<string | undefined, RowErrorCode>[];

  constructor(
    private readonly def: SourceDef,
    private readonly file: string,
    private readonly writer: SourceWriter,
    private readonly onRejection: (r: Rejection) => void,
    /** False once the file is known to be refused: keep validating, stop writing. */
    public writing = true,
  ) {
    this.colNames = def.columns.map((c) => c.name);
    this.keyIdx = def.key.map((k) => this.colNames.indexOf(k));
    this.readers = def.readers;
    this.values = new Array<CellValue>(this.colNames.length).fill(null);
    this.cells = new Array<string | undefined>(this.colNames.length).fill(undefined);
    this.refs = def.references.map((ref) => ({ ref, index: this.colNames.indexOf(ref.column) }));
    this.refused = this.colNames.map(() => new Map());
  }

  reject(line: number, column: string | null, value: string | null | undefined, code: RowErrorCode): void {
    this.counts.rejected++;
    this.onRejection(rejection(this.file, line, column, value ?? null, code));
  }

  /** A row as canonical column → cell text (JSONL, API items). */
  process(line: number, row: CanonicalRow): void {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i++) cells[i] = row[this.colNames[i]];
    this.processCells(line, cells);
  }

  /** A row as cell texts in the order of the source's columns (undefined = absent). */
  processCells(line: number, cells: ArrayLike<string | undefined>): void {
    const readers = this.readers;
    const values = this.values;
    let invalid = false;
    for (let i = 0; i < readers.length; i++) {
      const raw = cells[i];
      let v = readers[i].fast(raw);
      if (v === UNUSUAL) {
        let code = this.refused[i].get(raw);
        if (code === undefined) {
          const r = readers[i].schema.safeParse(raw);
          if (r.success) v = r.data;
          else {
            const message = r.error.issues[0]?.message ?? '';
            code = (message in rowMessages ? message : 'WRONG_TYPE') as RowErrorCode;
            if (this.refused[i].size < 64) this.refused[i].set(raw, code);
          }
        }
        if (code !== undefined) {
          if (!invalid) this.counts.rejected++;
          invalid = true;
          this.onRejection(rejection(this.file, line, this.colNames[i], raw ?? null, code));
          continue;
        }
      }
      values[i] = v as CellValue;
    }
    if (invalid) return;
    const keyIdx = this.keyIdx;
    const key =
      keyIdx.length === 1 ? String(values[keyIdx[0]]) : compositeKey(keyIdx.map((k) => String(values[k])));
    if (!this.seen.add(key)) {
      this.reject(
        line,
        keyIdx.map((k) => this.colNames[k]).join('+'),
        keyIdx.map((k) => cells[k] ?? '').join(', '),
        'DUPLICATE_KEY',
      );
      return;
    }
    this.valid++;
    if (!this.writing) return;
    const outcome = this.writer.upsert(values);
    // a buffering writer counts the row and its references in finish()
    if (outcome === null) return;
    this.counts[outcome]++;
    for (const { ref, index } of this.refs) {
      const target = values[index];
      if (typeof target === 'string' && !this.writer.exists(ref, target)) {
        this.counts.dangling++;
        break;
      }
    }
  }

  /** After the last row, before COMMIT: the writer writes what it buffered; its counts join these. */
  finish(): void {
    const c = this.writer.finish?.();
    if (!c) return;
    this.counts.added += c.added;
    this.counts.updated += c.updated;
    this.counts.unchanged += c.unchanged;
    this.counts.dangling += c.dangling;
  }

  /** A cancelled or refused import: the writer drops what it buffered. */
  discard(): void {
    this.writing = false;
    this.writer.discard?.();
  }
}
