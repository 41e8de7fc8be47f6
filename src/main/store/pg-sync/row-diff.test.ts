/**
 * Issue 13: the driver thread's diff of a result table (row-diff.ts): stored rows as their ctids
 * and the digests the run that wrote them gave them, cut anywhere between batches; new rows whose
 * digest a stored one has are dropped, each stored row matching one new row; the rest is kept, with
 * its digest, and the stored rows nothing matched are named by ctid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParams } from '../../test-support/fuzz';
import { CopyBuffer } from './copy-buffer';
import { RowDiff, shapeSalt, withDigests } from './row-diff';
import { copyData } from '../../test-support/copy-data';

/** the columns of the rows below (their digests' salt) */
const SALT = shapeSalt(['order_id', 'status', 'amount', 'note']);

const enc = new TextEncoder();
const dec = new TextDecoder();

type Values = (string | number | null)[];

/** New rows as the run writes them (persist.ts CopyInsert). */
function fresh(rows: Values[]): Uint8Array {
  const b = new CopyBuffer();
  for (const values of rows) b.row(-1, values, -1);
  return b.take();
}
/** The digests rows are written with, as COPY text (`\\\\x` and 24 hex digits). */
function digestsOf(rows: Values[]): string[] {
  return dec
    .decode(withDigests(fresh(rows), SALT))
    .split('\n')
    .slice(0, -1)
    .map((line) => line.slice(line.lastIndexOf('\t') + 1));
}
const digestOf = (values: Values) => digestsOf([values])[0];
/** Stored rows as COPY (SELECT ctid, encode(row_hash, 'hex') …) sends them: the digest the row was
 * written with, or, for a string, that text as it is (`\\N`: none). */
function stored(rows: [string, Values | string][]): Uint8Array {
  const digests = digestsOf(rows.flatMap(([, v]) => (typeof v === 'string' ? [] : [v]))).map((d) =>
    d.slice('\\\\x'.length),
  );
  let next = 0;
  return copyData(
    rows.map(([ctid, v]) => `${ctid}\t${typeof v === 'string' ? v : digests[next++]}\n`).join(''),
  );
}
/** Kept lines without their digests (each checked to be one). */
function withoutDigests(kept: Uint8Array): string {
  const text = dec.decode(kept);
  for (const line of text.split('\n').slice(0, -1)) expect(line).toMatch(/\t\\\\x[0-9a-f]{24}$/);
  return text.replace(/\t\\\\x[0-9a-f]{24}\n/g, '\n');
}

const STORED: [string, Values][] = [
  ['(0,1)', ['O1', 'valid', 1200, null]],
  ['(0,2)', ['O2', 'excluded', 0, '["SAME_PERSON"]']],
  ['(3,17)', ['O3', 'valid', 990, 'tab\there, 换行\nnew line']],
  ['(4294967295,65535)', ['O4', 'valid', 5, null]],
  // the same row twice (a table without a key): each copy is matched once
  ['(5,1)', ['E1', 'x', 1, null]],
  ['(5,2)', ['E1', 'x', 1, null]],
];

