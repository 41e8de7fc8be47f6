import { ImportFileError, visibleControls } from '../sources/messages';
import type { EncodingGuard } from './encoding';

/**
 * A cell of a record that does not read cleanly. The record is a row problem (line and column),
 * like any bad value; only the first such cell of a record is named.
 */
export interface CsvProblem {
  code: 'QUOTE_TEXT_AFTER' | 'CONTROL_CHAR' | 'INVALID_ENCODING';
  /** 0-based position of the cell in the record */
  cell: number;
  /** the cell as written (quotes and text after them included), control characters made visible */
  value: string;
}

/** One CSV record: the physical line it starts on (1 = header) and its cells. */
export interface CsvRecord {
  line: number;
  cells: string[];
  problem?: CsvProblem;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

// Byte classes of the scanning loops: one table lookup per byte. A control character (C0 but tab,
// CR and LF; DEL) is never text. No byte of a UTF-8 multi-byte character is below 0x80, and a GBK /
// GB18030 trail byte below it is a digit, a letter or one of @[\]^_`{|}~ — never a comma, quote,
// CR, LF or control character — so these classes hold whatever the encoding.
const STOP = 1; // plain cell: comma, CR or LF ends it; quoted cell: the quote
const HIGH = 2; // ≥ 0x80: part of a multi-byte character
const CTRL = 3;
const IN_LF = 4; // a line break inside quotes
const IN_CR = 5;
const PLAIN = new Uint8Array(256);
const QUOTED = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const k = b >= 0x80 ? HIGH : (b < 0x20 && b !== 0x09 && b !== LF && b !== CR) || b === 0x7f ? CTRL : 0;
  PLAIN[b] = k;
  QUOTED[b] = k;
}
PLAIN[COMMA] = PLAIN[LF] = PLAIN[CR] = STOP;
QUOTED[QUOTE] = STOP;
QUOTED[LF] = IN_LF;
QUOTED[CR] = IN_CR;

/** A record larger than this is a broken file (typically a quote that never closes). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Streaming RFC 4180 parser over Buffers: quoted fields with `""` escapes and embedded line
 * breaks, CRLF / LF / CR line ends, any chunking. It scans bytes (the delimiters are ASCII,
 * and neither UTF-8 nor GB18030 uses them inside a multi-byte character), slices
 * each cell once, and decodes non-ASCII cells with the file's encoding. Blank lines are
 * skipped. Only a partial trailing record is carried over between chunks.
 */
export class CsvParser {
  private rest: Buffer | null = null;
  private line = 1;
  private skipLF = false;
  private first = true;
  // Reused per record: cell bounds and flags.
  private starts: number[] = [];
  private ends: number[] = [];
  private escaped: boolean[] = [];
  private highs: boolean[] = [];

  constructor(private readonly guard: EncodingGuard) {}

  /** Parses a chunk; returns the records it completes. */
  push(chunk: Buffer, out: CsvRecord[] = []): CsvRecord[] {
    const data = this.rest && this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const consumed = this.scan(data, false, out);
    this.rest = consumed < data.length ? data.subarray(consumed) : null;
    if (this.rest && this.rest.length > MAX_RECORD_BYTES)
      throw new ImportFileError('RECORD_TOO_LARGE', { line: this.line });
    return out;
  }

  /** Flushes the last record (a file need not end with a line break). */
  end(out: CsvRecord[] = []): CsvRecord[] {
    if (this.rest && this.rest.length) this.scan(this.rest, true, out);
    this.rest = null;
    return out;
  }

