import type { SourceDef } from '../sources';
import { rowMessages, type RowErrorCode } from '../sources/messages';
import { KeySet } from './key-set';
import type { ImportCounts, RejectionRow, SourceWriter } from './sqlite-bulk';

/** A row problem, as listed to the user: file, line, column, value, message (zh-CN + English). */
export interface Rejection extends RejectionRow {
  file: string;
}

/** A row before validation: canonical column → cell text (absent = empty). */
export type CanonicalRow = Record<string, string | undefined>;

const MAX_VALUE_SHOWN = 200;

export function showValue(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  return v.length > MAX_VALUE_SHOWN ? `${v.slice(0, MAX_VALUE_SHOWN)}… (${v.length} chars)` : v;
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
 * Validates rows with the source's zod schema, refuses a key already seen in this file (the
 * later line is the error), and writes valid rows through the writer while `writing` holds.
 * Shared by file imports and API pulls so both apply exactly the same rules.
 */
export class RowProcessor {
  readonly counts: ImportCounts = { added: 0, updated: 0, unchanged: 0, rejected: 0, dangling: 0 };
  /** Rows that passed validation (written or not). */
  valid = 0;
  private readonly seen = new KeySet();
  private readonly keyCols: string[];
  private readonly colNames: string[];

  constructor(
    private readonly def: SourceDef,
    private readonly file: string,
    private readonly writer: SourceWriter,
    private readonly onRejection: (r: Rejection) => void,
    /** False once the file is known to be refused: keep validating, stop writing. */
    public writing = true,
  ) {
    this.keyCols = [...def.key];
    this.colNames = def.columns.map((c) => c.name);
  }

  reject(line: number, column: string | null, value: string | null | undefined, code: RowErrorCode): void {
    this.counts.rejected++;
    this.onRejection(rejection(this.file, line, column, value ?? null, code));
  }

  process(line: number, row: CanonicalRow): void {
    const r = this.def.rowSchema.safeParse(row);
    if (!r.success) {
      this.counts.rejected++;
      const done = new Set<string>();
      for (const issue of r.error.issues) {
        const column = issue.path.length ? String(issue.path[0]) : null;
        const key = `${column}`;
        if (done.has(key)) continue;
        done.add(key);
        const code = (issue.message in rowMessages ? issue.message : 'WRONG_TYPE') as RowErrorCode;
        this.onRejection(rejection(this.file, line, column, column ? (row[column] ?? null) : null, code));
      }
      return;
    }
    const v = r.data;
    const key =
      this.keyCols.length === 1
        ? String(v[this.keyCols[0]])
        : this.keyCols.map((k) => String(v[k])).join('\u0000');
    if (!this.seen.add(key)) {
      this.reject(
        line,
        this.keyCols.join('+'),
        this.keyCols.map((k) => row[k] ?? '').join(', '),
        'DUPLICATE_KEY',
      );
      return;
    }
    this.valid++;
    if (!this.writing) return;
    const values = this.colNames.map((c) => v[c]);
    this.counts[this.writer.upsert(values)]++;
    for (const ref of this.def.references) {
      const target = v[ref.column];
      if (typeof target === 'string' && !this.writer.exists(ref, target)) {
        this.counts.dangling++;
        break;
      }
    }
  }
}
