/**
 * R-SAME-1, issue 13: a team database's phones and ID numbers + names written from COPY's bytes
 * (identity-values.ts) are exactly what normalizePhone and normalizeIdName give from the text,
 * whatever the value: digits, "+86", spaces and Unicode whitespace to trim, lower case, escapes,
 * empty and NULL fields.
 */
import { describe, expect, it } from 'vitest';
import { NodeValues } from '../rules/node-values';
import { normalizeIdName, normalizePhone } from '../rules/same-person';
import { CopyBuffer } from '../store/pg-sync/copy-buffer';
import { copyData } from '../test-support/copy-data';
import { CopyRowReader, type CopyRow } from '../store/pg-sync/copy-out';
import { pushIdName, pushPhone } from './identity-values';

/** Each row (name, phone, id number) as COPY text, read back as CopyRows. */
function eachRow(rows: (string | null)[][], fn: (r: CopyRow) => void): void {
  const b = new CopyBuffer();
  for (const row of rows) b.row(-1, row, -1);
  new CopyRowReader(3).rows(copyData(b.take()), fn);
}

const PHONES = [
  '13800000001',
  '8613800000001',
  '86138000000012',
  '+86 138-0000-0001',
  '1234',
  '12345',
  '00001',
  '',
  ' 13800000001',
  '13800000001\t',
  '138\\00000001',
  '１３８００００００01',
  '86123',
  '861234567890',
];
const IDS = [
  '110101199001011234',
  '11010119900101123x',
  ' 11010119900101123x',
  '11010119900101123X\u3000',
  'ab\tc',
  '',
  ' ',
  'x',
  '１１０',
  'ß12',
  'a\\b',
  '\u00a0110',
  '110\u2003',
  'ǆ1',
];
const NAMES = [
  '张三',
  ' 张三',
  '张三 ',
  '张三\u3000',
  '\u3000张三',
  '\ufeff张三',
  '张三\u00a0',
  '张 三',
  'Zhang San',
  'a',
  '',
  '  ',
  '\u2028李四',
  '王五\u205f',
  'ǅ',
  '😀',
  '张\\三',
  '赵六\u0085',
  '\u1680钱七',
  '孙八\u180e',
  'é',
];

describe('R-SAME-1: phones and ID numbers + names read from COPY bytes (issue 13)', () => {
  it('a phone is what normalizePhone gives, or none', () => {
    const rows = [...PHONES, null].map((p) => ['n', p, null]);
    const values = new NodeValues();
    eachRow(rows, (r) => pushPhone(values, r, 1));
    rows.forEach(([, p], node) => {
      const want = normalizePhone(p);
      expect(values.has(node) ? values.text(node) : null, JSON.stringify(p)).toBe(want);
    });
  });

  it('an ID number + name is what normalizeIdName gives, or none', () => {
    const rows: (string | null)[][] = [];
    for (const id of [...IDS, null]) for (const name of [...NAMES, null]) rows.push([name, null, id]);
    const values = new NodeValues();
    eachRow(rows, (r) => pushIdName(values, r, 2, 0));
    expect(values.length).toBe(rows.length);
    rows.forEach(([name, , id], node) => {
      const want = normalizeIdName(id, name);
      expect(values.has(node) ? values.text(node) : null, JSON.stringify([id, name])).toBe(want);
    });
  });
});
