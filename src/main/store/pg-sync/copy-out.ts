/**
 * A read of a team database as `COPY (query) TO STDOUT` (issue 13, the engine's loads): the
 * driver thread hands the server's bytes over in batches (transferred, not cloned) without
 * parsing a row, and the reading thread turns each line into a row here, with the same values
 * node-pg's parsers would give (int8 and numeric as numbers, booleans as SQLite's 0/1, NULL as
 * null). A streamed SELECT made every row twice — node-pg's arrays in the driver thread, then
 * their structured clone in the reader — and most of a full recompute's CPU went to that.
 *
 * COPY takes no bind parameters: `inlineValues` writes the statement's values into its text as
 * literals, or says it cannot (then the statement is streamed as before).
 */
import { pgTypes } from '../pg-types';

/** Bytes per batch the driver posts (a few thousand rows of the engine's tables). */
export const COPY_BATCH_BYTES = 1 << 20;

/** One literal for a value, or null when it has none safe to write into the text. */
function literal(v: unknown): string | null {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
  }
  if (typeof v === 'bigint') return v < 0n ? `(${v.toString()})` : v.toString();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') {
    // a backslash means something else when standard_conforming_strings is off; NUL is never text
    if (v.includes('\\') || v.includes('\0')) return null;
    return `'${v.replace(/'/g, "''")}'`;
  }
  return null;
}

/**
 * `text` with `$n` replaced by the literal of `values[n - 1]`, outside quoted literals,
 * identifiers and comments; null when a value has no safe literal, or the text is not one
 * read-only statement (a `;` between two, a `$n` beyond the values, dollar quoting).
 */
export function inlineValues(text: string, values: readonly unknown[]): string | null {
  if (!/^\s*(SELECT|WITH)\b/i.test(text)) return null;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return null;
      i = end; // a doubled quote is two quoted runs side by side: the same scan covers it
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 1;
    } else if (c === ';') {
      if (text.slice(i + 1).trim() !== '') return null;
      out += text.slice(from, i);
      return out;
    } else if (c === '$') {
      const m = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (!m) return null; // dollar quoting
      const n = Number(m[1]);
      if (n < 1 || n > values.length) return null;
      const lit = literal(values[n - 1]);
      if (lit === null) return null;
      out += text.slice(from, i) + lit;
      i += m[0].length - 1;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

const BOOL_OID = 16;
const INT8_OID = 20;
/** digits an int8's text may have to be read straight from its bytes: 15 are below 2^53 */
const SAFE_DIGITS = 15;
/** text, varchar, bpchar, char, name: the line's text is the value */
const TEXT_OIDS = new Set([25, 1043, 1042, 18, 19]);

type Decode = ((text: string) => unknown) | null;

/** Buffer's own UTF-8 decoder of a range, without toString's checks (one call per field read). */
const utf8Slice: (this: Buffer, start: number, end: number) => string =
  (Buffer.prototype as unknown as { utf8Slice?: (this: Buffer, start: number, end: number) => string })
    .utf8Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('utf8', start, end);
  };

/** Per column: how its COPY text becomes the value node-pg (with the store's parsers) gives. */
function decodersOf(types: readonly number[]): Decode[] {
  return types.map((oid) => {
    if (TEXT_OIDS.has(oid)) return null;
    if (oid === BOOL_OID) return (t: string) => (t === 't' ? 1 : 0);
    return pgTypes.getTypeParser(oid, 'text') as (text: string) => unknown;
  });
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A field of COPY's text format with its backslash escapes undone (`\N` is handled before). */
export function unescapeCopy(field: string): string {
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/gs, (_m, oct, hex, ch: string) => {
    if (oct !== undefined) return String.fromCharCode(parseInt(oct as string, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex as string, 16));
    return ESCAPES[ch] ?? ch;
  });
}

/**
 * Rows of COPY's text format, from batches of bytes that may cut a line (or a UTF-8 character)
 * anywhere: whole lines are decoded, the rest waits for the next batch.
 */
export class CopyLines {
  private carry: Buffer | null = null;
  private readonly decode: Decode[];
  /** per column: int8, read from its bytes without a string when it has at most SAFE_DIGITS digits */
  private readonly int8: boolean[];

  constructor(private readonly types: readonly number[]) {
    this.decode = decodersOf(types);
    this.int8 = types.map((oid) => oid === INT8_OID);
  }

  /** The rows whose lines end in `bytes` (after what earlier batches left). */
  rows(bytes: Uint8Array): unknown[][] {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: unknown[][] = [];
    let from = 0;
    if (this.carry) {
      // the row cut at the end of the last batch: its start and its end, joined alone
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        return out;
      }
      const joined = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]);
      this.carry = null;
      this.cut(joined, 0, out);
      from = nl + 1;
    }
    const pos = this.cut(buf, from, out);
    // a copy of the cut row only, so that the batch's bytes are not kept for it
    this.carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
    return out;
  }

  /**
   * The whole rows of `buf` from `start`, into `out`; where the first row not whole begins. Fields
   * are cut at tabs and decoded one by one (a string of its own each: a kept id holds no more than
   * itself).
   */
  private cut(buf: Buffer, start: number, out: unknown[][]): number {
    const n = this.types.length;
    const len = buf.length;
    for (;;) {
      const row: unknown[] = new Array(n);
      let i = 0;
      let a = start;
      let escaped = false;
      let p = start;
      for (; p < len; p++) {
        const c = buf[p];
        if (c === 9 || c === 10) {
          if (i >= n) throw new Error(`COPY output: a row of more than ${n} fields`);
          row[i] = this.field(buf, a, p, escaped, i);
          i++;
          a = p + 1;
          escaped = false;
          if (c === 10) break;
        } else if (c === 92) escaped = true;
      }
      if (p >= len) return start;
      if (i !== n) throw new Error(`COPY output: a row of ${i} fields where ${n} were expected`);
      out.push(row);
      start = p + 1;
    }
  }

  private field(buf: Buffer, a: number, b: number, escaped: boolean, i: number): unknown {
    if (escaped && b - a === 2 && buf[a + 1] === 78) return null; // \N
    if (this.int8[i] && !escaped) {
      // epoch milliseconds and fen: the value parseInt8 would give, without a string per field
      const neg = buf[a] === 45;
      const from = neg ? a + 1 : a;
      if (b > from && b - from <= SAFE_DIGITS) {
        let v = 0;
        let p = from;
        for (; p < b; p++) {
          const d = buf[p] - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (p === b) return neg ? -v : v;
      }
    }
    const text = utf8Slice.call(buf, a, b);
    const v = escaped ? unescapeCopy(text) : text;
    const d = this.decode[i];
    return d === null ? v : d(v);
  }

  /** After the last batch: nothing may be left over. */
  end(): void {
    if (this.carry) throw new Error('COPY output ended inside a row');
  }
}
