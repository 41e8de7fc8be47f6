/**
 * Rows in COPY's text format written straight into UTF-8 bytes (issue 13, bulk imports): no
 * string per value or per row, so a million-row import leaves nothing for the young-generation
 * collector to copy (a growing text of lines did: every line survived until its flush), and the
 * bytes go to the driver thread without a copy (`take` hands over its ArrayBuffer) nor a second
 * encoding there. The text is exactly `copyValue`'s (pg-sync-port.ts): `\N` for null, backslash,
 * tab, LF and CR escaped, a lone surrogate written as U+FFFD (as Buffer.from(text) writes it).
 */
export class CopyBuffer {
  private bytes: Uint8Array;
  /** Bytes written. */
  length = 0;
  /** Rows ended with `endRow`. */
  rows = 0;

  /**
   * `spare`: a buffer of at least the bytes asked for, done with and free to write again (a team
   * database's port gives back those its copies sent, pg-sync-port.ts spareBuffer), or none.
   */
  constructor(
    private readonly initial = 1 << 20,
    private readonly spare?: (bytes: number) => Uint8Array | undefined,
  ) {
    this.bytes = new Uint8Array(initial);
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /**
   * One row: `lead` (a row number, or -1 for none), the values, and `tail` (a trailing integer
   * column, or -1 for none), with one check for room (the hot path of a bulk import).
   */
  row(lead: number, values: readonly (string | number | null)[], tail: number): void {
    let need = 42;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      need += typeof v === 'string' ? 3 * v.length + 1 : 24;
    }
    this.room(need);
    if (lead >= 0) {
      this.int(lead);
      this.bytes[this.length++] = 9;
    }
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.bytes[this.length++] = 9;
      const v = values[i];
      if (typeof v === 'string') this.text(v);
      else if (typeof v === 'number' && Number.isSafeInteger(v)) this.int(v);
      else this.value(v);
    }
    if (tail >= 0) {
      this.bytes[this.length++] = 9;
      this.int(tail);
    }
    this.bytes[this.length++] = 10;
    this.rows++;
  }

  /** A value of a row: null, a number (integers digit by digit) or text. */
  value(v: string | number | bigint | boolean | null | undefined): void {
    if (typeof v === 'string') this.text(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v)) this.int(v);
    else if (v === null || v === undefined) this.ascii('\\N');
    else if (typeof v === 'boolean') this.ascii(v ? 't' : 'f');
    else if (typeof v === 'number' || typeof v === 'bigint') this.ascii(String(v));
    else this.text(String(v));
  }

  /** The tab between two values. */
  tab(): void {
    this.room(1);
    this.bytes[this.length++] = 9;
  }

  endRow(): void {
    this.room(1);
    this.bytes[this.length++] = 10;
    this.rows++;
  }

  /** A safe integer in decimal. */
  int(n: number): void {
    this.room(17);
    const b = this.bytes;
    let p = this.length;
    if (n < 0) {
      b[p++] = 45;
      n = -n;
    }
    if (n < 0x80000000) p = int32Digits(b, p, n);
    else {
      // an instant in epoch ms and the like: two halves of int32 arithmetic (a division of a
      // double costs several times a division of an int32 by 10), the low one 8 digits padded
      const hi = Math.floor(n / 1e8);
      let lo = n - hi * 1e8;
      p = int32Digits(b, p, hi) + 8;
      for (let k = 1; k <= 8; k++) {
        const q = (lo / 10) | 0;
        b[p - k] = 48 + (lo - q * 10);
        lo = q;
      }
    }
    this.length = p;
  }

  /** Text known to need no escaping and to be ASCII (`\N`, numbers). */
  private ascii(s: string): void {
    this.room(s.length);
    const b = this.bytes;
    for (let i = 0; i < s.length; i++) b[this.length++] = s.charCodeAt(i);
  }

  /** Text, escaped for COPY and encoded as UTF-8. */
  text(s: string): void {
    const n = s.length;
    this.room(3 * n);
    const b = this.bytes;
    let p = this.length;
    // the common case: printable ASCII, byte for byte
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || c === 92 || c < 32) break;
      b[p++] = c;
    }
    for (; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === 92 || c === 9 || c === 10 || c === 13) {
          b[p++] = 92;
          b[p++] = c === 92 ? 92 : c === 9 ? 116 : c === 10 ? 110 : 114;
        } else b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
            const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
            b[p++] = 0xf0 | (cp >> 18);
            b[p++] = 0x80 | ((cp >> 12) & 0x3f);
            b[p++] = 0x80 | ((cp >> 6) & 0x3f);
            b[p++] = 0x80 | (cp & 0x3f);
            continue;
          }
          c = 0xfffd; // a lone surrogate
        }
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = p;
  }

  /**
   * The bytes written so far, in a buffer of their own that may be transferred to another thread;
   * the next rows go into a new one.
   */
  take(): Uint8Array {
    const out = this.bytes.subarray(0, this.length);
    const size = Math.max(this.initial, this.bytes.length);
    this.bytes = this.spare?.(size) ?? new Uint8Array(size);
    this.length = 0;
    this.rows = 0;
    return out;
  }

  /** Forgets what was written. */
  clear(): void {
    this.length = 0;
    this.rows = 0;
  }
}

/** `n` (0 ≤ n < 2^31) in decimal at `p` of `b`; the position after it. */
function int32Digits(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  const end = p + digits;
  let q = end;
  while (n >= 10) {
    const d = (n / 10) | 0;
    b[--q] = 48 + (n - d * 10);
    n = d;
  }
  b[--q] = 48 + n;
  return end;
}
