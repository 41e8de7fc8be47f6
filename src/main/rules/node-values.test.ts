/**
 * R-SAME-1, issue 13: the grouping's string evidence kept as bytes (node-values.ts): each node's
 * value given back as written, and the first node of each value found as a Map of the strings
 * finds it.
 */
import { describe, expect, it } from 'vitest';
import { FirstNodes, NodeValues } from './node-values';

describe('R-SAME-1: phone, ID + name and account values as bytes (NodeValues, FirstNodes)', () => {
  it('gives each node its value back as written, or none, across growth', () => {
    const given = ['13800000001', null, '110101199001011234|张三', '', '😀 é', null, '\ufeffx'];
    for (let i = 0; i < 5_000; i++) given.push(i % 3 === 0 ? null : `v${i}·${'x'.repeat(i % 40)}`);
    const values = new NodeValues(); // made small: it grows many times
    for (const v of given) values.push(v);
    expect(values.length).toBe(given.length);
    given.forEach((v, node) => {
      expect(values.has(node), `node ${node}`).toBe(v !== null);
      if (v !== null) expect(values.text(node)).toBe(v);
    });
    expect(values.has(given.length), 'a node beyond the last has none').toBe(false);
  });

  it('writes a value from bytes, ASCII a–z made upper case where asked', () => {
    const values = new NodeValues();
    const bytes = new TextEncoder().encode('..11010119900101123x/ab张三..');
    values.begin(64);
    values.write(bytes, 2, 20, true);
    values.writeByte(124);
    values.write(bytes, 21, bytes.length - 2, false);
    values.end();
    values.none();
    expect(values.text(0)).toBe('11010119900101123X|ab张三');
    expect(values.has(1)).toBe(false);
  });

  it('gives the node that first had a value, as a Map would, across growth, non-ASCII and values that share a slot', () => {
    const given = ['13800000001', '110101199001011234|张三', '😀', '', '13800000001 ', '13800000001'];
    for (let i = 0; i < 20_000; i++) given.push(`1380000${String(i % 7000).padStart(4, '0')}`);
    const values = new NodeValues();
    for (const v of given) values.push(v);
    const table = new FirstNodes(values, 4); // made small: it grows many times
    const map = new Map<string, number>();
    given.forEach((v, node) => {
      const want = map.get(v);
      if (want === undefined) map.set(v, node);
      expect(table.firstOr(node), `${v} at ${node}`).toBe(want ?? -1);
    });
    // a table of 64 slots holding 32 values (no growth yet): some share a slot whatever the hash
    // (about 99.9 %), and each keeps its own first node
    const few = new NodeValues();
    for (let i = 0; i < 64; i++) few.push(`v${i % 32}`);
    const small = new FirstNodes(few);
    for (let node = 0; node < 32; node++) expect(small.firstOr(node)).toBe(-1);
    for (let node = 32; node < 64; node++) expect(small.firstOr(node)).toBe(node - 32);
  });

  it('values of one length and one hash are still told apart by their bytes', () => {
    // 13800149599 and 13800312382 have the same FNV-1a hash of their bytes: only a comparison of
    // the bytes tells them apart
    const values = new NodeValues();
    for (const v of ['13800149599', '13800312382', '13800149599', '13800312382']) values.push(v);
    expect(values.hash(0)).toBe(values.hash(1));
    const table = new FirstNodes(values);
    expect([0, 1, 2, 3].map((node) => table.firstOr(node))).toEqual([-1, -1, 0, 1]);
  });
});