  /** Returns how many bytes of `data` were consumed by complete records. */
  private scan(data: Buffer, final: boolean, out: CsvRecord[]): number {
    const n = data.length;
    let i = 0;
    if (this.first) {
      if (n >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        i = 3;
        this.guard.encoding = 'utf8';
      } else if (n < 3 && !final) return 0;
      this.first = false;
    }
    const starts = this.starts;
    const ends = this.ends;
    const escaped = this.escaped;
    const highs = this.highs;
    while (i < n) {
      if (this.skipLF) {
        this.skipLF = false;
        if (data[i] === LF) {
          i++;
          continue;
        }
      }
      const recStart = i;
      let line = this.line;
      let cellCount = 0;
      let high = false;
      let complete = false;
      // The first cell that does not read cleanly: its problem, position and bytes as written.
      let problem: CsvProblem['code'] | null = null;
      let problemCell = 0;
      let problemFrom = 0;
      let problemTo = 0;
      let p = i;
      // One record.
      for (;;) {
        let c = p < n ? data[p] : -1;
        if (c === QUOTE) {
          let q = p + 1;
          let esc = false;
          let hi = false;
          let ctl = false;
          let closed = -1;
          while (q < n) {
            const k = QUOTED[data[q]];
            if (k !== 0) {
              if (k === STOP) {
                if (q + 1 < n && data[q + 1] === QUOTE) {
                  esc = true;
                  q += 2;
                  continue;
                }
                if (q + 1 >= n && !final) break; // cannot tell "" from a closing quote yet
                closed = q;
                break;
              }
              if (k === HIGH) hi = true;
              else if (k === CTRL) ctl = true;
              else if (k === IN_LF) line++;
              else if (data[q + 1] !== LF) line++;
            }
            q++;
          }
          if (closed === -1) {
            if (final) throw new ImportFileError('UNTERMINATED_QUOTE', { line: this.line });
            break; // need more data
          }
          starts[cellCount] = p + 1;
          ends[cellCount] = closed;
          escaped[cellCount] = esc;
          highs[cellCount] = hi;
          if (hi) high = true;
          if (ctl && problem === null) {
            problem = 'CONTROL_CHAR';
            problemCell = cellCount;
          }
          cellCount++;
          p = closed + 1;
          // Text after the closing quote (`"a"b`): the cell is not what it seems, a row problem.
          if (p < n && PLAIN[data[p]] !== STOP) {
            while (p < n && PLAIN[data[p]] !== STOP) {
              if (data[p] >= 0x80) high = true;
              p++;
            }
            if (problem === null || problem === 'CONTROL_CHAR') {
              problem = 'QUOTE_TEXT_AFTER';
              problemCell = cellCount - 1;
              problemFrom = starts[cellCount - 1] - 1;
              problemTo = p;
            }
          }
          c = p < n ? data[p] : -1;
        } else {
          let q = p;
          let hi = false;
          let ctl = false;
          while (q < n) {
            const k = PLAIN[data[q]];
            if (k !== 0) {
              if (k === STOP) break;
              if (k === HIGH) hi = true;
              else ctl = true;
            }
            q++;
          }
          if (q >= n && !final) break;
          starts[cellCount] = p;
          ends[cellCount] = q;
          escaped[cellCount] = false;
          highs[cellCount] = hi;
          if (hi) high = true;
          if (ctl && problem === null) {
            problem = 'CONTROL_CHAR';
            problemCell = cellCount;
          }
          cellCount++;
          p = q;
          c = p < n ? data[p] : -1;
        }
        if (c === COMMA) {
          p++;
          continue;
        }
        if (c === -1) {
          if (!final) break;
          complete = true;
          break;
        }
        // Line end.
        if (c === CR) {
          if (p + 1 < n) {
            if (data[p + 1] === LF) p++;
          } else if (!final) this.skipLF = true;
        }
        p++;
        complete = true;
        break;
      }
      if (!complete) return recStart;
      const startLine = this.line;
      const textOk = high ? this.guard.check(data.subarray(recStart, p), startLine) : true;
      this.line = line + 1;
      i = p;
      // Skip blank lines (a single empty cell).
      if (cellCount === 1 && starts[0] === ends[0] && problem === null) continue;
      // One Latin-1 decode for the record; its ASCII cells are slices of it (in UTF-8 and GB18030
      // a byte < 0x80 is always that ASCII character), the others are decoded on their own.
      const cells = new Array<string>(cellCount);
      const text = data.toString('latin1', recStart, p);
      for (let k = 0; k < cellCount; k++) {
        let v: string;
        if (high && highs[k]) {
          v = this.guard.decode(data, starts[k], ends[k]);
          // bytes that are not text in the file's encoding would land as U+FFFD
          if (problem === null && !this.guard.cellValid(v, data, starts[k], ends[k], textOk)) {
            problem = 'INVALID_ENCODING';
            problemCell = k;
          }
        } else v = text.slice(starts[k] - recStart, ends[k] - recStart);
        cells[k] = escaped[k] ? v.replaceAll('""', '"') : v;
      }
      if (problem === null) out.push({ line: startLine, cells });
      else {
        const value =
          problem === 'QUOTE_TEXT_AFTER'
            ? high
              ? this.guard.decode(data, problemFrom, problemTo)
              : text.slice(problemFrom - recStart, problemTo - recStart)
            : cells[problemCell];
        out.push({
          line: startLine,
          cells,
          problem: { code: problem, cell: problemCell, value: visibleControls(value) },
        });
      }
    }
    return n;
  }
}
