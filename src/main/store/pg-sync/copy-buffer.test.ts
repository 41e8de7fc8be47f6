// COPY rows written as bytes (copy-buffer.ts, issue 13 bulk imports) are exactly the UTF-8 of the
// text `copyValue` gives: escapes, nulls, numbers, any string (lone surrogates included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyBuffer } from './copy-buffer';
import { copyValue } from './pg-sync-port';

const textOf = (rows: readonly (readonly unknown[])[]) =>
  rows.map((r) => r.map(copyValue).join('\t') + '\n').join('');

function bytesOf(rows: readonly (readonly (string | number | null)[])[], initial?: number) {
  const b = new CopyBuffer(initial);
  for (const r of rows) {
    r.forEach((v, i) => {
      if (i) b.tab();
      b.value(v);
    });
    b.endRow();
  }
  expect(b.rows).toBe(rows.length);
  return b.take();
}

describe('COPY rows as bytes', () => {
  it('the bytes of copyValue text: escapes, nulls, integers, Chinese text, emoji', () => {
    const rows = [
      ['O1', 'a\tb\nc\rd\\e', null, 0, -12, 1772337600000, Number.MAX_SAFE_INTEGER, 1.5, 1e21],
      ['客户一', '😀x', '\u00e9', '', 'é\u07ff\u0800\uffff'],
      // integers about 2^31 and 10^8, where the digits are written in two halves, zeros padded
      [9, 10, 99_999_999, 100_000_000, 2_147_483_647, 2_147_483_648, -2_147_483_648, 200_000_000_000],
      [10_000_000_000_000, 1_772_337_600_001, -Number.MAX_SAFE_INTEGER, 4_294_967_296, 12_300_000_045],
    ];
    expect(Buffer.from(bytesOf(rows, 4)).toString()).toBe(textOf(rows));
    expect(Buffer.compare(Buffer.from(bytesOf(rows)), Buffer.from(textOf(rows)))).toBe(0);
  });

  it('any strings and integers, through the buffer growing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.maxSafeInteger(), fc.constant(null)), {
            minLength: 1,
            maxLength: 6,
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const got = Buffer.from(bytesOf(rows, 8));
          expect(Buffer.compare(got, Buffer.from(textOf(rows)))).toBe(0);
          // the import's rows: a row number before the values, or the import id after them
          const b = new CopyBuffer(8);
          rows.forEach((r, i) => b.row(i + 1, r, -1));
          rows.forEach((r) => b.row(-1, r, 42));
          const want = textOf([...rows.map((r, i) => [i + 1, ...r]), ...rows.map((r) => [...r, 42])]);
          expect(Buffer.compare(Buffer.from(b.take()), Buffer.from(want))).toBe(0);
        },
      ),
    );
  });

  it('take hands over the bytes and starts a new buffer', () => {
    const b = new CopyBuffer(4);
    b.value('abc');
    b.endRow();
    const first = b.take();
    b.value(7);
    b.endRow();
    expect(Buffer.from(first).toString()).toBe('abc\n');
    expect(Buffer.from(b.take()).toString()).toBe('7\n');
    expect(b.length).toBe(0);
  });
});
