/**
 * A read of a team database as `COPY (query) TO STDOUT` (issue 13, the engine's loads): the
 * driver thread hands the server's CopyData messages over in batches (transferred, not cloned)
 * without parsing a row (copy-to-frames.ts), and the reading thread turns each message's line
 * into a row here, with the same values
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
export const utf8Slice: (this: Buffer, start: number, end: number) => string =
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
 * The int8 written in bytes a..b (epoch milliseconds, fen), as parseInt8 would give it, without a
 * string; null when it is not plain digits (an optional minus) of at most SAFE_DIGITS.
 */
function intOfBytes(buf: Uint8Array, a: number, b: number): number | null {
  const neg = buf[a] === 45;
  const from = neg ? a + 1 : a;
  if (b <= from || b - from > SAFE_DIGITS) return null;
  let v = 0;
  for (let p = from; p < b; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** A CopyData message's code (`d`), and its head: the code and its length (the length's four
 * bytes and the line's), as the server sends each row of a COPY (copy-to-frames.ts). */
export const COPY_DATA = 0x64;
export const COPY_DATA_HEAD = 5;

/** The length the CopyData message's head at `at` of `buf` gives (its four bytes and its line). */
function copyDataLength(buf: Uint8Array, at: number): number {
  if (buf[at] !== COPY_DATA) throw new Error('COPY output: a message that is not a row');
  const length = ((buf[at + 1] << 24) | (buf[at + 2] << 16) | (buf[at + 3] << 8) | buf[at + 4]) >>> 0;
  if (length < 5) throw new Error('COPY output: a row without its line');
  return length;
}

/**
 * Where the CopyData message at `start` of `buf` ends (its line's newline is the byte before), or
 * -1 when `buf` ends before it does.
 */
export function copyDataEnd(buf: Uint8Array, start: number): number {
  if (start + COPY_DATA_HEAD > buf.length) return -1;
  const end = start + 1 + copyDataLength(buf, start);
  return end <= buf.length ? end : -1;
}

/**
 * How many bytes of `next` complete the message whose first bytes are `carry` (cut by the end of
 * the batch before), or -1 when `next` does not.
 */
export function copyDataRest(carry: Uint8Array, next: Uint8Array): number {
  const have = carry.length;
  if (have + next.length < COPY_DATA_HEAD) return -1;
  const head = new Uint8Array(COPY_DATA_HEAD);
  for (let k = 0; k < COPY_DATA_HEAD; k++) head[k] = k < have ? carry[k] : next[k - have];
  const need = 1 + copyDataLength(head, 0) - have;
  return need <= next.length ? need : -1;
}

/**
 * Lines of COPY's text format as the driver hands them on (copy-to-frames.ts): the server's
 * CopyData messages, a line each after its five bytes of head, in batches that may cut a message
 * anywhere: `take` hands each batch's whole messages to `cut`; the rest waits for the next batch.
 */
abstract class CopyBatches {
  private carry: Buffer | null = null;

  /** The rows of `buf`'s whole messages from `start`; where the first message not whole begins. */
  protected abstract cut(buf: Buffer, start: number): number;

  /** The rows whose messages end in `bytes` (after what earlier batches left), to `cut`. */
  protected take(bytes: Uint8Array): void {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let from = 0;
    if (this.carry) {
      // the message cut at the end of the last batch: its start and its end, joined alone
      const need = copyDataRest(this.carry, buf);
      if (need < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        return;
      }
      const joined = Buffer.concat([this.carry, buf.subarray(0, need)]);
      this.carry = null;
      this.cut(joined, 0);
      from = need;
    }
    const pos = this.cut(buf, from);
    // a copy of the cut message only, so that the batch's bytes are not kept for it
    this.carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
  }

  /** After the last batch: nothing may be left over. */
  end(): void {
    if (this.carry) throw new Error('COPY output ended inside a row');
  }
}

/** Rows of COPY's text format, decoded as node-pg would give them (CopyBatches). */
export class CopyLines extends CopyBatches {
  private out: unknown[][] = [];
  private readonly decode: Decode[];
  /** per column: int8, read from its bytes without a string when it has at most SAFE_DIGITS digits */
  private readonly int8: boolean[];

  constructor(private readonly types: readonly number[]) {
    super();
    this.decode = decodersOf(types);
    this.int8 = types.map((oid) => oid === INT8_OID);
  }

  /** The rows whose lines end in `bytes` (after what earlier batches left). */
  rows(bytes: Uint8Array): unknown[][] {
    const out: unknown[][] = (this.out = []);
    this.take(bytes);
    this.out = [];
    return out;
  }

  /**
   * Fields are cut at tabs and decoded one by one (a string of its own each: a kept id holds no
   * more than itself).
   */
  protected cut(buf: Buffer, start: number): number {
    const out = this.out;
    const n = this.types.length;
    for (;;) {
      const end = copyDataEnd(buf, start);
      if (end < 0) return start;
      const row: unknown[] = new Array(n);
      let i = 0;
      let a = start + COPY_DATA_HEAD;
      let escaped = false;
      let p = a;
      for (; p < end; p++) {
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
      if (p !== end - 1) throw new Error('COPY output: a row not ending its message');
      if (i !== n) throw new Error(`COPY output: a row of ${i} fields where ${n} were expected`);
      out.push(row);
      start = end;
    }
  }

  private field(buf: Buffer, a: number, b: number, escaped: boolean, i: number): unknown {
    if (escaped && b - a === 2 && buf[a + 1] === 78) return null; // \N
    if (this.int8[i] && !escaped) {
      const v = intOfBytes(buf, a, b);
      if (v !== null) return v;
    }
    const text = utf8Slice.call(buf, a, b);
    const v = escaped ? unescapeCopy(text) : text;
    const d = this.decode[i];
    return d === null ? v : d(v);
  }
}

/**
 * One row of COPY's text format read in place (CopyRowReader): its fields' bounds in `buf`, valid
 * during the call that gives the row only. The engine's largest reads take what they need from the
 * bytes (an int, a key looked up by its bytes, a comparison) instead of a string per field, which
 * the collector then had to sweep: a full recompute's loading was the team database's longest
 * phase, its thread busy cutting and decoding (issue 13).
 */
export class CopyRow {
  buf: Buffer = Buffer.alloc(0);
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** bit i: field i holds a backslash (an escape, or `\N`) */
  escaped = 0;

  constructor(readonly columns: number) {
    if (columns > 31) throw new Error('CopyRow: at most 31 columns');
    this.start = new Int32Array(columns);
    this.end = new Int32Array(columns);
  }

  /** Whether field `i` is written as it reads (no backslash in it). */
  plain(i: number): boolean {
    return (this.escaped & (1 << i)) === 0;
  }

  isNull(i: number): boolean {
    const a = this.start[i];
    return !this.plain(i) && this.end[i] - a === 2 && this.buf[a + 1] === 78;
  }

  /** Field `i` as text (null for NULL), its escapes undone. */
  text(i: number): string | null {
    if (this.isNull(i)) return null;
    const t = utf8Slice.call(this.buf, this.start[i], this.end[i]);
    return this.plain(i) ? t : unescapeCopy(t);
  }

  /** Field `i`, an int8, as the number the store's int8 parser gives (null for NULL). */
  int(i: number): number | null {
    if (this.isNull(i)) return null;
    return intOfBytes(this.buf, this.start[i], this.end[i]) ?? (parseInt8(this.text(i)!) as number);
  }

  /** Whether field `i` is exactly `bytes` (a NULL or escaped field never is). */
  is(i: number, bytes: Uint8Array): boolean {
    const a = this.start[i];
    if (!this.plain(i) || this.end[i] - a !== bytes.length) return false;
    for (let k = 0; k < bytes.length; k++) if (this.buf[a + k] !== bytes[k]) return false;
    return true;
  }
}

const parseInt8 = pgTypes.getTypeParser(INT8_OID, 'text') as (text: string) => unknown;

/** Rows of COPY's text format given in place (CopyRow), from batches cut anywhere (as CopyLines). */
export class CopyRowReader extends CopyBatches {
  private readonly row: CopyRow;
  private each: (row: CopyRow) => void = () => {};

  constructor(columns: number) {
    super();
    this.row = new CopyRow(columns);
  }

  /** Calls `each` with every row whose line ends in `bytes` (after what earlier batches left). */
  rows(bytes: Uint8Array, each: (row: CopyRow) => void): void {
    this.each = each;
    this.take(bytes);
  }

  /** Each whole row is given in turn. */
  protected cut(buf: Buffer, start: number): number {
    const each = this.each;
    const row = this.row;
    const n = row.columns;
    row.buf = buf;
    for (;;) {
      const end = copyDataEnd(buf, start);
      if (end < 0) return start;
      let i = 0;
      let a = start + COPY_DATA_HEAD;
      let escaped = 0;
      let p = a;
      for (; p < end; p++) {
        const c = buf[p];
        if (c === 9 || c === 10) {
          if (i >= n) throw new Error(`COPY output: a row of more than ${n} fields`);
          row.start[i] = a;
          row.end[i] = p;
          i++;
          a = p + 1;
          if (c === 10) break;
        } else if (c === 92) escaped |= 1 << i;
      }
      if (p !== end - 1) throw new Error('COPY output: a row not ending its message');
      if (i !== n) throw new Error(`COPY output: a row of ${i} fields where ${n} were expected`);
      row.escaped = escaped;
      each(row);
      start = end;
    }
  }
}

/**
 * Strings looked up by the UTF-8 bytes of a COPY field (CopyRow), without a string per lookup: each
 * key added gets the next number, `find` gives a field's number (or -1). A key is found exactly when
 * the field's text equals it (an escaped field is decoded first).
 */
export class ByteKeys {
  private bytes: Buffer;
  private used = 0;
  private offset: Int32Array;
  private length: Int32Array;
  private slots: Int32Array;
  private readonly keys: string[] = [];

  /** `expected`: about how many keys will be added (the tables are sized for them at once) */
  constructor(expected = 64) {
    this.bytes = Buffer.alloc(Math.max(1024, expected * 16));
    this.offset = new Int32Array(Math.max(16, expected));
    this.length = new Int32Array(Math.max(16, expected));
    let slots = 32;
    while (slots < expected * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key numbered `n`. */
  key(n: number): string {
    return this.keys[n];
  }

  /** `key`'s number, added when new. */
  add(key: string): number {
    // written where the next key goes, then looked up: kept only when new
    this.room(key.length * 3);
    const a = this.used;
    return this.keep(a, a + this.bytes.write(key, a, 'utf8'), key);
  }

  /**
   * The number of field `i` of `row`'s text, added when new (its string made only then): a key
   * read from COPY is not encoded again (a NULL field is no key: -1).
   */
  addField(row: CopyRow, i: number): number {
    if (!row.plain(i)) {
      const t = row.text(i);
      return t === null ? -1 : this.add(t);
    }
    const from = row.start[i];
    const len = row.end[i] - from;
    this.room(len);
    const a = this.used;
    // (an id's few bytes: a loop costs less than Buffer's copy, a call into C++ with its checks)
    const src = row.buf;
    const dst = this.bytes;
    for (let k = 0; k < len; k++) dst[a + k] = src[from + k];
    return this.keep(a, a + len, null);
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const more = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + n));
    this.bytes.copy(more, 0, 0, this.used);
    this.bytes = more;
  }

  /** The key whose bytes were just written at a..e: its number, kept when new (`key`: its text,
   * or null to decode it from the bytes). */
  private keep(a: number, e: number, key: string | null): number {
    const h = hashBytes(this.bytes, a, e);
    const found = this.findBytes(this.bytes, a, e, h);
    if (found >= 0) return found;
    const n = this.keys.length;
    if (n === this.offset.length) {
      const o = new Int32Array(n * 2);
      o.set(this.offset);
      this.offset = o;
      const l = new Int32Array(n * 2);
      l.set(this.length);
      this.length = l;
    }
    this.offset[n] = a;
    this.length[n] = e - a;
    this.used = e;
    this.keys.push(key ?? utf8Slice.call(this.bytes, a, e));
    if ((n + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(n, h);
    return n;
  }

  /** The number of field `i` of `row`'s text, -1 when it is no key (or NULL). */
  find(row: CopyRow, i: number): number {
    if (!row.plain(i)) {
      const t = row.text(i);
      return t === null ? -1 : this.findString(t);
    }
    const a = row.start[i];
    const e = row.end[i];
    return this.findBytes(row.buf, a, e, hashBytes(row.buf, a, e));
  }

  /** The number of a key given as a string, -1 when it is none. */
  findString(key: string): number {
    const b = Buffer.from(key, 'utf8');
    return this.findBytes(b, 0, b.length, hashBytes(b, 0, b.length));
  }

  private findBytes(buf: Uint8Array, a: number, e: number, h: number): number {
    const mask = this.slots.length - 1;
    const len = e - a;
    const bytes = this.bytes;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const n = this.slots[s];
      if (n < 0) return -1;
      if (this.length[n] !== len) continue;
      const o = this.offset[n];
      let k = 0;
      while (k < len && bytes[o + k] === buf[a + k]) k++;
      if (k === len) return n;
    }
  }

  private place(n: number, h: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    this.slots[s] = n;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let n = 0; n < this.keys.length; n++) {
      const o = this.offset[n];
      this.place(n, hashBytes(this.bytes, o, o + this.length[n]));
    }
  }
}

/** FNV-1a of bytes a..e. */
function hashBytes(buf: Uint8Array, a: number, e: number): number {
  let h = 0x811c9dc5;
  for (let p = a; p < e; p++) h = Math.imul(h ^ buf[p], 0x01000193);
  return h >>> 0;
}
