/**
 * Reading the first worksheet of an XLSX file as rows of text, streaming and within limits
 * (issue 12: a 2 MB shared-strings bomb inflated to 1 GB in memory before). The zip is read with
 * random access (zip-entries.ts), each part inflated as a stream and tokenized as it comes
 * (xml-scan.ts); what a part inflates to, how much more than its compressed size, how many shared
 * strings and cells it holds and how long a cell is are all bounded, and past a bound the file is
 * refused (XLSX_LIMIT) naming the file, the part and the limit. Cell values read as exceljs gave
 * them before (numbers as JavaScript prints them, dates as Shanghai wall-clock text, booleans as
 * true/false, the cached value of a formula).
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ImportFileError, type RowErrorCode } from '../sources/messages';
import { excelDateToText } from '../sources/values';
import { hasControlChar } from './json-line';
import type { RawRow, SourceFileReader } from './source-file';
import { inflateEntry, readZipDirectory, ZipError, type ZipEntry } from './zip-entries';
import {
  attr,
  decodeEntities,
  decodeXstring,
  prefixedAttr,
  scanXml,
  XmlError,
  type XmlHandler,
} from './xml-scan';

const MB = 1 << 20;

/** The bounds of an XLSX import (docs/data-formats.md lists them). */
export const XLSX_LIMITS = {
  /** entries in the zip */
  maxEntries: 10_000,
  maxDirectoryBytes: 16 * MB,
  /** inflated size of the worksheet read */
  maxSheetBytes: 1024 * MB,
  /** inflated size of the shared strings (they are held in memory while the sheet is read) */
  maxSharedStringsBytes: 256 * MB,
  /** inflated size of the workbook, its relationships and the styles */
  maxPartBytes: 32 * MB,
  /** inflated size of all parts read together */
  maxTotalBytes: 1280 * MB,
  /** inflated ÷ compressed size of a part, checked once it passed 1 MB (a sheet compresses about 10×, a bomb up to 1000×) */
  maxRatio: 100,
  ratioFloor: 1 * MB,
  maxSharedStrings: 4_000_000,
  /** cells of the sheet (counting the empty ones a row spans to its last cell) */
  maxCells: 30_000_000,
  /** Excel's own limits: 1,048,576 rows, 16,384 columns (XFD), 32,767 characters in a cell */
  maxRows: 1_048_576,
  maxColumns: 16_384,
  maxCellChars: 32_767,
};

export type XlsxLimits = typeof XLSX_LIMITS;

const fmt = (n: number) => n.toLocaleString('en-US');
const size = (bytes: number) => (bytes >= MB ? `${fmt(Math.round(bytes / MB))} MB` : `${fmt(bytes)} bytes`);

/** Builtin number formats that are dates or times (ECMA-376 18.8.30, and the zh-CN ones). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** A format code that shows a date or time: y, m, d, h, s outside quotes and brackets (as exceljs decides). */
function isDateFormatCode(code: string): boolean {
  const bare = code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]/.test(bare);
}

/** An Excel serial day (1900 or 1904 system) → the instant exceljs gave as a Date. */
function excelSerialToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** `AB12` → column index 27 (0-based) and row 12; null when it is no cell reference. */
function cellRef(ref: string): { col: number; row: number } | null {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
    if (col > 1e6) return null;
  }
  if (i === 0) return null;
  const row = i < ref.length ? Number(ref.slice(i)) : NaN;
  return { col: col - 1, row: Number.isInteger(row) ? row : -1 };
}

