import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectSource, resolveHeaders, sources, type SourceDetection, type SourceName } from '../sources';
import { ImportFileError } from '../sources/messages';
import type { FileFingerprint } from './fingerprint';
import { canonicalizer, errorColumn, MAX_LISTED_REJECTIONS } from './import-file';
import { RowProcessor, type Rejection } from './row-processor';
import { openSourceFile, type FileFormat } from './source-file';

export interface FilePreview {
  file: string;
  path: string;
  format: FileFormat;
  encoding: string | null;
  /** Give this back to sync.start: an import of a file that changed since is refused. */
  fingerprint: FileFingerprint;
  headers: string[];
  detected: SourceDetection;
  /** The source the preview was validated against: the one asked for, else the detected one. */
  source: SourceName | null;
  /** header → canonical column (null = extra column, ignored). */
  mapping: { header: string; column: string | null }[];
  missing: string[];
  extra: string[];
  /** The first rows as canonical column → text. */
  rows: { line: number; values: Record<string, string> }[];
  /** Problems among the previewed rows, the first 100 (the full count comes with the import). */
  rejections: Rejection[];
  /** How many problems the previewed rows have, listed or not. */
  rejectionsTotal: number;
  /** How many of the previewed rows have a problem. */
  rejectionLines: number;
  /** A problem that refuses the whole file (bilingual message). */
  fileError: { code: string; message: string } | null;
}

const noWrites = {
  upsert: () => 'unchanged' as const,
  exists: () => true,
};

/** Reads the headers and first rows of a file, detects its source and validates those rows. */
export async function previewFile(path: string, source?: SourceName, maxRows = 50): Promise<FilePreview> {
  const s = await stat(path);
  const base: FilePreview = {
    file: basename(path),
    path,
    format: 'csv',
    encoding: null,
    fingerprint: { size: s.size, mtimeMs: s.mtimeMs },
    headers: [],
    detected: { source: null, candidates: [] },
    source: source ?? null,
    mapping: [],
    missing: [],
    extra: [],
    rows: [],
    rejections: [],
    rejectionsTotal: 0,
    rejectionLines: 0,
    fileError: null,
  };
  let reader;
  try {
    reader = await openSourceFile(path);
  } catch (e) {
    if (e instanceof ImportFileError) return { ...base, fileError: { code: e.code, message: e.message } };
    throw e;
  }
  try {
    base.format = reader.format;
    base.headers = reader.headers;
    base.detected = detectSource(reader.headers);
    const chosen = source ?? base.detected.source;
    base.source = chosen;
    if (!chosen) {
      base.fileError = { code: 'UNKNOWN_SOURCE', message: new ImportFileError('UNKNOWN_SOURCE').message };
      return base;
    }
    const mapping = resolveHeaders(chosen, reader.headers);
    base.mapping = reader.headers.map((header, i) => ({ header, column: mapping.columns[i] }));
    base.missing = mapping.missing;
    base.extra = mapping.extra;
    if (mapping.missing.length) {
      base.fileError = {
        code: 'MISSING_COLUMNS',
        message: new ImportFileError('MISSING_COLUMNS', { line: 1, columns: mapping.missing }).message,
      };
    }
    const canonical = canonicalizer(chosen, reader.format === 'jsonl' ? null : mapping);
    const badLines = new Set<number>();
    const proc = new RowProcessor(
      sources[chosen],
      base.file,
      noWrites,
      (r) => {
        if (base.rejections.length < MAX_LISTED_REJECTIONS) base.rejections.push(r);
        base.rejectionsTotal++;
        badLines.add(r.line);
        base.rejectionLines = badLines.size;
      },
      false,
    );
    const batch = (await reader.next(maxRows)) ?? [];
    if (batch.length === 0 && !base.fileError) {
      base.fileError = { code: 'NO_DATA_ROWS', message: new ImportFileError('NO_DATA_ROWS').message };
    }
    for (const raw of batch) {
      if (raw.error) {
        proc.reject(
          raw.line,
          errorColumn(raw.error, reader.headers, mapping),
          raw.error.value,
          raw.error.code,
        );
        continue;
      }
      const { row, problem } = canonical(raw);
      base.rows.push({
        line: raw.line,
        values: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])),
      });
      if (problem) proc.reject(raw.line, problem.column, problem.value, problem.code);
      else proc.process(raw.line, row);
    }
    base.encoding = reader.encoding();
    return base;
  } catch (e) {
    if (e instanceof ImportFileError) return { ...base, fileError: { code: e.code, message: e.message } };
    throw e;
  } finally {
    await reader.close();
  }
}
