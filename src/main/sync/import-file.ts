import { stat } from 'node:fs/promises';
import type { Actor } from '../audit/chain';
import { storeErrorOf } from '../store/store-errors';
import { basename } from 'node:path';
import {
  columnFor,
  detectSource,
  resolveHeaders,
  sources,
  type HeaderMapping,
  type SourceName,
} from '../sources';
import { ImportFileError, type FileErrorCode, type RowErrorCode } from '../sources/messages';
import { hasControlChar, jsonDepthOver, MAX_JSON_DEPTH, shownJson } from './json-line';
import type { Store } from '../store/open-store';
import { fingerprintMatches, type FileFingerprint } from './fingerprint';
import { RowProcessor, rejection, type CanonicalRow, type Rejection } from './row-processor';
import {
  openSourceFile,
  statSourceFile,
  type FileFormat,
  type RawRow,
  type SourceFileReader,
} from './source-file';
import {
  MAX_RECORDED_REJECTIONS,
  SqliteImportLog,
  sqliteBegin,
  sqliteCommit,
  sqliteRollback,
  sqliteBulkTuning,
  type ImportCounts,
  type ImportHeader,
} from './sqlite-bulk';
import { sourceWriterFor } from './pg-bulk';

export interface ImportProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
  rowsPerSec: number;
  /** Estimated remaining time from the byte rate, null until known. */
  etaMs: number | null;
  elapsedMs: number;
}

export interface ImportFileOptions {
  path: string;
  source: SourceName;
  /** Land the valid rows of a file that has invalid ones (DATA.md: the user's choice). */
  skipInvalid: boolean;
  /** who imports: recorded in the history and the audit log (R-OP-2) */
  actor: Actor;
  /** What the user previewed: a file that changed since is refused (FILE_CHANGED). */
  expected?: FileFingerprint;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Every rejection, as soon as it is found (the CLI prints the first MAX_LISTED_REJECTIONS). */
  onRejection?: (r: Rejection) => void;
  batchSize?: number;
  progressIntervalMs?: number;
}

export interface ImportFileResult {
  /** committed: the file landed; refused: invalid rows or a bad file, nothing landed; cancelled: rolled back. */
  status: 'committed' | 'refused' | 'cancelled';
  importId: number | null;
  file: string;
  source: SourceName;
  format: FileFormat | null;
  encoding: string | null;
  sha256: string | null;
  counts: ImportCounts;
  durationMs: number;
  /** Extra columns and similar notes that did not stop the import. */
  warnings: string[];
  /** The first MAX_LISTED_REJECTIONS rejections (all of them went to onRejection; counts.rejected has the total). */
  rejections: Rejection[];
  error?: { code: FileErrorCode; message: string; messageZh: string; messageEn: string; line?: number };
}

/**
 * Rejections listed with a result (the app's lists, the CLI's output): the first 100, then
 * their count. The import history keeps up to MAX_RECORDED_REJECTIONS of them.
 */
export const MAX_LISTED_REJECTIONS = 100;

export class ImportCancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor() {
    super('import cancelled');
  }
}

/** Refuses headers that do not fit the source; names the source they look like. */
export function checkHeaders(source: SourceName, headers: string[]): HeaderMapping {
  const mapping = resolveHeaders(source, headers);
  if (mapping.duplicated.length)
    throw new ImportFileError('DUPLICATE_COLUMN', { line: 1, columns: mapping.duplicated });
  if (mapping.missing.length) {
    const guess = detectSource(headers).source;
    throw new ImportFileError(guess && guess !== source ? 'WRONG_SOURCE' : 'MISSING_COLUMNS', {
      line: 1,
      columns: mapping.missing,
      hint:
        guess && guess !== source
          ? { zh: `看起来是${sources[guess].labelZh}（${guess}）`, en: `looks like ${guess}` }
          : undefined,
    });
  }
  return mapping;
}

/** A row that cannot be taken as it is: the problem, the column to blame and what was there. */
export interface RowProblem {
  code: RowErrorCode;
  column: string;
  value: string;
}

