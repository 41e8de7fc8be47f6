/**
 * What a team database's full recompute must change in a result table, found in its driver thread
 * (pg-driver-worker.ts, issue 13). Each line of the run's new rows (COPY text) is hashed: a 96-bit
 * digest of its bytes (two 32-bit hashes of different mixing and its length). The run writes that
 * digest beside the row, in the table's `row_hash` column (a team database's only: migration 4,
 * store/schema/row-hash.sql.ts), so the next run reads only each stored row's ctid and digest, not
 * the whole row (a fifth of the bytes, and no column for the server to format or for this thread to
 * hash again). A new row whose digest a stored row not yet matched has is dropped (the row is
 * already there, byte for byte as the run wrote it); the others are kept to be written, with their
 * digest. The stored rows left unmatched at the end are the ones to delete (by ctid: the run holds
 * the store's write lock, so nobody moves them meanwhile).
 *
 * A row written by anything else has no digest (an incremental or a decision's run inserts without
 * one; a trigger clears it when an update leaves it as it was): it matches no new row, so it is
 * written again. Two different lines whose digests agree (odds of about one in 2^64 for each new
 * row against each stored one, and the lengths must agree too) would leave the stored row in place.
 */
import { copyDataEnd, copyDataRest } from './copy-out';

/** the most rows a table of slots is made for at once (4M slots of 30 bytes, 120 MB; a table of
 * more rows grows it): a stale estimate of a table since emptied costs no more */
const MAX_EXPECTED = 1 << 21;

const TAB = 9;
const NEWLINE = 10;

/** The seeds of the two hashes, and their multipliers (MurmurHash3's and MurmurHash2's). */
const H1_SEED = 0x811c9dc5 | 0;
const H2_SEED = 0x3c6ef372 | 0;
const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593;
const M2 = 0x5bd1e995;

/**
 * The two hashes of bytes[start, end), taken four bytes at a time (six multiplications per four
 * bytes where a hash per byte took eight, and a quarter of the steps: the driver thread hashes every
 * stored row and every new one, about 600 MB a run of `demo --scale 20`): MurmurHash3's 32-bit mixing for the first, MurmurHash2's for the second, each
 * from its own seed and ended with its own final mix, so that slots spread whatever the last bytes
 * were. The length is compared beside them. `salt` (shapeSalt) starts both from the columns the
 * line is of: the same bytes in other columns are another row.
 */
function hashes(bytes: Uint8Array, start: number, end: number, out: Int32Array, salt = 0): void {
  let h1 = H1_SEED ^ salt;
  let h2 = (H2_SEED + salt) | 0;
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    const w = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    let k = Math.imul(w, C1);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, C2);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let m = Math.imul(w, M2);
    m ^= m >>> 24;
    h2 = Math.imul(h2, M2) ^ Math.imul(m, M2);
  }
  // the last one to three bytes
  let w = 0;
  for (let shift = 0; i < end; i++, shift += 8) w |= bytes[i] << shift;
  if ((end - start) % 4 !== 0) {
    let k = Math.imul(w, C1);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, C2);
    h2 = Math.imul(h2 ^ w, M2);
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, M2);
  h2 ^= h2 >>> 15;
  out[0] = h1;
  out[1] = h2;
}

/**
 * The salt of a table's digests: a hash of the run's column list, so that a row written in other
 * columns (a later version's order of them, one more or one less) matches none written before.
 */
export function shapeSalt(columns: readonly string[]): number {
  const out = new Int32Array(2);
  const bytes = new TextEncoder().encode(columns.join(','));
  hashes(bytes, 0, bytes.length, out);
  return out[0];
}

/** RowDiff.filter's bounds of the lines it keeps, [start, end) without the newline, and their
 * digests (one thread's, grown as needed: filter is not re-entered) */
let lineStarts: Int32Array<ArrayBuffer> = new Int32Array(1 << 12);
let lineEnds: Int32Array<ArrayBuffer> = new Int32Array(1 << 12);
let lineH1: Int32Array<ArrayBuffer> = new Int32Array(1 << 12);
let lineH2: Int32Array<ArrayBuffer> = new Int32Array(1 << 12);

/** The hex digits of a digest (two hashes and a length, 32 bits each). */
const HEX_DIGITS = 24;
/** The bytes a digest takes in a line the run writes: TAB, then bytea's hex form escaped for COPY
 * (`\\\\x` and the hex digits). */
const DIGEST_BYTES = 1 + 3 + HEX_DIGITS;
const BACKSLASH = 92;
const HEX = new TextEncoder().encode('0123456789abcdef');
/** hex digit → value (-1: not one) */
const UNHEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) UNHEX[HEX[i]] = i;
for (let i = 10; i < 16; i++) UNHEX[HEX[i] - 32] = i; // (A-F too)

