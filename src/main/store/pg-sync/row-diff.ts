/**
 * What a team database's full recompute must change in a result table, found in its driver thread
 * (pg-driver-worker.ts, issue 13): the rows the table holds are read once as COPY text with their
 * ctids, and each line is kept as a 64-bit hash (two independent 32-bit ones) and its length; then
 * each line of the run's new rows whose hash and length match a stored row not yet matched is
 * dropped (the row is already there, byte for byte as COPY gives it), the others are kept to be
 * written. The stored rows left unmatched at the end are the ones to delete (by ctid: the run holds
 * the store's write lock, so nobody moves them meanwhile).
 *
 * Equal rows give equal lines because the run writes them in COPY's own text form (copy-buffer.ts):
 * bigint as decimal digits, NULL as \N, text escaped as COPY escapes it. A row COPY would write
 * otherwise (a backspace, form feed or vertical tab, which the run leaves unescaped) never matches, so it is
 * written again each run: slower, never wrong. Two different lines of the same length whose two
 * hashes both agree (odds of about one in 2^64 for each new row against each stored one) would
 * leave the stored row in place.
 */

const TAB = 9;
const NEWLINE = 10;

/** FNV-1a's 32-bit offset basis and prime, and a second multiplicative hash's seed and multiplier. */
const H1_SEED = 0x811c9dc5 | 0;
const H1_PRIME = 16777619;
const H2_SEED = 0x3c6ef372 | 0;
const H2_MULT = 0x5bd1e995;

/** The two hashes of bytes[start, end). */
function hashes(bytes: Uint8Array, start: number, end: number, out: Int32Array): void {
  let h1 = H1_SEED;
  let h2 = H2_SEED;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    h1 = Math.imul(h1 ^ b, H1_PRIME);
    h2 = Math.imul(h2 ^ b, H2_MULT);
    h2 ^= h2 >>> 15;
  }
  // a final mix of each, so that slots spread whatever the last bytes were
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  out[0] = h1;
  out[1] = h2;
}

/**
 * The stored rows of one result table, and which of them the run's rows matched: a slot per
 * distinct row (its hashes and length), with how many stored rows are that row, how many of them
 * new rows matched, and their ctids (the first in the slot, the others chained), so that a table of
 * many equal rows costs no more than one of distinct rows.
 */
export class RowDiff {
  private h1 = new Int32Array(1 << 12);
  private h2 = new Int32Array(1 << 12);
  private len = new Int32Array(1 << 12);
  /** stored rows that are this row (0: an empty slot), and how many of them are matched */
  private count = new Int32Array(1 << 12);
  private taken = new Int32Array(1 << 12);
  /** the first ctid: block number (up to 2^32 - 1) and line pointer; then the chain's head (-1) */
  private block = new Uint32Array(1 << 12);
  private item = new Uint16Array(1 << 12);
  private more = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private slots = 0;
  /** the other ctids of rows stored more than once, chained */
  private chainBlock = new Uint32Array(1 << 8);
  private chainItem = new Uint16Array(1 << 8);
  private chainNext = new Int32Array(1 << 8);
  private chained = 0;
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

  /**
   * Stored rows as `COPY (SELECT ctid, <columns> FROM table) TO STDOUT` sends them, a batch at a
   * time (a line may be cut between two batches); `end()` after the last.
   */
  read(batch: Uint8Array): void {
    let bytes = batch;
    let from = 0;
    if (this.carry) {
      const nl = batch.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry = concat(this.carry, batch);
        return;
      }
      bytes = concat(this.carry, batch.subarray(0, nl + 1));
      this.carry = null;
      this.storeLine(bytes, 0, bytes.length - 1);
      bytes = batch;
      from = nl + 1;
    }
    for (;;) {
      const nl = bytes.indexOf(NEWLINE, from);
      if (nl < 0) break;
      this.storeLine(bytes, from, nl);
      from = nl + 1;
    }
    if (from < bytes.length) this.carry = bytes.slice(from);
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

  /** One stored line [start, end) without its newline: `(block,item)` TAB the row's columns. */
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
    hashes(bytes, p, end, this.h);
    this.stored++;
    const s = this.slotOf(end - p);
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
    this.h1[s] = this.h[0];
    this.h2[s] = this.h[1];
    this.len[s] = end - p;
    this.block[s] = block;
    this.item[s] = item;
    this.more[s] = -1;
    this.count[s] = 1;
    if (++this.slots * 10 > (this.mask + 1) * 7) this.grow();
  }

  private grow(): void {
    const { h1, h2, len, count, taken, block, item, more } = this;
    const size = (this.mask + 1) * 2;
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.len = new Int32Array(size);
    this.count = new Int32Array(size);
    this.taken = new Int32Array(size);
    this.block = new Uint32Array(size);
    this.item = new Uint16Array(size);
    this.more = new Int32Array(size);
    this.mask = size - 1;
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
   * New rows (COPY text, whole lines): the lines no stored row matches, in a new buffer (those a
   * stored row matched are dropped, and that row is taken: each stored row matches one line).
   */
  filter(data: Uint8Array): { kept: Uint8Array; rows: number } {
    const out = new Uint8Array(data.length);
    let used = 0;
    let rows = 0;
    let from = 0;
    while (from < data.length) {
      let nl = data.indexOf(NEWLINE, from);
      if (nl < 0) nl = data.length; // (a last line without its newline is kept as it is)
      this.written++;
      if (!this.take(data, from, nl)) {
        const end = Math.min(nl + 1, data.length);
        out.set(data.subarray(from, end), used);
        used += end - from;
        rows++;
      }
      from = nl + 1;
    }
    this.kept += rows;
    return { kept: out.subarray(0, used), rows };
  }

  /** Takes a stored row equal to data[start, end) not taken yet; whether there was one. */
  private take(data: Uint8Array, start: number, end: number): boolean {
    if (this.stored === this.matched) return false;
    hashes(data, start, end, this.h);
    const s = this.slotOf(end - start);
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
   * slot's own, then its chain's) are those left unmatched, the rest those matched.
   */
  private tids(matched: boolean): string {
    const parts: string[] = [];
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