/**
 * Turns raw rows (cells or JSON objects) into canonical rows of one source. A JSON object (JSONL
 * line, API item) is a row problem when a value is an object or array (WRONG_TYPE, or
 * JSON_TOO_DEEP past the nesting limit), holds a control character (CONTROL_CHAR, as in CSV), or
 * when two of its keys name the same column (`order_id` and its alias `订单号`: DUPLICATE_FIELD,
 * naming both — which one was meant cannot be known).
 */
export function canonicalizer(source: SourceName, mapping: HeaderMapping | null) {
  const jsonKeys = new Map<string, string | null>();
  // per object: canonical column → the key that gave it (reused)
  const keyOf = new Map<string, string>();
  return (raw: RawRow): { row: CanonicalRow; problem?: RowProblem } => {
    const row: CanonicalRow = {};
    if (raw.cells) {
      const cols = mapping!.columns;
      for (let k = 0; k < cols.length; k++) {
        const c = cols[k];
        if (c !== null) row[c] = raw.cells[k];
      }
      return { row };
    }
    let problem: RowProblem | undefined;
    const object = raw.object ?? {};
    keyOf.clear();
    for (const key of Object.keys(object)) {
      const value = object[key];
      let c = jsonKeys.get(key);
      if (c === undefined) {
        c = columnFor(source, key);
        jsonKeys.set(key, c);
      }
      if (c === null) continue;
      const first = keyOf.get(c);
      if (first !== undefined) {
        problem ??= {
          code: 'DUPLICATE_FIELD',
          column: c,
          value: `${first}: ${shownJson(object[first])}; ${key}: ${shownJson(value)}`,
        };
        continue;
      }
      keyOf.set(c, key);
      if (typeof value === 'string') {
        row[c] = value;
        if (hasControlChar(value)) problem ??= { code: 'CONTROL_CHAR', column: c, value };
      } else if (typeof value === 'number' || typeof value === 'boolean') row[c] = String(value);
      else if (value === null) row[c] = '';
      else
        problem ??= jsonDepthOver(value)
          ? { code: 'JSON_TOO_DEEP', column: c, value: `[nested more than ${MAX_JSON_DEPTH} levels]` }
          : { code: 'WRONG_TYPE', column: c, value: shownJson(value) };
    }
    return problem ? { row, problem } : { row };
  };
}

/**
 * The column a row problem of the reader names: its key (JSONL), or the canonical column of the
 * cell's header (else the header as written, else its position).
 */
export function errorColumn(
  error: NonNullable<RawRow['error']>,
  headers: readonly string[],
  mapping: HeaderMapping | null,
): string | null {
  if (error.column !== undefined) return error.column;
  if (error.cell === undefined) return null;
  return mapping?.columns[error.cell] ?? (headers[error.cell] || `#${error.cell + 1}`);
}

/**
 * For cell rows (CSV, XLSX): the header position of each of the source's columns (-1 = absent),
 * so a row's cells can be handed to the processor in column order without building an object.
 */
export function columnPositions(source: SourceName, mapping: HeaderMapping): number[] {
  return sources[source].columns.map((c) => mapping.columns.indexOf(c.name));
}

/**
 * Imports one file into the store in ONE transaction (DATA.md): stream → parse → validate
 * (zod) → upsert in batches. Without skipInvalid, any invalid row refuses the whole file
 * (every rejection is still reported). Cancel and every failure roll back: the store is
 * exactly as before. The import, whatever its outcome, is recorded in `imports`.
 */
