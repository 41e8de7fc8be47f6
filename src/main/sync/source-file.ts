import { createHash, type Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { ImportFileError, rowMessages, type RowErrorCode } from '../sources/messages';
import { CsvParser, type CsvRecord } from './csv-parser';
import { assertTextHead, EncodingGuard, type TextEncoding } from './encoding';
import { keyText, scanJsonLine, topLevelMembers } from './json-line';
import { openXlsx } from './xlsx-reader';

export type FileFormat = 'csv' | 'xlsx' | 'jsonl';

/** One data row as read: cells by header position (CSV, XLSX) or a JSON object (JSONL). */
export interface RawRow {
  line: number;
  cells?: string[];
  object?: Record<string, unknown>;
  /**
   * The row could not be read at all (a JSONL line that is not JSON, a CSV cell with text after
   * its closing quote, a control character, bytes that are not text…): a row problem naming the
   * cell by its position (CSV, XLSX) or its key (JSONL) when one is to blame.
   */
  error?: { code: RowErrorCode; value: string; cell?: number; column?: string };
}

/**
 * A source file opened for streaming: headers first, then batches of rows. Reads fixed-size
 * chunks (memory stays flat whatever the size) and hashes every byte it reads.
 */
export interface SourceFileReader {
  format: FileFormat;
  /** CSV/XLSX: the header row; JSONL: the keys of the first object. */
  headers: string[];
  encoding(): TextEncoding | null;
  /** The next rows (about `batchSize`), or null at the end of the file. */
  next(batchSize: number): Promise<RawRow[] | null>;
  bytesRead(): number;
  totalBytes: number;
  /** sha256 of the whole file; valid once next() returned null. */
  sha256(): string;
  close(): Promise<void>;
}

const CHUNK = 1 << 16;

/** Why a path cannot be read, in both languages (no raw errno text). */
function unreadable(e: NodeJS.ErrnoException, path: string): ImportFileError {
  const hint =
    e.code === 'ENOENT'
      ? { zh: `文件不存在：${path}`, en: `no such file: ${path}` }
      : e.code === 'EACCES' || e.code === 'EPERM'
        ? { zh: `没有读取权限：${path}`, en: `permission denied: ${path}` }
        : e.code === 'EISDIR'
          ? { zh: `这是一个文件夹：${path}`, en: `this is a folder: ${path}` }
          : { zh: `${path}（${e.code ?? e.message}）`, en: `${path} (${e.code ?? e.message})` };
  return new ImportFileError('FILE_UNREADABLE', { hint });
}

/**
 * The file's stat, refusing what is not a regular file before anything opens it: a folder, or a
 * FIFO / device (opening a FIFO would wait for a writer forever).
 */
export async function statSourceFile(path: string): Promise<Stats> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    throw unreadable(e as NodeJS.ErrnoException, path);
  }
  if (st.isDirectory()) throw unreadable(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
  if (!st.isFile())
    throw new ImportFileError('FILE_UNREADABLE', {
      hint: { zh: `不是普通文件：${path}`, en: `not a regular file: ${path}` },
    });
  return st;
}