/** Writes `v` as 8 hex digits at out[at]. */
function hex32(out: Uint8Array, at: number, v: number): void {
  for (let k = 7; k >= 0; k--) {
    out[at + k] = HEX[v & 15];
    v >>>= 4;
  }
}

/** The 32-bit value of the 8 hex digits at bytes[at], or null when they are not. */
function unhex32(bytes: Uint8Array, at: number): number | null {
  let v = 0;
  for (let k = 0; k < 8; k++) {
    const d = UNHEX[bytes[at + k]];
    if (d < 0) return null;
    v = (v << 4) | d;
  }
  return v;
}

/**
 * The stored rows of one result table, and which of them the run's rows matched. The stored rows
 * are kept in the order they were read (their digests, ctids and whether a new row matched them):
 * the server reads a table in its rows' order, which is the order the last run wrote them (a table
 * made again is written in the engine's order; a diff's few changed rows go elsewhere), and the run
 * makes its rows in that same order. So each new row is first compared with the stored row after
 * the last one matched, and most rows match there, one after the other, without a table lookup. A
 * new row that does not is looked up by its digest in a table of slots, made at the first such row
 * (never, when nothing changed): a slot per distinct digest, its stored rows chained in their
 * order (so that a table of many equal rows costs no more than one of distinct rows), and the next
 * one not yet taken. Stored rows without a digest are kept apart: no new row matches them.
 */
export class RowDiff {
  // the stored rows with a digest, in the order read: its two hashes and length, its ctid (block
  // number up to 2^32 - 1, and line pointer), whether a new row matched it
  private sh1: Int32Array<ArrayBuffer>;
  private sh2: Int32Array<ArrayBuffer>;
  private slen: Int32Array<ArrayBuffer>;
  private sblock: Uint32Array<ArrayBuffer>;
  private sitem: Uint16Array<ArrayBuffer>;
  private staken: Uint8Array<ArrayBuffer>;
  /** how many there are */
  private rows = 0;
  /** the stored row a new row is compared with first: the one after the last one matched */
  private cursor = 0;
  // the table of slots (made by `index`): a slot's digest, its first stored row (-1: an empty
  // slot), and its first stored row not known to be taken; the next stored row of the same digest
  private h1: Int32Array | null = null;
  private h2!: Int32Array;
  private len!: Int32Array;
  private first!: Int32Array;
  private free!: Int32Array;
  private same!: Int32Array;
  private mask = 0;
  /** the ctids of stored rows without a digest, as tid literals */
  private readonly undigested: string[] = [];
  /** rows stored */
  stored = 0;
  /** stored rows a new row matched */
  matched = 0;
  /** new rows given to filter, and those of them kept (no stored row matched) */
  written = 0;
  kept = 0;
  /** the part of a message cut by the end of a batch of stored rows (read) */
  private carry: Uint8Array | null = null;
  private readonly h = new Int32Array(2);

  /** `expected`: about how many rows will be stored (the server's estimate), so that their arrays
   * are made that size at once rather than grown a dozen times; an estimate beyond MAX_EXPECTED is
   * taken as that */
  constructor(expected = 0) {
    const rows = Math.min(Number.isFinite(expected) ? expected : 0, MAX_EXPECTED);
    const size = Math.max(1 << 10, rows + (rows >> 6));
    this.sh1 = new Int32Array(size);
    this.sh2 = new Int32Array(size);
    this.slen = new Int32Array(size);
    this.sblock = new Uint32Array(size);
    this.sitem = new Uint16Array(size);
    this.staken = new Uint8Array(size);
  }

  /**
   * Stored rows as `COPY (SELECT ctid, encode(row_hash, 'hex') FROM table) TO STDOUT` sends them,
   * CopyData messages as the server sent them (copy-to-frames.ts), a batch at a time (a message
   * may be cut between two batches); `end()` after the last.
   */
  read(batch: Uint8Array): void {
    let from = 0;
    if (this.carry) {
      const need = copyDataRest(this.carry, batch);
      if (need < 0) {
        this.carry = concat(this.carry, batch);
        return;
      }
      const joined = concat(this.carry, batch.subarray(0, need));
      this.carry = null;
      this.storeMessage(joined, 0, joined.length);
      from = need;
    }
    for (;;) {
      const end = copyDataEnd(batch, from);
      if (end < 0) break;
      this.storeMessage(batch, from, end);
      from = end;
    }
    // (a copy: the batch may be a view of bytes written again after this call, copy-to-frames.ts)
    if (from < batch.length) this.carry = new Uint8Array(batch.subarray(from));
  }