/** A part path relative to the part that names it (`worksheets/sheet1.xml` from `xl/workbook.xml`). */
function resolvePart(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

interface Budget {
  used: number;
}

export async function openXlsx(
  path: string,
  fileSize: number,
  limits: XlsxLimits = XLSX_LIMITS,
): Promise<SourceFileReader> {
  const name = basename(path);
  const limitError = (zh: string, en: string) =>
    new ImportFileError('XLSX_LIMIT', { hint: { zh: `${name}：${zh}`, en: `${name}: ${en}` } });
  const damaged = (why: string) => new ImportFileError('XLSX_DAMAGED', { hint: `${name}: ${why}` });
  const translate = (e: unknown): Error => {
    if (e instanceof ImportFileError) return e;
    if (e instanceof ZipError) {
      const l = e.limit;
      if (e.kind === 'limit' && l) {
        if (l.kind === 'entries')
          return limitError(
            `压缩包内超过 ${fmt(l.value)} 个文件`,
            `more than ${fmt(l.value)} entries in the zip`,
          );
        if (l.kind === 'directory')
          return limitError(
            `压缩包目录超过 ${size(l.value)}`,
            `a zip directory larger than ${size(l.value)}`,
          );
        if (l.kind === 'ratio')
          return limitError(
            `${l.entry} 解压后超过压缩大小的 ${l.value} 倍`,
            `${l.entry} inflates more than ${l.value} times its compressed size`,
          );
        return limitError(
          `${l.entry} 解压后超过 ${size(l.value)}`,
          `${l.entry} inflates to more than ${size(l.value)}`,
        );
      }
      return damaged(e.message);
    }
    if (e instanceof XmlError) return damaged(e.message);
    return damaged((e as Error)?.message ?? String(e));
  };

  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw damaged((e as Error).message);
  }
  let compressedRead = 0;
  const budget: Budget = { used: 0 };

  /** Inflated chunks of a part as text, within its own limit and what is left of the total. */
  async function* partText(entry: ZipEntry, maxBytes: number): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    const left = limits.maxTotalBytes - budget.used;
    const own = Math.min(maxBytes, left);
    const chunks = inflateEntry(
      fh,
      fileSize,
      entry,
      { maxBytes: own, maxRatio: limits.maxRatio, ratioFloor: limits.ratioFloor },
      (n) => (compressedRead += n),
    );
    try {
      for await (const chunk of chunks) {
        budget.used += chunk.length;
        yield decoder.write(chunk);
      }
    } catch (e) {
      // past what is left of the total rather than the part's own limit: say so
      if (e instanceof ZipError && e.limit?.kind === 'bytes' && own < maxBytes)
        throw limitError(
          `所有部分解压后共超过 ${size(limits.maxTotalBytes)}`,
          `the parts inflate to more than ${size(limits.maxTotalBytes)} in total`,
        );
      throw e;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }

  /** Tokenizes a part from start to end. */
  async function scanPart(
    entry: ZipEntry,
    maxBytes: number,
    handler: XmlHandler,
    each?: () => void,
  ): Promise<void> {
    let carry = '';
    for await (const piece of partText(entry, maxBytes)) {
      const text = carry + piece;
      const at = scanXml(text, handler);
      carry = text.slice(at);
      each?.();
    }
    if (carry.trim() !== '') throw new XmlError(`${entry.name} ends inside a tag`);
  }

  try {
    const entries = await readZipDirectory(fh, fileSize, limits);
    const lower = new Map([...entries.values()].map((e) => [e.name.toLowerCase(), e]));
    const entry = (p: string) => entries.get(p) ?? lower.get(p.toLowerCase());

    /** The relationships of a part: id → { target path, type }. */
    const relationships = async (part: string) => {
      const dir = part.split('/').slice(0, -1).join('/');
      const relsPath = `${dir ? dir + '/' : ''}_rels/${part.split('/').pop()}.rels`;
      const rels = new Map<string, { target: string; type: string }>();
      const e = entry(relsPath);
      if (!e) return rels;
      await scanPart(e, limits.maxPartBytes, {
        open(tag, text, from, to) {
          if (tag !== 'Relationship') return;
          const id = attr(text, from, to, 'Id');
          const target = attr(text, from, to, 'Target');
          if (id && target && attr(text, from, to, 'TargetMode') !== 'External')
            rels.set(id, { target: resolvePart(part, target), type: attr(text, from, to, 'Type') ?? '' });
        },
        close() {},
        text() {},
        cdata() {},
      });
      return rels;
    };

    // the workbook: _rels/.rels names it (xl/workbook.xml in every file Excel writes)
    const rootRels = await relationships('');
    const workbookPath =
      [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
    const workbook = entry(workbookPath);
    if (!workbook) throw new ImportFileError('XLSX_DAMAGED', { hint: `${name}: no workbook` });
    let date1904 = false;
    let firstSheetId: string | null = null;
    await scanPart(workbook, limits.maxPartBytes, {
      open(tag, text, from, to) {
        if (tag === 'workbookPr') {
          const v = attr(text, from, to, 'date1904');
          date1904 = v === '1' || v === 'true';
        } else if (tag === 'sheet' && firstSheetId === null)
          firstSheetId = prefixedAttr(text, from, to, 'id');
      },
      close() {},
      text() {},
      cdata() {},
    });
    if (firstSheetId === null) throw new ImportFileError('XLSX_NO_SHEET');
    const wbRels = await relationships(workbookPath);
    const sheetPath = wbRels.get(firstSheetId)?.target;
    const sheet = sheetPath ? entry(sheetPath) : undefined;
    if (!sheet) throw new ImportFileError('XLSX_NO_SHEET');
    const partOf = (suffix: string) => {
      const r = [...wbRels.values()].find((x) => x.type.endsWith(suffix));
      return r ? entry(r.target) : undefined;
    };

    // styles: which cell formats show a date (a date is a number shown as one)
    const dateStyle: boolean[] = [];
    const stylesEntry = partOf('/styles');
    if (stylesEntry) {
      const custom = new Map<number, string>();
      let inCellXfs = false;
      const xfFormats: number[] = [];
      await scanPart(stylesEntry, limits.maxPartBytes, {
        open(tag, text, from, to, selfClosing) {
          if (tag === 'numFmt')
            custom.set(Number(attr(text, from, to, 'numFmtId')), attr(text, from, to, 'formatCode') ?? '');
          else if (tag === 'cellXfs') inCellXfs = !selfClosing;
          else if (tag === 'xf' && inCellXfs) xfFormats.push(Number(attr(text, from, to, 'numFmtId') ?? 0));
        },
        close(tag) {
          if (tag === 'cellXfs') inCellXfs = false;
        },
        text() {},
        cdata() {},
      });
      for (const id of xfFormats) {
        const code = custom.get(id);
        dateStyle.push(code !== undefined ? isDateFormatCode(code) : DATE_FORMAT_IDS.has(id));
      }
    }

    // a text run being read (a shared string, an inline string or a value), bounded
    const maxRaw = limits.maxCellChars * 10; // an entity is at most 10 characters (&#x10FFFF;)
    let capturing = false;
    let captured: string[] = [];
    let capturedLength = 0;
    const tooLong = () =>
      limitError(
        `单元格超过 ${fmt(limits.maxCellChars)} 个字符`,
        `a cell longer than ${fmt(limits.maxCellChars)} characters`,
      );
    const captureText = (text: string, from: number, to: number) => {
      if (!capturing) return;
      capturedLength += to - from;
      if (capturedLength > maxRaw) throw tooLong();
      captured.push(text.slice(from, to));
    };
    const captureCdata = (v: string) => {
      if (!capturing) return;
      capturedLength += v.length;
      if (capturedLength > maxRaw) throw tooLong();
      captured.push(v.replace(/&/g, '&amp;'));
    };
    const takeCaptured = (): string => {
      const s = decodeXstring(decodeEntities(captured.join('')));
      captured = [];
      capturedLength = 0;
      if (s.length > limits.maxCellChars) throw tooLong();
      return s;
    };

    // shared strings: held in memory, so their number and size are bounded
    const shared: string[] = [];
    const sstEntry = partOf('/sharedStrings');
    if (sstEntry) {
      let inSi = false;
      let phonetic = 0;
      let value = '';
      await scanPart(sstEntry, limits.maxSharedStringsBytes, {
        open(tag, _text, _from, _to, selfClosing) {
          if (tag === 'si') {
            inSi = !selfClosing;
            value = '';
            if (selfClosing) shared.push('');
          } else if (tag === 'rPh' && !selfClosing) phonetic++;
          else if (tag === 't' && inSi && phonetic === 0 && !selfClosing) capturing = true;
          if (shared.length > limits.maxSharedStrings)
            throw limitError(
              `共享字符串超过 ${fmt(limits.maxSharedStrings)} 个`,
              `more than ${fmt(limits.maxSharedStrings)} shared strings`,
            );
        },
        close(tag) {
          if (tag === 't' && capturing) {
            capturing = false;
            value += takeCaptured();
            if (value.length > limits.maxCellChars) throw tooLong();
          } else if (tag === 'rPh') phonetic = Math.max(0, phonetic - 1);
          else if (tag === 'si' && inSi) {
            inSi = false;
            shared.push(value);
            if (shared.length > limits.maxSharedStrings)
              throw limitError(
                `共享字符串超过 ${fmt(limits.maxSharedStrings)} 个`,
                `more than ${fmt(limits.maxSharedStrings)} shared strings`,
              );
          }
        },
        text: captureText,
        cdata: captureCdata,
      });
    }

    // the sheet, streamed: rows go to `ready` as their closing tag is read
    const ready: RawRow[] = [];
    let cells: (string | undefined)[] = [];
    let rowError: RawRow['error'];
    let rowNumber = 0;
    let nextCol = 0;
    let cellCount = 0;
    let inSheetData = false;
    // the cell being read
    let cellCol = 0;
    let cellType = '';
    let cellStyle = 0;
    let cellValue: string | null = null;
    let cellInline: string | null = null;
    let cellFormula = false;
    let inInline = false;
    let inlinePhonetic = 0;
    const badCell = (code: RowErrorCode, value: string) => {
      cells[cellCol] ??= '';
      rowError ??= { code, value, cell: cellCol };
    };
    const cellLimit = () =>
      limitError(
        `工作表超过 ${fmt(limits.maxCells)} 个单元格`,
        `more than ${fmt(limits.maxCells)} cells in the sheet`,
      );
    const finishCell = () => {
      let text: string | null = null;
      const v = cellValue;
      switch (cellType) {
        case 's': {
          const k = v === null ? NaN : Number(v);
          if (Number.isInteger(k) && k >= 0 && k < shared.length) text = shared[k];
          else if (v !== null) badCell('INVALID_CELL', `shared string ${v}`);
          break;
        }
        case 'inlineStr':
          text = cellInline ?? v;
          break;
        case 'str':
          text = v;
          break;
        case 'b':
          if (v !== null) text = Number(v) !== 0 ? 'true' : 'false';
          break;
        case 'e':
          badCell('INVALID_CELL', v ?? '#ERROR');
          break;
        case 'd': {
          if (v === null) break;
          const d = new Date(v);
          if (Number.isNaN(d.getTime())) badCell('INVALID_CELL', v);
          else text = excelDateToText(d);
          break;
        }
        default: {
          if (v === null) {
            if (cellFormula) badCell('INVALID_CELL', '(formula without a value)');
            break;
          }
          const n = Number.parseFloat(v);
          if (!Number.isFinite(n)) badCell('INVALID_CELL', v);
          else if (dateStyle[cellStyle]) {
            const d = excelSerialToDate(n, date1904);
            if (Number.isNaN(d.getTime())) badCell('INVALID_CELL', v);
            else text = excelDateToText(d);
          } else text = String(n);
        }
      }
      if (text !== null && text !== '') {
        cells[cellCol] = text;
        if (hasControlChar(text)) badCell('CONTROL_CHAR', text);
      }
    };
    const finishRow = () => {
      if (cells.length === 0 && !rowError) return;
      let empty = true;
      for (const c of cells)
        if (c !== undefined && c.trim() !== '') {
          empty = false;
          break;
        }
      if (empty && !rowError) return;
      cellCount += cells.length;
      if (cellCount > limits.maxCells) throw cellLimit();
      const dense: string[] = new Array<string>(cells.length);
      for (let c = 0; c < cells.length; c++) dense[c] = cells[c] ?? '';
      ready.push(
        rowError ? { line: rowNumber, cells: dense, error: rowError } : { line: rowNumber, cells: dense },
      );
    };
    const sheetHandler: XmlHandler = {
      open(tag, text, from, to, selfClosing) {
        if (tag === 'sheetData') {
          inSheetData = !selfClosing;
          return;
        }
        if (!inSheetData) return;
        if (tag === 'row') {
          const r = Number(attr(text, from, to, 'r') ?? rowNumber + 1);
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          if (rowNumber > limits.maxRows)
            throw limitError(
              `工作表超过 ${fmt(limits.maxRows)} 行`,
              `more than ${fmt(limits.maxRows)} rows in the sheet`,
            );
          cells = [];
          rowError = undefined;
          nextCol = 0;
        } else if (tag === 'c') {
          if (++cellCount > limits.maxCells) throw cellLimit();
          const ref = attr(text, from, to, 'r');
          const parsed = ref ? cellRef(ref) : null;
          cellCol = parsed ? parsed.col : nextCol;
          if (cellCol >= limits.maxColumns)
            throw limitError(
              `单元格 ${ref ?? ''} 超出 ${fmt(limits.maxColumns)} 列`,
              `cell ${ref ?? ''} beyond column ${fmt(limits.maxColumns)}`,
            );
          nextCol = cellCol + 1;
          cellType = attr(text, from, to, 't') ?? 'n';
          cellStyle = Number(attr(text, from, to, 's') ?? 0) || 0;
          cellValue = null;
          cellInline = null;
          cellFormula = false;
          inInline = false;
          inlinePhonetic = 0;
          if (selfClosing) finishCell();
        } else if (tag === 'v' && !selfClosing) capturing = true;
        else if (tag === 'f') cellFormula = true;
        else if (tag === 'is' && !selfClosing) {
          inInline = true;
          cellInline = '';
        } else if (tag === 'rPh' && inInline && !selfClosing) inlinePhonetic++;
        else if (tag === 't' && inInline && inlinePhonetic === 0 && !selfClosing) capturing = true;
      },
      close(tag) {
        if (tag === 'sheetData') inSheetData = false;
        if (!inSheetData) return;
        if (tag === 'v' && capturing) {
          capturing = false;
          cellValue = takeCaptured();
        } else if (tag === 't' && capturing) {
          capturing = false;
          cellInline = (cellInline ?? '') + takeCaptured();
          if (cellInline.length > limits.maxCellChars) throw tooLong();
        } else if (tag === 'rPh') inlinePhonetic = Math.max(0, inlinePhonetic - 1);
        else if (tag === 'is') inInline = false;
        else if (tag === 'c') finishCell();
        else if (tag === 'row') finishRow();
      },
      text: captureText,
      cdata: captureCdata,
    };

    const sheetChunks = partText(sheet, limits.maxSheetBytes);
    let carry = '';
    let sheetDone = false;
    /** Reads the sheet until some rows are ready (or it ends). */
    const pump = async (): Promise<void> => {
      while (ready.length === 0 && !sheetDone) {
        const r = await sheetChunks.next();
        if (r.done) {
          sheetDone = true;
          if (carry.trim() !== '') throw new XmlError(`${sheet.name} ends inside a tag`);
          return;
        }
        const text = carry + r.value;
        const at = scanXml(text, sheetHandler);
        carry = text.slice(at);
      }
    };
    let readyAt = 0;
    const take = async (): Promise<RawRow | null> => {
      if (readyAt >= ready.length) {
        ready.length = 0;
        readyAt = 0;
        await pump();
        if (ready.length === 0) return null;
      }
      return ready[readyAt++];
    };
    const guarded = async <T>(f: () => Promise<T>): Promise<T> => {
      try {
        return await f();
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw translate(e);
      }
    };

    const headerRow = await take();
    if (!headerRow) throw new ImportFileError('FILE_EMPTY');
    let digest: string | null = null;
    let closed = false;
    return {
      format: 'xlsx',
      headers: headerRow.cells ?? [],
      encoding: () => null,
      next: (batchSize) =>
        guarded(async () => {
          const out: RawRow[] = [];
          while (out.length < batchSize) {
            const r = await take();
            if (!r) break;
            out.push(r);
          }
          if (out.length > 0) return out;
          if (digest === null) {
            // the file's fingerprint covers every byte, read in order
            const hash = createHash('sha256');
            const buf = Buffer.allocUnsafe(1 << 16);
            for (let pos = 0; pos < fileSize;) {
              const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
              if (bytesRead === 0) break;
              hash.update(buf.subarray(0, bytesRead));
              pos += bytesRead;
            }
            digest = hash.digest('hex');
            compressedRead = fileSize;
          }
          return null;
        }),
      bytesRead: () => Math.min(compressedRead, fileSize),
      totalBytes: fileSize,
      sha256: () => digest ?? '',
      close: async () => {
        if (closed) return;
        closed = true;
        await sheetChunks.return(undefined).catch(() => undefined);
        await fh.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw translate(e);
  }
}
