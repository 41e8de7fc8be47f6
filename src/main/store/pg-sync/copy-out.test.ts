/**
 * Issue 13: a team database's reads inside a transaction come as COPY text, parsed in the reading
 * thread (copy-out.ts). The values must be node-pg's, whatever the bytes and however the driver
 * cuts them into batches; a statement whose values cannot be written in as literals is not
 * copied at all.
 */
import { describe, expect, it } from 'vitest';
import { IntegerRangeError, parseInt8 } from '../pg-types';
import { CopyLines, inlineValues, unescapeCopy } from './copy-out';

const TEXT = 25;
const INT4 = 23;
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const FLOAT8 = 701;

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('inlineValues: a read statement with its values written in', () => {
  it('numbers, strings, booleans and NULL become literals; quotes inside strings are doubled', () => {
    expect(
      inlineValues('SELECT a FROM t WHERE b <= $1 AND c = $2 AND d = $3 AND e IS $4', [
        17,
        "O'Brien",
        true,
        null,
      ]),
    ).toBe("SELECT a FROM t WHERE b <= 17 AND c = 'O''Brien' AND d = TRUE AND e IS NULL");
    // a negative number keeps its sign whatever precedes it
    expect(inlineValues('SELECT $1-$2', [5, -3])).toBe('SELECT 5-(-3)');
    expect(inlineValues('SELECT $10, $1', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe('SELECT 10, 1');
  });

  it('leaves $n alone inside quoted text, identifiers and comments', () => {
    expect(inlineValues(`SELECT '$1', "$1", x -- $1\n FROM t /* $1 */ WHERE y = $1`, [4])).toBe(
      `SELECT '$1', "$1", x -- $1\n FROM t /* $1 */ WHERE y = 4`,
    );
    expect(inlineValues("SELECT 'it''s $1' WHERE a = $1", [9])).toBe("SELECT 'it''s $1' WHERE a = 9");
  });

  it('says it cannot when a value has no safe literal or the text is not one read', () => {
    // a backslash means something else when standard_conforming_strings is off
    expect(inlineValues('SELECT a FROM t WHERE b = $1', ['a\\b'])).toBeNull();
    expect(inlineValues('SELECT $1', [Number.NaN])).toBeNull();
    expect(inlineValues('SELECT $1', [Buffer.from('x')])).toBeNull();
    expect(inlineValues('SELECT $2', [1])).toBeNull();
    expect(inlineValues('SELECT $$text$$', [])).toBeNull();
    expect(inlineValues('SELECT 1; SELECT 2', [])).toBeNull();
    expect(inlineValues("SELECT 'unterminated", [])).toBeNull();
    expect(inlineValues('DELETE FROM t WHERE a = $1', [1])).toBeNull();
    expect(inlineValues('INSERT INTO t SELECT 1', [])).toBeNull();
    // a trailing semicolon is one statement
    expect(inlineValues('SELECT 1;', [])).toBe('SELECT 1');
  });
});

describe('CopyLines: rows of COPY text, cut anywhere', () => {
  it('gives node-pg values: text, int4, int8 and numeric as numbers, booleans as 0/1, \\N as null', () => {
    const lines = new CopyLines([TEXT, INT4, INT8, NUMERIC, BOOL, FLOAT8]);
    expect(lines.rows(bytes('a\t1\t1730390400000\t12.50\tt\t0.25\n\\N\t\\N\t\\N\t\\N\tf\t\\N\n'))).toEqual([
      ['a', 1, 1730390400000, 12.5, 1, 0.25],
      [null, null, null, null, 0, null],
    ]);
    lines.end();
  });

  it('undoes the escapes of text (tab, newline, return, backslash, and the text \\N itself)', () => {
    const lines = new CopyLines([TEXT, TEXT]);
    expect(lines.rows(bytes('a\\tb\\nc\\rd\\\\e\t\\\\N\n'))).toEqual([['a\tb\nc\rd\\e', '\\N']]);
    expect(unescapeCopy('\\b\\f\\v\\101\\x42')).toBe('\b\f\vAB');
  });

  it('a line or a UTF-8 character cut between two batches comes whole, once', () => {
    const text = '张三\t1\n李四😀\t2\nabc\t3\n';
    const all = Buffer.from(text, 'utf8');
    // every cut point, even inside a character's bytes
    for (let cut = 0; cut <= all.length; cut++) {
      const lines = new CopyLines([TEXT, INT4]);
      const got = [
        ...lines.rows(new Uint8Array(all.subarray(0, cut))),
        ...lines.rows(new Uint8Array(all.subarray(cut))),
      ];
      lines.end();
      expect(got).toEqual([
        ['张三', 1],
        ['李四😀', 2],
        ['abc', 3],
      ]);
    }
  });

  it('a row longer than a batch comes whole from three batches', () => {
    const lines = new CopyLines([TEXT, INT4]);
    const long = 'x'.repeat(5000);
    const all = Buffer.from(`a\t1\n${long}\t2\nb\t3\n`, 'utf8');
    const got = [
      ...lines.rows(new Uint8Array(all.subarray(0, 10))),
      ...lines.rows(new Uint8Array(all.subarray(10, 3000))),
      ...lines.rows(new Uint8Array(all.subarray(3000))),
    ];
    lines.end();
    expect(got).toEqual([
      ['a', 1],
      [long, 2],
      ['b', 3],
    ]);
  });

  it('reads int8 of every length as parseInt8 does: signs, 15 and 16 digits, the bounds of 2^53', () => {
    const texts = ['0', '-7', '42', '-1730390400000', '999999999999999', '-999999999999999'];
    texts.push('1000000000000000', '9007199254740991', '-9007199254740991');
    const lines = new CopyLines([INT8]);
    const got = lines.rows(bytes(texts.map((t) => `${t}\n`).join('')));
    expect(got).toEqual(texts.map((t) => [parseInt8(t)]));
    expect(got.map(([v]) => String(v))).toEqual(texts);
  });

  it('refuses what it cannot read right: an int8 beyond 2^53, a row of the wrong width, output ending mid-row', () => {
    expect(() => new CopyLines([INT8]).rows(bytes('9007199254740993\n'))).toThrow(IntegerRangeError);
    expect(() => new CopyLines([INT8]).rows(bytes('-9007199254740992\n'))).toThrow(IntegerRangeError);
    expect(() => new CopyLines([TEXT, TEXT]).rows(bytes('only one\n'))).toThrow(/1 fields where 2/);
    const cut = new CopyLines([TEXT]);
    cut.rows(bytes('whole\npart'));
    expect(() => cut.end()).toThrow(/inside a row/);
  });
});
