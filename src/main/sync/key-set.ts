/**
 * An exact set of strings for "duplicate key inside one file", compact enough for files of
 * millions of rows: keys are kept as code units in one growing arena (one byte each while every
 * key is Latin-1, as ids almost always are; two bytes once one is not), indexed by an
 * open-addressing table of Int32 slots, with each key's hash kept so growing the table never
 * rehashes the text. About key length + 16 bytes per key, against
 * ~70 bytes per entry for a JS Set<string> (which made a 2M-row import's memory climb).
 */
export class KeySet {
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private used = 0;
  private starts = new Uint32Array(1 << 12);
  private hashes = new Int32Array(1 << 12);
  private count = 0;
  private slots = new Int32Array(1 << 13);
  private mask = (1 << 13) - 1;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: string): boolean {
    const h = hash(key);
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) break;
      if (this.hashes[s - 1] === h && this.equals(s - 1, key)) return false;
      i = (i + 1) & this.mask;
    }
    this.store(key, h);
    this.slots[i] = this.count;
    if (this.count * 2 > this.mask) this.rehash();
    return true;
  }

  has(key: string): boolean {
    if (this.count === 0) return false;
    const h = hash(key);
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) return false;
      if (this.hashes[s - 1] === h && this.equals(s - 1, key)) return true;
      i = (i + 1) & this.mask;
    }
  }

  private store(key: string, h: number): void {
    const n = key.length;
    let wide = false;
    if (this.chars instanceof Uint8Array)
      for (let k = 0; k < n; k++) if (key.charCodeAt(k) > 0xff) wide = true;
    while (wide || this.used + n > this.chars.length) {
      const size = this.used + n > this.chars.length ? this.chars.length * 2 : this.chars.length;
      const next = wide || this.chars instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size);
      next.set(this.chars);
      this.chars = next;
      wide = false;
    }
    const chars = this.chars;
    for (let k = 0; k < n; k++) chars[this.used + k] = key.charCodeAt(k);
    if (this.count + 2 > this.starts.length) {
      const next = new Uint32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
      const nextHashes = new Int32Array(this.starts.length);
      nextHashes.set(this.hashes);
      this.hashes = nextHashes;
    }
    this.hashes[this.count] = h;
    this.starts[this.count] = this.used;
    this.used += n;
    this.count++;
    this.starts[this.count] = this.used;
  }

  private equals(index: number, key: string): boolean {
    const start = this.starts[index];
    const end = this.starts[index + 1];
    if (end - start !== key.length) return false;
    const chars = this.chars;
    for (let k = 0; k < key.length; k++) if (chars[start + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let i = this.hashes[idx] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = idx + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  // as an Int32 (the table keeps hashes so): the empty text's hash is the offset basis, above 2^31
  return h | 0;
}

/**
 * One string for a key of several parts, one-to-one: each part behind its length (`3:abc1:x`), so
 * no separator is needed that the data could also hold (a NUL joining "x\0" + "y" and "x" + "\0y"
 * made two different keys one). A key of one part is itself.
 */
export function compositeKey(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0];
  let key = '';
  for (const p of parts) key += `${p.length}:${p}`;
  return key;
}
