import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineSource, id } from '../sources/define';
import { compositeKey, KeySet } from './key-set';
import { RowProcessor, type Rejection } from './row-processor';

describe('the in-file duplicate key set', () => {
  it('tells every new key from a repeated one across growth, for Latin-1 and wider keys alike', () => {
    const set = new KeySet();
    const keys: string[] = [];
    for (let i = 0; i < 50_000; i++) keys.push(`O${i}`);
    for (const k of keys) expect(set.add(k)).toBe(true);
    // Wider keys after the Latin-1 ones, one with the same low bytes as an existing key.
    const wide = ['订单1', 'O\u0131', 'C\u0141', '\u4e00'.repeat(40)];
    for (const k of wide) expect(set.add(k), k).toBe(true);
    expect(set.add('C\u0041')).toBe(true); // 'CA': not the same key as 'C\u0141'
    for (let i = 0; i < 50_000; i += 997) expect(set.add(keys[i])).toBe(false);
    for (const k of wide) expect(set.add(k), k).toBe(false);
    for (let i = 50_000; i < 60_000; i++) expect(set.add(`O${i}`)).toBe(true);
    expect(set.size).toBe(60_000 + wide.length + 1);
  });

  it('has: exactly the keys added (the reference checks of a team database import)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'binary' }), { maxLength: 200 }),
        fc.nat(),
        (keys, cut) => {
          const set = new KeySet();
          const at = keys.length ? cut % keys.length : 0;
          for (const k of keys.slice(0, at)) set.add(k);
          for (const k of keys.slice(0, at)) expect(set.has(k)).toBe(true);
          for (const k of keys.slice(at)) expect(set.has(k)).toBe(false);
        },
      ),
    );
  });
});

describe('keys of several parts (issue 12)', () => {
  // a source keyed by two text columns, as login_ips is keyed by three
  const twoPart = defineSource({
    name: 'login_ips',
    labelZh: '测试',
    key: ['a', 'b'],
    columns: [id('a', []), id('b', [])],
    references: [],
  });
  const duplicates = (rows: string[][]) => {
    const found: Rejection[] = [];
    const proc = new RowProcessor(twoPart, 'k.csv', { upsert: () => 'added', exists: () => true }, (r) =>
      found.push(r),
    );
    rows.forEach((r, i) => proc.processCells(i + 2, r));
    return found.map((r) => [r.line, r.code]);
  };

  it('two different keys whose parts hold NUL bytes are not duplicates (the parts are length-prefixed)', () => {
    expect(
      duplicates([
        ['x\u0000', 'y'],
        ['x', '\u0000y'],
        ['x\u0000\u0000', '\u0000y'],
        ['x', '\u0000y'],
      ]),
    ).toEqual([[5, 'DUPLICATE_KEY']]);
  });

  it('compositeKey is one-to-one (property)', () => {
    const part = fc.string({ unit: fc.constantFrom('a', '\u0000', ':', '1', '\u4e00'), maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 2, maxLength: 3 }),
        fc.array(part, { minLength: 2, maxLength: 3 }),
        (x, y) => {
          expect(compositeKey(x) === compositeKey(y)).toBe(
            x.length === y.length && x.every((p, i) => p === y[i]),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