export async function importFile(store: Store, options: ImportFileOptions): Promise<ImportFileResult> {
  const started = Date.now();
  const file = basename(options.path);
  const batchSize = options.batchSize ?? 1000;
  // the rejections a refused file records (the history keeps no more), and those it lists
  const kept: Rejection[] = [];
  const listed: Rejection[] = [];
  const onRejection = (r: Rejection) => {
    if (kept.length < MAX_RECORDED_REJECTIONS) kept.push(r);
    if (listed.length < MAX_LISTED_REJECTIONS) listed.push(r);
    options.onRejection?.(r);
  };
  const result: ImportFileResult = {
    status: 'refused',
    importId: null,
    file,
    source: options.source,
    format: null,
    encoding: null,
    sha256: null,
    counts: { added: 0, updated: 0, unchanged: 0, rejected: 0, dangling: 0 },
    durationMs: 0,
    warnings: [],
    rejections: listed,
  };
  const header: ImportHeader = {
    source: options.source,
    origin: 'file',
    fileName: file,
    sha256: null,
    actor: options.actor,
    startedAt: started,
  };
  const log = new SqliteImportLog(store.sqlite);
  const def = sources[options.source];
  let reader: SourceFileReader | null = null;
  let processor: RowProcessor | null = null;
  let inTxn = false;
  let restoreTuning: (() => void) | null = null;
  try {
    const before = await statSourceFile(options.path);
    if (options.expected && !fingerprintMatches(options.expected, before))
      throw new ImportFileError('FILE_CHANGED');
    reader = await openSourceFile(options.path);
    result.format = reader.format;
    const mapping = checkHeaders(options.source, reader.headers);
    if (mapping.extra.length) result.warnings.push(extraColumnsWarning(mapping.extra));
    const canonical = canonicalizer(options.source, reader.format === 'jsonl' ? null : mapping);
    const positions = columnPositions(options.source, mapping);
    // Headers in the source's column order (as our exports write them): rows need no reordering.
    const inOrder = positions.every((at, k) => at === k);
    const cells = new Array<string | undefined>(positions.length);

    let batch = await reader.next(batchSize);
    if (!batch) throw new ImportFileError('NO_DATA_ROWS');

    restoreTuning = sqliteBulkTuning(store.sqlite);
    sqliteBegin(store.sqlite);
    inTxn = true;
    const importId = log.start(header);
    const writer = sourceWriterFor(store.sqlite, def, importId);
    const proc = (processor = new RowProcessor(def, file, writer, (r) => {
      onRejection(r);
      if (options.skipInvalid) log.reject(importId, r);
    }));
    let rows = 0;
    let lastProgress = 0;
    const interval = options.progressIntervalMs ?? 250;
    const progress = () => {
      const elapsedMs = Date.now() - started;
      const bytes = reader!.bytesRead();
      const rate = bytes / Math.max(1, elapsedMs);
      options.onProgress?.({
        rows,
        bytes,
        totalBytes: reader!.totalBytes,
        rowsPerSec: Math.round((rows * 1000) / Math.max(1, elapsedMs)),
        etaMs: rows > 0 && rate > 0 ? Math.round((reader!.totalBytes - bytes) / rate) : null,
        elapsedMs,
      });
    };
    while (batch) {
      if (options.signal?.aborted) throw new ImportCancelledError();
      for (const raw of batch) {
        rows++;
        if (raw.error) {
          proc.reject(
            raw.line,
            errorColumn(raw.error, reader.headers, mapping),
            raw.error.value,
            raw.error.code,
          );
          if (!options.skipInvalid) proc.writing = false;
          continue;
        }
        if (raw.cells) {
          if (inOrder) proc.processCells(raw.line, raw.cells);
          else {
            for (let k = 0; k < positions.length; k++) {
              const at = positions[k];
              cells[k] = at === -1 ? undefined : raw.cells[at];
            }
            proc.processCells(raw.line, cells);
          }
          if (proc.counts.rejected > 0 && !options.skipInvalid) proc.writing = false;
          continue;
        }
        const { row, problem } = canonical(raw);
        if (problem) {
          proc.reject(raw.line, problem.column, problem.value, problem.code);
          if (!options.skipInvalid) proc.writing = false;
          continue;
        }
        proc.process(raw.line, row);
        if (proc.counts.rejected > 0 && !options.skipInvalid) proc.writing = false;
      }
      if (options.onProgress && Date.now() - lastProgress >= interval) {
        lastProgress = Date.now();
        progress();
      }
      batch = await reader.next(batchSize);
    }
    if (options.signal?.aborted) throw new ImportCancelledError();
    result.sha256 = header.sha256 = reader.sha256();
    result.encoding = reader.encoding();
    // The file must not have changed while it was read, nor since it was previewed.
    const after = await stat(options.path);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs)
      throw new ImportFileError('FILE_CHANGED');
    if (options.expected?.sha256 && options.expected.sha256 !== result.sha256)
      throw new ImportFileError('FILE_CHANGED');
    result.counts = proc.counts;
    if (rows === 0) throw new ImportFileError('NO_DATA_ROWS');
    if (proc.counts.rejected > 0 && !options.skipInvalid) {
      proc.discard();
      sqliteRollback(store.sqlite);
      inTxn = false;
      result.durationMs = Date.now() - started;
      const counts = { ...proc.counts, added: 0, updated: 0, unchanged: 0, dangling: 0 };
      result.counts = counts;
      result.importId = log.recordUnsuccessful(
        header,
        { ...counts, sha256: result.sha256, durationMs: result.durationMs, status: 'failed' },
        kept,
      );
      const msg = rejectedMessage(proc.counts.rejected);
      result.error = { code: 'INVALID_ROWS', message: msg.both, messageZh: msg.zh, messageEn: msg.en };
      return result;
    }
    // a team database's writer writes its last rows and counts them all here (pg-bulk.ts)
    proc.finish();
    progress();
    result.durationMs = Date.now() - started;
    log.finish(importId, {
      ...proc.counts,
      sha256: result.sha256,
      durationMs: result.durationMs,
      status: 'committed',
    });
    sqliteCommit(store.sqlite);
    inTxn = false;
    result.status = 'committed';
    result.importId = importId;
    return result;
  } catch (e) {
    processor?.discard();
    if (inTxn) sqliteRollback(store.sqlite);
    result.durationMs = Date.now() - started;
    const rejected = processor?.counts.rejected ?? 0;
    const zero = { added: 0, updated: 0, unchanged: 0, dangling: 0, rejected };
    result.counts = zero;
    if (e instanceof ImportCancelledError) {
      result.status = 'cancelled';
      result.importId = log.recordUnsuccessful(
        header,
        { ...zero, sha256: null, durationMs: result.durationMs, status: 'cancelled' },
        [],
      );
      return result;
    }
    if (e instanceof ImportFileError) {
      result.status = 'refused';
      result.error = {
        code: e.code,
        message: e.message,
        messageZh: e.messageZh,
        messageEn: e.messageEn,
        line: e.detail.line,
      };
      const r = rejection(
        file,
        e.detail.line ?? 0,
        e.detail.columns?.join(', ') ?? null,
        null,
        'INVALID_CELL',
      );
      result.importId = log.recordUnsuccessful(
        header,
        { ...zero, sha256: result.sha256, durationMs: result.durationMs, status: 'failed' },
        [
          ...kept.slice(0, MAX_RECORDED_REJECTIONS - 1),
          { ...r, code: e.code, messageZh: e.messageZh, messageEn: e.messageEn },
        ],
      );
      return result;
    }
    // SQLite's own errors (busy, read-only, full …) in both languages, naming the store
    throw storeErrorOf(e, store.file) ?? e;
  } finally {
    restoreTuning?.();
    await reader?.close().catch(() => undefined);
  }
}

/** Extra columns of a header, as one warning: the first 20 named, then how many more. */
export function extraColumnsWarning(extra: readonly string[]): string {
  const shown = extra.slice(0, 20).join(', ');
  const more = extra.length > 20 ? ` … (+${extra.length - 20})` : '';
  return `extra columns ignored / 已忽略多余的列: ${shown}${more}`;
}

function rejectedMessage(n: number) {
  const zh = `文件中有 ${n} 行无效，整个文件未导入（可使用 --skip-invalid 仅导入有效行）`;
  const en = `${n} invalid row${n === 1 ? '' : 's'}: nothing was imported (use --skip-invalid to import the valid rows)`;
  return { zh, en, both: `${zh} / ${en}` };
}