  /** One CopyData message [start, end) of stored rows: its line, without the newline. */
  private storeMessage(bytes: Uint8Array, start: number, end: number): void {
    if (bytes[end - 1] !== NEWLINE) throw new Error('stored result rows: a line not ending its message');
    this.storeLine(bytes, start + 5, end - 1);
  }

  /** The stored rows are all read (a line left cut is an error: COPY ends every line). */
  end(): void {
    if (this.carry) throw new Error('stored result rows: COPY output ended inside a line');
  }

  /**
   * One stored line [start, end) without its newline: `(block,item)` TAB its digest in 24 hex
   * digits (`encode(row_hash, 'hex')`: the two hashes and the length), or `\\N` (none). Anything
   * else there (a value another tool wrote) is taken as none: the row is written again.
   */
  private storeLine(bytes: Uint8Array, start: number, end: number): void {
    // the ctid's text: "(block,item)"
    let p = start;
    if (bytes[p++] !== 40) throw new Error('stored result rows: a line without its ctid');
    let block = 0;
    while (bytes[p] >= 48 && bytes[p] <= 57) block = block * 10 + (bytes[p++] - 48);
    if (bytes[p++] !== 44) throw new Error('stored result rows: a malformed ctid');
    let item = 0;
    while (bytes[p] >= 48 && bytes[p] <= 57) item = item * 10 + (bytes[p++] - 48);
    if (bytes[p++] !== 41 || bytes[p++] !== TAB) throw new Error('stored result rows: a malformed ctid');
    this.stored++;
    const digest = end - p === HEX_DIGITS ? p : -1;
    const h1 = digest < 0 ? null : unhex32(bytes, digest);
    const h2 = digest < 0 ? null : unhex32(bytes, digest + 8);
    const len = digest < 0 ? null : unhex32(bytes, digest + 16);
    if (h1 === null || h2 === null || len === null) {
      this.undigested.push(`"(${block},${item})"`);
      return;
    }
    if (this.rows === this.sh1.length) this.growRows();
    const r = this.rows++;
    this.sh1[r] = h1;
    this.sh2[r] = h2;
    this.slen[r] = len;
    this.sblock[r] = block;
    this.sitem[r] = item;
  }

  private growRows(): void {
    const size = this.sh1.length * 2;
    this.sh1 = grown(this.sh1, size);
    this.sh2 = grown(this.sh2, size);
    this.slen = grown(this.slen, size);
    this.sblock = grown(this.sblock, size);
    this.sitem = grown(this.sitem, size);
    this.staken = grown(this.staken, size);
  }

  /**
   * The table of slots over the stored rows, made the first time a new row does not match in
   * order: the stored rows of a digest chained in the order read.
   */
  private index(): void {
    let size = 1 << 12;
    while (size * 7 < this.rows * 10) size *= 2;
    const h1 = (this.h1 = new Int32Array(size));
    const h2 = (this.h2 = new Int32Array(size));
    const len = (this.len = new Int32Array(size));
    const first = (this.first = new Int32Array(size).fill(-1));
    const free = (this.free = new Int32Array(size));
    const same = (this.same = new Int32Array(this.rows));
    const mask = (this.mask = size - 1);
    // (backwards, each row put first in its chain: the chains run in the order read)
    for (let r = this.rows - 1; r >= 0; r--) {
      const a = this.sh1[r];
      const b = this.sh2[r];
      const n = this.slen[r];
      let s = a & mask;
      while (first[s] >= 0 && (h1[s] !== a || h2[s] !== b || len[s] !== n)) s = (s + 1) & mask;
      same[r] = first[s];
      first[s] = r;
      free[s] = r;
      h1[s] = a;
      h2[s] = b;
      len[s] = n;
    }
  }

  /** The stored row not yet taken whose digest is in `h` and whose length is `len`, by the table
   * of slots; -1 for none. */
  private lookUp(len: number): number {
    if (this.h1 === null) this.index();
    const h1 = this.h1!;
    const a = this.h[0];
    const b = this.h[1];
    let s = a & this.mask;
    for (;;) {
      const r = this.first[s];
      if (r < 0) return -1;
      if (h1[s] === a && this.h2[s] === b && this.len[s] === len) break;
      s = (s + 1) & this.mask;
    }
    // (rows taken in order meanwhile are passed over here, once each)
    let r = this.free[s];
    while (r >= 0 && this.staken[r] !== 0) r = this.same[r];
    this.free[s] = r;
    return r;
  }

