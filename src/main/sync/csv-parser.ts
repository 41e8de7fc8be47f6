import { ImportFileError } from '../sources/messages';
import type { EncodingGuard } from './encoding';

/** One CSV record: the physical line it starts on (1 = header) and its cells. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** A record larger than this is a broken file (typically a quote that never closes). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Streaming RFC 4180 parser over Buffers: quoted fields with `""` escapes and embedded line
 * breaks, CRLF / LF / CR line ends, any chunking. It scans bytes (the delimiters are ASCII,
 * and neither UTF-8 nor GB18030 uses ASCII bytes inside a multi-byte character), slices
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
      let p = i;
      // One record.
      for (;;) {
        let c = p < n ? data[p] : -1;
        if (c === QUOTE) {
          let q = p + 1;
          let esc = false;
          let hi = false;
          let closed = -1;
          while (q < n) {
            const b = data[q];
            if (b === QUOTE) {
              if (q + 1 < n && data[q + 1] === QUOTE) {
                esc = true;
                q += 2;
                continue;
              }
              if (q + 1 >= n && !final) break; // cannot tell "" from a closing quote yet
              closed = q;
              break;
            }
            if (b === LF) line++;
            else if (b === CR && data[q + 1] !== LF) line++;
            else if (b >= 0x80) hi = true;
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
          cellCount++;
          p = closed + 1;
          // Lenient: text after a closing quote (`"a"b`) is ignored up to the delimiter.
          while (p < n && data[p] !== COMMA && data[p] !== LF && data[p] !== CR) p++;
          c = p < n ? data[p] : -1;
        } else {
          let q = p;
          let hi = false;
          while (q < n) {
            const b = data[q];
            if (b === COMMA || b === LF || b === CR) break;
            if (b >= 0x80) hi = true;
            q++;
          }
          if (q >= n && !final) break;
          starts[cellCount] = p;
          ends[cellCount] = q;
          escaped[cellCount] = false;
          highs[cellCount] = hi;
          if (hi) high = true;
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
      if (high) this.guard.check(data.subarray(recStart, p), startLine);
      this.line = line + 1;
      i = p;
      // Skip blank lines (a single empty cell).
      if (cellCount === 1 && starts[0] === ends[0]) continue;
      // One Latin-1 decode for the record; its ASCII cells are slices of it (in UTF-8 and GB18030
      // a byte < 0x80 is always that ASCII character), the others are decoded on their own.
      const cells = new Array<string>(cellCount);
      const text = data.toString('latin1', recStart, p);
      for (let k = 0; k < cellCount; k++) {
        const v =
          high && highs[k]
            ? this.guard.decode(data, starts[k], ends[k])
            : text.slice(starts[k] - recStart, ends[k] - recStart);
        cells[k] = escaped[k] ? v.replaceAll('""', '"') : v;
      }
      out.push({ line: startLine, cells });
    }
    return n;
  }
}
