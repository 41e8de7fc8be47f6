/**
 * Issue 13: a team database's reads inside a transaction come as COPY text, parsed in the reading
 * thread (copy-out.ts). The values must be node-pg's, whatever the bytes and however the driver
 * cuts them into batches; a statement whose values cannot be written in as literals is not
 * copied at all.
 */
import { describe, expect, it } from 'vitest';
import { IntegerRangeError, parseInt8 } from '../pg-types';
import { copyData } from '../../test-support/copy-data';
import { ByteKeys, CopyLines, CopyRowReader, inlineValues, unescapeCopy, type CopyRow } from './copy-out';

const TEXT = 25;
const INT4 = 23;
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const FLOAT8 = 701;

/** lines as the driver hands them on: the server's CopyData messages (copy-to-frames.ts) */
const bytes = (s: string) => copyData(s);

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
    const all = Buffer.from(bytes(text));
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
    const all = Buffer.from(bytes(`a\t1\n${long}\t2\nb\t3\n`));
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
    cut.rows(bytes('whole\npart\n').subarray(0, -2));
    expect(() => cut.end()).toThrow(/inside a row/);
  });
});

describe('CopyRowReader and ByteKeys: the engine’s largest reads taken from the bytes (issue 13)', () => {
  const TEXT_ROWS = [
    'E1\tP-甲\t1793462400000\t\\N\tregister\n',
    'E2\ta\\tb\t-42\t\t\\N\n',
    'E3\tP-甲\t9007199254740991\tx\tlogin\n',
  ].join('');
  /** what each row gives, read in place */
  const read = (r: CopyRow) => [
    r.text(0),
    r.text(1),
    r.int(2),
    r.isNull(3),
    r.text(3),
    r.text(4),
    r.is(4, Buffer.from('register')),
  ];

  it('a row gives the values CopyLines gives (escapes undone, \\N as null, int8 beyond 15 digits through the parser), however the batches cut it', () => {
    const all = Buffer.from(bytes(TEXT_ROWS));
    const whole: unknown[][] = [];
    const reader = new CopyRowReader(5);
    reader.rows(new Uint8Array(all), (r) => whole.push(read(r)));
    reader.end();
    expect(whole).toEqual([
      ['E1', 'P-甲', 1793462400000, true, null, 'register', true],
      ['E2', 'a\tb', -42, false, '', null, false],
      ['E3', 'P-甲', 9007199254740991, false, 'x', 'login', false],
    ]);
    const lines = new CopyLines([TEXT, TEXT, INT8, TEXT, TEXT]);
    expect(lines.rows(new Uint8Array(all)).map((r) => [r[0], r[1], r[2], r[3] === null, r[3], r[4]])).toEqual(
      whole.map((w) => w.slice(0, 6)),
    );
    // every cut point, even inside a character's bytes
    for (let cut = 0; cut <= all.length; cut++) {
      const got: unknown[][] = [];
      const r = new CopyRowReader(5);
      r.rows(new Uint8Array(all.subarray(0, cut)), (x) => got.push(read(x)));
      r.rows(new Uint8Array(all.subarray(cut)), (x) => got.push(read(x)));
      r.end();
      expect(got, `cut at ${cut}`).toEqual(whole);
    }
    // beyond 2^53: refused, never rounded (as CopyLines)
    const big = new CopyRowReader(1);
    expect(() => big.rows(bytes('9007199254740993\n'), (r) => r.int(0))).toThrow(IntegerRangeError);
    const short = new CopyRowReader(5);
    expect(() => short.rows(bytes('a\tb\n'), () => undefined)).toThrow(/2 fields where 5/);
    const cutOff = new CopyRowReader(1);
    cutOff.rows(bytes('whole\npart\n').subarray(0, -2), () => undefined);
    expect(() => cutOff.end()).toThrow(/inside a row/);
  });

  it('ByteKeys finds a field exactly when its text is a key: non-ASCII, escaped, NULL, a prefix, many keys', () => {
    const keys = new ByteKeys(2);
    const ids = ['C1', 'C10', '客户-1', 'a\tb', '😀', ''];
    for (let i = 0; i < 5000; i++) ids.push(`K${i}`);
    ids.forEach((id, n) => expect(keys.add(id)).toBe(n));
    expect(keys.add('C10')).toBe(1); // added again: its number
    expect(keys.size).toBe(ids.length);
    const rows: CopyRow[] = [];
    const found: number[] = [];
    const reader = new CopyRowReader(1);
    reader.rows(bytes('C1\nC10\nC100\n客户-1\na\\tb\n😀\n\n\\N\nK4999\nK5000\n'), (r) => {
      rows.push(r);
      found.push(keys.find(r, 0));
    });
    expect(found).toEqual([0, 1, -1, 2, 3, 4, 5, -1, ids.indexOf('K4999'), -1]);
    expect(keys.key(2)).toBe('客户-1');
    expect(keys.findString('😀')).toBe(4);
    expect(keys.findString('nobody')).toBe(-1);
  });

  it('ByteKeys adds a field by its bytes: the same numbers and texts as adding its text, escapes undone, NULL no key', () => {
    const fields = ['C1', 'C10', '客户-1', 'a\\tb', '😀', '', 'C10', '\\N', '\\\\N'];
    const texts = ['C1', 'C10', '客户-1', 'a\tb', '😀', '', 'C10', null, '\\N'];
    // few slots and bytes at first: both grow as keys come
    const byField = new ByteKeys(1);
    const got: number[] = [];
    const reader = new CopyRowReader(1);
    reader.rows(bytes(fields.map((f) => `${f}\n`).join('')), (r) => got.push(byField.addField(r, 0)));
    for (let i = 0; i < 3000; i++) reader.rows(bytes(`客户-${i}\n`), (r) => got.push(byField.addField(r, 0)));
    reader.end();
    const byText = new ByteKeys(1);
    const want = texts.map((t) => (t === null ? -1 : byText.add(t)));
    for (let i = 0; i < 3000; i++) want.push(byText.add(`客户-${i}`));
    expect(got).toEqual(want);
    expect(got.slice(0, 9)).toEqual([0, 1, 2, 3, 4, 5, 1, -1, 6]);
    expect(byField.size).toBe(byText.size);
    for (let n = 0; n < byText.size; n++) expect(byField.key(n), `key ${n}`).toBe(byText.key(n));
    // found afterwards by bytes and by text
    expect(byField.findString('客户-2999')).toBe(byText.findString('客户-2999'));
    expect(byField.findString('a\tb')).toBe(3);
  });
});
