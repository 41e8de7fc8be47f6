/**
 * The string evidence of same-person grouping (R-SAME-1: phone, ID number + name, account), one
 * value or none per node, kept as UTF-8 bytes in one buffer (NodeValues), and the first node seen
 * with each value found by those bytes (FirstNodes).
 *
 * Why bytes: the grouping of `demo --scale 20` kept a million such strings (an ID number + name
 * took four: the two parts, their concatenation and its flattened copy) for the whole of its run,
 * and the young-generation collector copied each of them twice. A team database's grouping helper,
 * which the rest of a full recompute waits for, spent a fifth of its time collecting (issue 13).
 *
 * Values compare as their bytes: two strings are equal exactly when their UTF-8 bytes are, for
 * text without lone surrogates (no store gives any: both keep text as UTF-8).
 */

const encoder = new TextEncoder();
// (a value that begins with U+FEFF keeps it: the decoder would take it for a byte-order mark)
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** One normalized value, or none, per node (nodes given in order: 0, 1, 2 …). */
export class NodeValues {
  private bytes: Uint8Array;
  private used = 0;
  /** per node: its value's bytes [starts, ends), or starts = -1 for none */
  private starts: Int32Array;
  private ends: Int32Array;
  /** nodes given */
  length = 0;
  /** where the value being written began (begin … end) */
  private open = -1;

  /** `expected`: about how many nodes (made that size at once) */
  constructor(expected = 0) {
    const n = Math.max(16, expected);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.bytes = new Uint8Array(Math.max(1 << 12, n * 16));
  }

  /** The next node's value: `text`, or none (null). */
  push(text: string | null): void {
    if (text === null) {
      this.none();
      return;
    }
    this.begin(3 * text.length);
    this.used += encoder.encodeInto(text, this.bytes.subarray(this.used)).written;
    this.end();
  }

  /** The next node has no value. */
  none(): void {
    const i = this.next();
    this.starts[i] = -1;
    this.ends[i] = -1;
  }

  /** The next node's value begins: write its bytes (`write`, `writeByte`, at most `room` of them),
   * then `end()`. */
  begin(room: number): void {
    if (this.used + room > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < this.used + room) size *= 2;
      const bytes = new Uint8Array(size);
      bytes.set(this.bytes.subarray(0, this.used));
      this.bytes = bytes;
    }
    this.open = this.used;
  }

  /** Bytes of the value begun: `from`[a, e), with ASCII a–z made upper case where `upper`. */
  write(from: Uint8Array, a: number, e: number, upper: boolean): void {
    const bytes = this.bytes;
    let at = this.used;
    for (let i = a; i < e; i++) {
      const c = from[i];
      bytes[at++] = upper && c >= 97 && c <= 122 ? c - 32 : c;
    }
    this.used = at;
  }

  writeByte(c: number): void {
    this.bytes[this.used++] = c;
  }

  /** The value begun is the next node's. */
  end(): void {
    const i = this.next();
    this.starts[i] = this.open;
    this.ends[i] = this.used;
    this.open = -1;
  }

  private next(): number {
    const i = this.length++;
    if (i === this.starts.length) {
      const starts = new Int32Array(i * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Int32Array(i * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    return i;
  }

  /** Whether `node` has a value. */
  has(node: number): boolean {
    return node < this.length && this.starts[node] >= 0;
  }

  /** `node`'s value as text (it has one). */
  text(node: number): string {
    return decoder.decode(this.bytes.subarray(this.starts[node], this.ends[node]));
  }

  /** FNV-1a over `node`'s bytes (it has a value). */
  hash(node: number): number {
    const bytes = this.bytes;
    let h = 0x811c9dc5 | 0;
    for (let i = this.starts[node], e = this.ends[node]; i < e; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h;
  }

  /** Whether nodes `a` and `b` have the same value (both have one). */
  same(a: number, b: number): boolean {
    const bytes = this.bytes;
    let i = this.starts[a];
    let j = this.starts[b];
    const n = this.ends[a] - i;
    if (this.ends[b] - j !== n) return false;
    for (const e = i + n; i < e; i++, j++) if (bytes[i] !== bytes[j]) return false;
    return true;
  }
}

/**
 * The first node seen with each value of a NodeValues: open addressing over typed arrays, keyed by
 * the value's hash and compared by its bytes (a value is its first node's bytes: nothing is copied).
 */
export class FirstNodes {
  /** per value: its first node and its hash */
  private nodes: Int32Array;
  private hashes: Int32Array;
  private count = 0;
  /** value number + 1 (0: an empty slot) */
  private slots: Int32Array;

  /** `expected`: about how many values (the table is made for them at once) */
  constructor(
    private readonly values: NodeValues,
    expected = 0,
  ) {
    let size = 64;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.nodes = new Int32Array(Math.max(16, expected));
    this.hashes = new Int32Array(Math.max(16, expected));
  }

  /** The first node seen with `node`'s value (it has one); none yet (-1): `node` is now its first. */
  firstOr(node: number): number {
    const values = this.values;
    const h = values.hash(node);
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (let k = this.slots[s]; k !== 0; s = (s + 1) & mask, k = this.slots[s])
      if (this.hashes[k - 1] === h && values.same(this.nodes[k - 1], node)) return this.nodes[k - 1];
    const n = this.count++;
    if (n === this.nodes.length) {
      const nodes = new Int32Array(n * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
      const hashes = new Int32Array(n * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.nodes[n] = node;
    this.hashes[n] = h;
    if ((n + 1) * 2 <= this.slots.length) this.slots[s] = n + 1;
    else this.rehash(this.slots.length * 2);
    return -1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let m = 0; m < this.count; m++) {
      let s = this.hashes[m] & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = m + 1;
    }
  }
}
