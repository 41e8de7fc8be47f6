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
 * The stored rows of one result table, and which of them the run's rows matched: a slot per
 * distinct digest, with how many stored rows have it, how many of them new rows matched, and their
 * ctids (the first in the slot, the others chained), so that a table of many equal rows costs no
 * more than one of distinct rows; and the ctids of the stored rows without a digest, none of which
 * a new row matches.
 */
export class RowDiff {
  private h1!: Int32Array;
  private h2!: Int32Array;
  private len!: Int32Array;
  /** stored rows that are this row (0: an empty slot), and how many of them are matched */
  private count!: Int32Array;
  private taken!: Int32Array;
  /** the first ctid: block number (up to 2^32 - 1) and line pointer; then the chain's head (-1) */
  private block!: Uint32Array;
  private item!: Uint16Array;
  private more!: Int32Array;
  private mask!: number;
  private slots = 0;
  /** the other ctids of rows stored more than once, chained */
  private chainBlock = new Uint32Array(1 << 8);
  private chainItem = new Uint16Array(1 << 8);
  private chainNext = new Int32Array(1 << 8);
  private chained = 0;
  /** the ctids of stored rows without a digest, as tid literals */
  private readonly undigested: string[] = [];
  /** rows stored */
  stored = 0;
  /** stored rows a new row matched */
  matched = 0;
  /** new rows given to filter, and those of them kept (no stored row matched) */
  written = 0;
  kept = 0;
  /** the part of a line cut by the end of a batch of stored rows (read) */
  private carry: Uint8Array | null = null;
  private readonly h = new Int32Array(2);

  /** `expected`: about how many rows will be stored (the server's estimate), so that the table of
   * slots is made that size at once rather than grown (and every slot moved) a dozen times; an
   * estimate beyond MAX_EXPECTED is taken as that */
  constructor(expected = 0) {
    let size = 1 << 12;
    const rows = Math.min(Number.isFinite(expected) ? expected : 0, MAX_EXPECTED);
    while (size * 7 < rows * 10) size *= 2;
    this.allocate(size);
  }

  /** Empty slots, `size` of them (a power of two). */
  private allocate(size: number): void {
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.len = new Int32Array(size);
    this.count = new Int32Array(size);
    this.taken = new Int32Array(size);
    this.block = new Uint32Array(size);
    this.item = new Uint16Array(size);
    this.more = new Int32Array(size);
    this.mask = size - 1;
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
    if (from < batch.length) this.carry = batch.slice(from);
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

  /** The slot of the row whose hashes are in `h` and whose length is `len`, or of the empty one
   * where it would go. */
  private slotOf(len: number): number {
    let s = this.h[0] & this.mask;
    while (
      this.count[s] !== 0 &&
      (this.h1[s] !== this.h[0] || this.h2[s] !== this.h[1] || this.len[s] !== len)
    )
      s = (s + 1) & this.mask;
    return s;
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
    this.h[0] = h1;
    this.h[1] = h2;
    const s = this.slotOf(len);
    if (this.count[s] > 0) {
      // the same row again: its ctid chained
      if (this.chained === this.chainNext.length) this.growChain();
      const c = this.chained++;
      this.chainBlock[c] = block;
      this.chainItem[c] = item;
      this.chainNext[c] = this.more[s];
      this.more[s] = c;
      this.count[s]++;
      return;
    }
    this.h1[s] = h1;
    this.h2[s] = h2;
    this.len[s] = len;
    this.block[s] = block;
    this.item[s] = item;
    this.more[s] = -1;
    this.count[s] = 1;
    if (++this.slots * 10 > (this.mask + 1) * 7) this.grow();
  }

  private grow(): void {
    const { h1, h2, len, count, taken, block, item, more } = this;
    this.allocate((this.mask + 1) * 2);
    for (let i = 0; i < count.length; i++) {
      if (count[i] === 0) continue;
      let s = h1[i] & this.mask;
      while (this.count[s] !== 0) s = (s + 1) & this.mask;
      this.h1[s] = h1[i];
      this.h2[s] = h2[i];
      this.len[s] = len[i];
      this.count[s] = count[i];
      this.taken[s] = taken[i];
      this.block[s] = block[i];
      this.item[s] = item[i];
      this.more[s] = more[i];
    }
  }

  private growChain(): void {
    const size = this.chainNext.length * 2;
    const b = new Uint32Array(size);
    b.set(this.chainBlock);
    this.chainBlock = b;
    const i = new Uint16Array(size);
    i.set(this.chainItem);
    this.chainItem = i;
    const n = new Int32Array(size);
    n.set(this.chainNext);
    this.chainNext = n;
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
        starts = lineStarts = grownInt32(starts);
        ends = lineEnds = grownInt32(ends);
        h1 = lineH1 = grownInt32(h1);
        h2 = lineH2 = grownInt32(h2);
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

  /** Takes a stored row whose digest is in `h` and whose length is `len`, not taken yet; whether
   * there was one. */
  private take(len: number): boolean {
    if (this.stored === this.matched) return false;
    const s = this.slotOf(len);
    if (this.taken[s] === this.count[s]) return false; // (none, or all taken)
    this.taken[s]++;
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

  /**
   * The ctids of the stored rows matched or not: of a slot's equal rows, its first ctids (the
   * slot's own, then its chain's) are those left unmatched, the rest those matched; a row without
   * a digest is never matched.
   */
  private tids(matched: boolean): string {
    const parts: string[] = matched ? [] : [...this.undigested];
    for (let s = 0; s < this.count.length; s++) {
      if (this.count[s] === 0 || this.taken[s] === (matched ? 0 : this.count[s])) continue;
      const left = this.count[s] - this.taken[s];
      let n = 0;
      const add = (block: number, item: number) => {
        if (n++ < left !== matched) parts.push(`"(${block},${item})"`);
      };
      add(this.block[s], this.item[s]);
      for (let c = this.more[s]; c >= 0; c = this.chainNext[c]) add(this.chainBlock[c], this.chainItem[c]);
    }
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

function grownInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