  /**
   * New rows (COPY text, whole lines, of the columns whose shapeSalt is `salt`): the lines no
   * stored row matches, each with its digest as one more column, in a new buffer (those a stored
   * row matched are dropped, and that row is taken: each stored row matches one line).
   *
   * `scan` does the same for every line: it notes the line's bounds and digest when kept; the
   * kept lines are copied after it. A copy inside the loop, done for one line in thousands, was
   * compiled without feedback: each call of this method (a batch of rows) deoptimized there and
   * ended its batch in the interpreter, some 250 times a run of `demo --scale 20` (issue 13). The
   * loop is a method of its own for the same reason: its code compiled in the middle of the first
   * batch (on-stack replacement, kept for the later ones) knew nothing of what follows the loop,
   * and deoptimized at its end, batch after batch (115 times a run).
   */
  filter(data: Uint8Array, salt: number): { kept: Uint8Array; rows: number } {
    const rows = this.scan(data, true, salt);
    this.kept += rows;
    return { kept: digested(data, rows), rows };
  }

  /** The lines of `data` no stored row matches (`match`; every line, not): their bounds and
   * digests in lineStarts, lineEnds, lineH1 and lineH2, and how many they are. */
  scan(data: Uint8Array, match: boolean, salt: number): number {
    let starts = lineStarts;
    let ends = lineEnds;
    let h1 = lineH1;
    let h2 = lineH2;
    let rows = 0;
    let lines = 0;
    let from = 0;
    while (from < data.length) {
      lines++;
      let nl = data.indexOf(NEWLINE, from);
      if (nl < 0) nl = data.length; // (a last line without its newline gets one)
      if (rows === starts.length) {
        starts = lineStarts = grown(starts, starts.length * 2);
        ends = lineEnds = grown(ends, ends.length * 2);
        h1 = lineH1 = grown(h1, h1.length * 2);
        h2 = lineH2 = grown(h2, h2.length * 2);
      }
      hashes(data, from, nl, this.h, salt);
      starts[rows] = from;
      ends[rows] = nl;
      h1[rows] = this.h[0];
      h2[rows] = this.h[1];
      rows += match && this.take(nl - from) ? 0 : 1;
      from = nl + 1;
    }
    if (match) this.written += lines;
    return rows;
  }

  /** Takes a stored row whose digest is in `h` and whose length is `len`, not taken yet: the one
   * after the last one taken, or any by the table of slots; whether there was one. */
  private take(len: number): boolean {
    if (this.stored === this.matched) return false;
    let r = this.cursor;
    if (
      r >= this.rows ||
      this.staken[r] !== 0 ||
      this.sh1[r] !== this.h[0] ||
      this.sh2[r] !== this.h[1] ||
      this.slen[r] !== len
    ) {
      r = this.lookUp(len);
      if (r < 0) return false;
    }
    this.staken[r] = 1;
    this.cursor = r + 1;
    this.matched++;
    return true;
  }

  /** The ctids of the stored rows a new row matched, as a PostgreSQL tid[] literal. */
  matchedTids(): string {
    return this.tids(true);
  }

  /** The ctids of the stored rows no new row matched, as a PostgreSQL tid[] literal. */
  unmatched(): string {
    return this.tids(false);
  }

  /** The ctids of the stored rows matched or not (a row without a digest is never matched). */
  private tids(matched: boolean): string {
    const parts: string[] = matched ? [] : [...this.undigested];
    const want = matched ? 1 : 0;
    for (let r = 0; r < this.rows; r++)
      if (this.staken[r] === want) parts.push(`"(${this.sblock[r]},${this.sitem[r]})"`);
    return `{${parts.join(',')}}`;
  }
}

/**
 * New rows written whole (a table the run makes again, or one it empties; of the columns whose
 * shapeSalt is `salt`): every line of `data` with its digest as one more column (row_hash), in a
 * new buffer.
 */
export function withDigests(data: Uint8Array, salt: number): Uint8Array {
  return digested(data, DIGESTER.scan(data, false, salt));
}
/** (scan's state outside matching: its hash buffer only) */
const DIGESTER = new RowDiff();

/** The `rows` lines scan noted, each with its digest (TAB, `\\x`, 24 hex digits) and a newline. */
function digested(data: Uint8Array, rows: number): Uint8Array {
  const starts = lineStarts;
  const ends = lineEnds;
  let used = 0;
  for (let r = 0; r < rows; r++) used += ends[r] - starts[r] + DIGEST_BYTES + 1;
  const out = new Uint8Array(used);
  used = 0;
  for (let r = 0; r < rows; r++) {
    const n = ends[r] - starts[r];
    out.set(data.subarray(starts[r], ends[r]), used);
    used += n;
    out[used++] = TAB;
    out[used++] = BACKSLASH;
    out[used++] = BACKSLASH;
    out[used++] = 120; // x
    hex32(out, used, lineH1[r]);
    hex32(out, used + 8, lineH2[r]);
    hex32(out, used + 16, n);
    used += 24;
    out[used++] = NEWLINE;
  }
  return out;
}

/** `a` copied into an array of its kind `size` long. */
function grown<
  T extends
    Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint8Array<ArrayBuffer>,
>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
