import { describe, expect, it } from 'vitest';
import { KeySet } from './key-set';

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
});