describe('a result table diff in the driver thread (issue 13)', () => {
  it('R-RECALC-1: rows equal to a stored one are dropped, changed and new ones kept; the stored rows nothing matched are named by ctid', () => {
    const d = new RowDiff();
    d.read(stored(STORED));
    d.end();
    expect(d.stored).toBe(6);
    const { kept, rows } = d.filter(
      fresh([
        ['O1', 'valid', 1200, null], // unchanged
        ['O2', 'excluded', 0, '["SAME_PERSON","BLACKLISTED"]'], // changed
        ['O3', 'valid', 990, 'tab\there, 换行\nnew line'], // unchanged, escapes and UTF-8
        ['O5', 'valid', 7, null], // new
        ['E1', 'x', 1, null], // one of the two copies
      ]),
      SALT,
    );
    expect(rows).toBe(2);
    expect(withoutDigests(kept)).toBe('O2\texcluded\t0\t["SAME_PERSON","BLACKLISTED"]\nO5\tvalid\t7\t\\N\n');
    expect(
      dec
        .decode(kept)
        .split('\n')[1]
        .endsWith(digestOf(['O5', 'valid', 7, null])),
    ).toBe(true);
    expect(d.matched).toBe(3);
    expect(d.written).toBe(5);
    expect(d.kept).toBe(2);
    // O2 (changed), O4 (gone) and one of the two copies of E1
    expect(d.unmatched()).toMatch(/^\{"\(\d+,\d+\)"(,"\(\d+,\d+\)")*\}$/);
    expect(d.unmatched().match(/"\(/g)).toHaveLength(3);
    expect(d.unmatched()).toContain('"(0,2)"');
    expect(d.unmatched()).toContain('"(4294967295,65535)"');
    expect(d.unmatched()).toMatch(/"\(5,[12]\)"/);
    // the matched ones: O1, O3 and the other copy of E1 (a table made again keeps them)
    const matched = d.matchedTids();
    expect(matched.match(/"\(/g)).toHaveLength(3);
    expect(matched).toContain('"(0,1)"');
    expect(matched).toContain('"(3,17)"');
    expect(matched).toMatch(/"\(5,[12]\)"/);
    expect(matched.match(/"\(5,[12]\)"/)![0]).not.toBe(d.unmatched().match(/"\(5,[12]\)"/)![0]);
  });

  it('a line cut anywhere between two batches of stored rows is read whole', () => {
    const all = stored(STORED);
    // each batch a view of bytes written again once read, as the driver's chunks are
    const once = (bytes: Uint8Array) => {
      const view = Buffer.from(bytes);
      return { view, spent: () => view.fill(0) };
    };
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new RowDiff();
      for (const part of [all.subarray(0, cut), all.subarray(cut)]) {
        const batch = once(part);
        d.read(batch.view);
        batch.spent();
      }
      d.end();
      expect(d.stored, `cut at ${cut}`).toBe(6);
      const { rows } = d.filter(fresh(STORED.map(([, v]) => v)), SALT);
      expect(rows, `cut at ${cut}`).toBe(0);
      expect(d.unmatched()).toBe('{}');
    }
    // in three pieces, the middle one inside a single line
    const d = new RowDiff();
    d.read(all.subarray(0, 3));
    d.read(all.subarray(3, 5));
    d.read(all.subarray(5));
    d.end();
    expect(d.stored).toBe(6);
  });

  it('a row that differs in one byte, or only in length, is not taken for a stored one', () => {
    const d = new RowDiff();
    d.read(stored([['(0,1)', ['O1', 'valid', 1200, 'ab']]]));
    d.end();
    for (const v of [
      ['O1', 'valid', 1201, 'ab'],
      ['O1', 'valid', 1200, 'ab '],
      ['O1', 'valid', 1200, 'aB'],
      ['O1', 'valid', 1200, null],
      ['O1', 'valid', 120, '0ab'],
      // a difference in each of the last bytes (hashed after the whole words) and in the first
      ['O1', 'valid', 1200, 'ac'],
      ['O1', 'valid', 1200, 'bb'],
      ['O2', 'valid', 1200, 'ab'],
    ])
      expect(d.filter(fresh([v]), SALT).rows, JSON.stringify(v)).toBe(1);
    expect(d.matched).toBe(0);
    expect(d.filter(fresh([['O1', 'valid', 1200, 'ab']]), SALT).rows).toBe(0);
    expect(d.matched).toBe(1);
  });

  it.each([undefined, 50_000, 300])(
    'many stored rows: every one found again, none twice (expected: %s)',
    (expected) => {
      const rows: [string, Values][] = [];
      for (let i = 0; i < 50_000; i++) rows.push([`(${i >> 6},${(i & 63) + 1})`, [`K${i}`, i % 7, i * 13]]);
      // the server's estimate sizes the table at once; none, or one too small, grows it
      const d = new RowDiff(expected);
      const bytes = stored(rows);
      // batches of 64 KiB, as COPY sends them
      for (let i = 0; i < bytes.length; i += 65_536) d.read(bytes.subarray(i, i + 65_536));
      d.end();
      expect(d.stored).toBe(50_000);
      const again = rows.map(([, v]) => v);
      again[10] = ['K10', 3, 131];
      expect(d.filter(fresh(again), SALT).rows).toBe(1);
      // each stored row matches one new row: the same rows again are all kept
      expect(d.filter(fresh(again), SALT).rows).toBe(50_000);
      expect(d.unmatched()).toBe('{"(0,11)"}');
    },
  );

  it('rows in the order stored, in another order, some changed, removed, added or repeated: exactly the multiset difference, whichever way each row is found', () => {
    // (the stored rows are mostly met in their order, and the others looked up: both ways together
    // must match each stored row at most once, and every one they can)
    const row = fc.constantFrom<Values>(
      ['O1', 'valid', 1, null],
      ['O2', 'valid', 2, null],
      ['O3', 'excluded', 0, 'x'],
      ['O4', 'valid', 4, null],
      ['O5', 'valid', 5, '换行'],
    );
    const edit = fc.oneof(
      fc.constant<'same'>('same'),
      fc.constant<'drop'>('drop'),
      fc.constant<'twice'>('twice'),
      row.map((v) => ({ add: v })),
    );
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.array(edit, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (storedRows, edits, swaps, batches) => {
          // the new rows: the stored ones in their order, edited, with a few pairs swapped
          const next: Values[] = [];
          storedRows.forEach((v, i) => {
            const e = edits[i] ?? 'same';
            if (e === 'drop') return;
            next.push(v);
            if (e === 'twice') next.push(v);
            if (typeof e === 'object') next.push(e.add);
          });
          for (const k of swaps)
            if (next.length > 1) {
              const i = k % next.length;
              const j = (k * 7 + 3) % next.length;
              [next[i], next[j]] = [next[j], next[i]];
            }
          const d = new RowDiff();
          d.read(stored(storedRows.map((v, i) => [`(0,${i + 1})`, v])));
          d.end();
          let kept = 0;
          const per = Math.ceil(next.length / batches) || 1;
          for (let i = 0; i < next.length; i += per)
            kept += d.filter(fresh(next.slice(i, i + per)), SALT).rows;
          // the multiset difference, by the rows' text
          const left = new Map<string, number>();
          for (const v of storedRows) left.set(JSON.stringify(v), (left.get(JSON.stringify(v)) ?? 0) + 1);
          let matched = 0;
          for (const v of next) {
            const n = left.get(JSON.stringify(v)) ?? 0;
            if (n > 0) {
              left.set(JSON.stringify(v), n - 1);
              matched++;
            }
          }
          expect(d.matched).toBe(matched);
          expect(kept).toBe(next.length - matched);
          // the stored rows named unmatched: as many of each row as are left, the others matched
          const ctids = (lit: string) => lit.match(/"\(\d+,\d+\)"/g) ?? [];
          const unmatched = ctids(d.unmatched());
          const matchedTids = ctids(d.matchedTids());
          expect(unmatched.length + matchedTids.length).toBe(storedRows.length);
          expect(new Set([...unmatched, ...matchedTids]).size).toBe(storedRows.length);
          const leftOf = new Map<string, number>();
          for (const t of unmatched) {
            const v = JSON.stringify(storedRows[Number(/,(\d+)\)/.exec(t)![1]) - 1]);
            leftOf.set(v, (leftOf.get(v) ?? 0) + 1);
          }
          for (const [v, n] of left) expect(leftOf.get(v) ?? 0, v).toBe(n);
        },
      ),
      fuzzParams('row-diff multiset', 300),
    );
  });

  it('many equal rows (a table without a key): each matched once, the rest named, in about the time of distinct ones', () => {
    const rows: [string, Values][] = [];
    for (let i = 0; i < 40_000; i++) rows.push([`(${i >> 6},${(i & 63) + 1})`, ['G1', 'P1', 1]]);
    const d = new RowDiff();
    const t0 = performance.now();
    d.read(stored(rows));
    d.end();
    expect(d.filter(fresh(Array.from({ length: 30_000 }, () => ['G1', 'P1', 1])), SALT).rows).toBe(0);
    expect(d.filter(fresh([['G1', 'P1', 2]]), SALT).rows).toBe(1);
    const left = d.unmatched().slice(1, -1).split(',"');
    expect(performance.now() - t0, 'no probing along a run of equal rows').toBeLessThan(2_000);
    expect(d.matched).toBe(30_000);
    expect(left).toHaveLength(10_000);
    expect(new Set(left).size, 'ten thousand different ctids').toBe(10_000);
  });

  it('a batch of thousands of rows, most of them kept, gives back exactly the kept lines in order, batch after batch and diff after diff', () => {
    const rows: [string, Values][] = [];
    for (let i = 0; i < 9_000; i += 3) rows.push([`(${i},1)`, [`O${i}`, 'valid', i]]);
    for (const round of [1, 2]) {
      const d = new RowDiff();
      d.read(stored(rows));
      d.end();
      // every third row is stored: the other two of each three are kept (6,000 kept lines, more than
      // the bounds filter notes at first, when this test runs alone)
      const batch = Array.from({ length: 9_000 }, (_, i) => [`O${i}`, 'valid', i]);
      const keptRows = batch.filter((_, i) => i % 3 !== 0);
      const { kept, rows: n } = d.filter(fresh(batch), SALT);
      expect(n, `round ${round}`).toBe(6_000);
      expect(dec.decode(kept)).toBe(dec.decode(withDigests(fresh(keptRows), SALT)));
      // a next batch: what it keeps only (a row already matched is kept this time)
      const next = d.filter(
        fresh([
          ['O0', 'valid', 0],
          ['O9000', 'valid', 9000],
        ]),
        SALT,
      );
      expect(withoutDigests(next.kept)).toBe('O0\tvalid\t0\nO9000\tvalid\t9000\n');
      expect(d.kept).toBe(6_002);
      expect(d.matched).toBe(3_000);
    }
    // a last line without its newline is kept, and ended
    const d = new RowDiff();
    d.read(stored([['(0,1)', ['b']]]));
    d.end();
    const last = d.filter(enc.encode('a\nb\nc'), SALT);
    expect([withoutDigests(last.kept), last.rows]).toEqual(['a\nc\n', 2]);
  });

  it('a stored line without its ctid, or cut at the end, is an error', () => {
    const d = new RowDiff();
    expect(() => d.read(copyData('O1\tvalid\n'))).toThrow(/ctid/);
    const e = new RowDiff();
    e.read(copyData('(0,1)\t0123\n').subarray(0, -1));
    expect(() => e.end()).toThrow(/inside a line/);
  });

  it('a digest is the line’s two hashes and its length in hex; equal lines of the same columns have equal digests, lines that differ in a byte or in their columns do not', () => {
    const row: Values = ['O1', 'valid', 1200, '换行'];
    const digest = digestOf(row);
    expect(digest).toMatch(/^\\\\x[0-9a-f]{24}$/);
    const line = fresh([row]);
    expect(Number.parseInt(digest.slice(-8), 16), 'the length in bytes, without the newline').toBe(
      line.length - 1,
    );
    expect(digestOf([...row])).toBe(digest);
    for (const other of [
      ['O1', 'valid', 1201, '换行'],
      ['O2', 'valid', 1200, '换行'],
      ['O1', 'valid', 1200, '换'],
      ['O1', 'valid', 1200, null],
    ])
      expect(digestOf(other), JSON.stringify(other)).not.toBe(digest);
    // the same bytes written as other columns (a later version's order of them) are another row
    const reordered = shapeSalt(['order_id', 'amount', 'status', 'note']);
    expect(dec.decode(withDigests(fresh([row]), reordered))).not.toBe(
      dec.decode(withDigests(fresh([row]), SALT)),
    );
    const d = new RowDiff();
    d.read(stored([['(0,1)', row]]));
    d.end();
    expect(d.filter(fresh([row]), reordered).rows).toBe(1);
    expect(d.filter(fresh([row]), SALT).rows).toBe(0);
    // every line of a batch written whole gets its own
    const two = dec.decode(withDigests(fresh([row, ['O2', 'x', 1, null]]), SALT)).split('\n');
    expect(two).toHaveLength(3);
    expect(two[0]).toBe(`O1\tvalid\t1200\t换行\t${digest}`);
    expect(two[1]).toBe(`O2\tx\t1\t\\N\t${digestOf(['O2', 'x', 1, null])}`);
  });

  it('a stored row without a digest (an update cleared it, or another writer inserted it), or with a value not a digest, matches no new row and is named to be deleted', () => {
    const d = new RowDiff();
    d.read(
      stored([
        ['(0,1)', '\\N'],
        ['(0,2)', ['O2', 'valid', 5, null]],
        ['(0,3)', '0123'],
        ['(0,4)', 'zz' + '0'.repeat(22)],
        // (an uppercase digest is read as one)
        ['(0,5)', digestOf(['O5', 'valid', 6, null]).slice(3).toUpperCase()],
      ]),
    );
    d.end();
    expect(d.stored).toBe(5);
    const { kept, rows } = d.filter(
      fresh([
        ['O1', 'valid', 1, null],
        ['O2', 'valid', 5, null],
        ['O5', 'valid', 6, null],
      ]),
      SALT,
    );
    expect([withoutDigests(kept), rows]).toEqual(['O1\tvalid\t1\t\\N\n', 1]);
    expect(d.matched).toBe(2);
    expect(d.unmatched()).toBe('{"(0,1)","(0,3)","(0,4)"}');
    expect(d.matchedTids()).toMatch(/^\{"\(0,[25]\)","\(0,[25]\)"\}$/);
  });
});