/** Opens a file, sniffing its format from its first bytes (and extension). */
export async function openSourceFile(path: string): Promise<SourceFileReader> {
  await statSourceFile(path);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw unreadable(e as NodeJS.ErrnoException, path);
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new ImportFileError('FILE_EMPTY');
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    const ext = extname(path).toLowerCase();
    const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
    if (isZip || ext === '.xlsx') {
      await fh.close();
      if (!isZip) throw new ImportFileError('XLSX_DAMAGED');
      return await openXlsx(path, size);
    }
    const text = head.subarray(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0);
    assertTextHead(head.length === size ? text : text.subarray(0, Math.max(0, text.length - 4)));
    if (text.toString('latin1').trim() === '' && size <= head.length) throw new ImportFileError('FILE_EMPTY');
    const firstChar = text.toString('latin1').trimStart()[0];
    const jsonl = ext === '.jsonl' || ext === '.ndjson' || (firstChar === '{' && ext !== '.csv');
    return jsonl ? await openJsonl(fh, size) : await openCsv(fh, size);
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

/** A header cell that does not read cleanly: the columns cannot be known, the file is refused. */
function headerProblem(line: number, value: string, code: RowErrorCode): ImportFileError {
  return new ImportFileError('INVALID_HEADER', {
    line,
    columns: [value],
    hint: { zh: rowMessages[code].zh, en: rowMessages[code].en },
  });
}

/** Reads chunks from a file handle, hashing as it goes. */
class ChunkSource {
  bytes = 0;
  eof = false;
  readonly hash: Hash = createHash('sha256');
  constructor(private readonly fh: FileHandle) {}
  async read(): Promise<Buffer | null> {
    if (this.eof) return null;
    const buf = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await this.fh.read(buf, 0, CHUNK, null);
    if (bytesRead === 0) {
      this.eof = true;
      return null;
    }
    const chunk = bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
    this.hash.update(chunk);
    this.bytes += bytesRead;
    return chunk;
  }
}

/**
 * Records parsed ahead of the importer: `pump` reads one chunk of the file into the array it
 * is given (false at the end of the file); records are handed out in batches, and consumed
 * ones are dropped before reading more, so memory stays flat whatever the file size.
 */
class RecordQueue<T> {
  private items: T[] = [];
  private at = 0;
  private ended = false;

  constructor(private readonly pump: (into: T[]) => Promise<boolean>) {}

  private async fill(want: number): Promise<void> {
    if (!this.ended && this.items.length - this.at < want && this.at > 0) {
      this.items.splice(0, this.at);
      this.at = 0;
    }
    while (!this.ended && this.items.length - this.at < want) this.ended = !(await this.pump(this.items));
  }

  async peek(): Promise<T | undefined> {
    await this.fill(1);
    return this.items[this.at];
  }

  async shift(): Promise<T | undefined> {
    await this.fill(1);
    return this.at < this.items.length ? this.items[this.at++] : undefined;
  }

  async next(batchSize: number): Promise<T[] | null> {
    await this.fill(batchSize);
    if (this.at >= this.items.length) return null;
    const out = this.items.slice(this.at, this.at + batchSize);
    this.at += out.length;
    if (this.at >= this.items.length) {
      this.items.length = 0;
      this.at = 0;
    }
    return out;
  }
}

async function openCsv(fh: FileHandle, size: number): Promise<SourceFileReader> {
  const src = new ChunkSource(fh);
  const guard = new EncodingGuard();
  const parser = new CsvParser(guard);
  let digest: string | null = null;
  const queue = new RecordQueue<CsvRecord>(async (into) => {
    const chunk = await src.read();
    if (chunk) {
      parser.push(chunk, into);
      return true;
    }
    parser.end(into);
    digest = src.hash.digest('hex');
    return false;
  });
  const header = await queue.shift();
  if (!header) throw new ImportFileError('FILE_EMPTY');
  if (header.problem) throw headerProblem(header.line, header.problem.value, header.problem.code);
  return {
    format: 'csv',
    headers: header.cells,
    encoding: () => guard.encoding,
    async next(batchSize) {
      const batch: (CsvRecord & RawRow)[] | null = await queue.next(batchSize);
      if (batch)
        for (const r of batch)
          if (r.problem) r.error = { code: r.problem.code, value: r.problem.value, cell: r.problem.cell };
      return batch;
    },
    bytesRead: () => src.bytes,
    totalBytes: size,
    sha256: () => digest ?? '',
    close: () => fh.close(),
  };
}

async function openJsonl(fh: FileHandle, size: number): Promise<SourceFileReader> {
  const src = new ChunkSource(fh);
  const guard = new EncodingGuard();
  let rest: Buffer | null = null;
  let line = 0;
  let digest: string | null = null;
  let first = true;
  const take = (into: RawRow[], buf: Buffer, start: number, end: number) => {
    line++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    let high = false;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        high = true;
        break;
      }
    }
    const textOk = high ? guard.check(buf.subarray(start, end), line) : true;
    const text = high ? guard.decode(buf, start, end) : buf.toString('latin1', start, end);
    if (text.trim() === '') return;
    // nesting is bounded before anything recurses over the value (issue 12)
    const scan = scanJsonLine(text);
    if (scan.tooDeepAt !== -1) {
      const column = scan.tooDeepKey === null ? undefined : keyText(scan.tooDeepKey);
      into.push({ line, error: { code: 'JSON_TOO_DEEP', value: text, column } });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    // bytes that are not text became U+FFFD: name the key whose value (or name) holds one
    if (high && !guard.cellValid(text, buf, start, end, textOk)) {
      const bad = isObject
        ? Object.entries(value as Record<string, unknown>).find(
            ([k, v]) => k.includes('\uFFFD') || (typeof v === 'string' && v.includes('\uFFFD')),
          )?.[0]
        : undefined;
      into.push({ line, error: { code: 'INVALID_ENCODING', value: text, column: bad } });
      return;
    }
    if (!isObject) {
      into.push({ line, error: { code: 'INVALID_JSON', value: text } });
      return;
    }
    const object = value as Record<string, unknown>;
    // JSON.parse keeps one of a key written twice: which one was meant is unknown
    if (scan.topKeys !== Object.keys(object).length) {
      const first = new Map<string, string>();
      for (const [k, v] of topLevelMembers(text)) {
        const before = first.get(k);
        if (before !== undefined) {
          into.push({
            line,
            error: { code: 'DUPLICATE_FIELD', value: `${k}: ${before}; ${k}: ${v}`, column: k },
          });
          return;
        }
        first.set(k, v);
      }
    }
    into.push({ line, object });
  };
  const records = new RecordQueue<RawRow>(async (into) => {
    const chunk = await src.read();
    if (!chunk) {
      if (rest && rest.length) take(into, rest, 0, rest.length);
      rest = null;
      digest = src.hash.digest('hex');
      return false;
    }
    let data: Buffer = rest && rest.length ? Buffer.concat([rest, chunk]) : chunk;
    if (first) {
      first = false;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        guard.encoding = 'utf8';
      }
    }
    let start = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      if (nl === -1) break;
      take(into, data, start, nl);
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : null;
    if (rest && rest.length > 16 * CHUNK) throw new ImportFileError('RECORD_TOO_LARGE', { line: line + 1 });
    return true;
  });
  const firstRow = await records.peek();
  if (!firstRow) throw new ImportFileError('FILE_EMPTY');
  // the columns come from the first object: a broken first line is a file problem, not a missing column
  if (!firstRow.object) {
    const why =
      firstRow.error && firstRow.error.code !== 'INVALID_JSON' ? rowMessages[firstRow.error.code] : undefined;
    throw new ImportFileError('JSONL_FIRST_LINE', {
      line: firstRow.line,
      hint: why && { zh: why.zh, en: why.en },
    });
  }
  const headers = Object.keys(firstRow.object);
  return {
    format: 'jsonl',
    headers,
    encoding: () => guard.encoding,
    next: (batchSize) => records.next(batchSize),
    bytesRead: () => src.bytes,
    totalBytes: size,
    sha256: () => digest ?? '',
    close: () => fh.close(),
  };
}
