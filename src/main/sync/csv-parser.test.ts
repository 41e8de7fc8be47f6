import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './csv-parser';
import { EncodingGuard } from './encoding';

function parseChunks(chunks: Buffer[]): CsvRecord[] {
  const p = new CsvParser(new EncodingGuard());
  const out: CsvRecord[] = [];
  for (const c of chunks) p.push(c, out);
  p.end(out);
  return out;
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

const quote = (s: string) => (/[",\r\n]/.test(s) || s === '' ? `"${s.replaceAll('"', '""')}"` : s);

describe('streaming CSV parser', () => {
  it('reads RFC 4180 quoting, CRLF and LF, and reports the line each record starts on', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",z\n3,,\n';
    expect(parseChunks([Buffer.from(text)])).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\nlines', 'z'] },
      { line: 5, cells: ['3', '', ''] },
    ]);
  });

  it('handles a last line without a line break, blank lines and a UTF-8 BOM', () => {
    const text = '\uFEFFid,名称\n\nP1,张三';
    expect(parseChunks([Buffer.from(text)])).toEqual([
      { line: 1, cells: ['id', '名称'] },
      { line: 3, cells: ['P1', '张三'] },
    ]);
  });

  it('decodes GBK (GB18030) files', () => {
    const buf = iconv.encode('云客ID,姓名\r\nP1,张三\r\n', 'gb18030');
    expect(parseChunks([buf]).map((r) => r.cells)).toEqual([
      ['云客ID', '姓名'],
      ['P1', '张三'],
    ]);
  });

  it('refuses a file that mixes UTF-8 and GBK lines, naming the line', () => {
    const buf = Buffer.concat([Buffer.from('id,name\nP1,张三\n'), iconv.encode('P2,李四\n', 'gbk')]);
    expect(() => parseChunks([buf])).toThrow(/line 3/);
  });

  it('refuses a quote that never closes', () => {
    expect(() => parseChunks([Buffer.from('a,b\n1,"open\n2,3\n')])).toThrow(/line 2/);
  });

  it('gives the same records however the bytes are chunked (property)', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('云客', '"', ',', '\r\n', '\n', '¥1,200.50', ''));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (rows, cuts, crlf) => {
          // A record of one empty cell is a blank line: give every row a non-empty first cell.
          const records = rows.map((r, i) => [`k${i}`, ...r]);
          const text = records.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
          const buf = Buffer.from(text);
          const got = parseChunks(splitAt(buf, cuts)).map((r) => r.cells);
          expect(got).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads GBK records of ASCII and Chinese cells, quoted or not, however the bytes are chunked (property)', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom('张三', '杭州云客科技有限公司', '"云客"', '名, 称', '\r\n', '￥1,200.50', 'a张b', ''),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (rows, cuts) => {
          const records = [['姓名', 'a', 'b'], ...rows.map((r, i) => [`k${i}`, ...r])];
          const text = records.map((r) => r.map(quote).join(',')).join('\r\n');
          const got = parseChunks(splitAt(iconv.encode(text, 'gb18030'), cuts)).map((r) => r.cells);
          expect(got).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('issue 12: text after a closing quote, control characters and bytes that are not text are row problems, however chunked (property)', () => {
    const cases: [Buffer, { line: number; code: string; cell: number; value: string }][] = [
      [
        Buffer.from('a,b\n1,"A18-1"junk\n'),
        { line: 2, code: 'QUOTE_TEXT_AFTER', cell: 1, value: '"A18-1"junk' },
      ],
      [Buffer.from('a,b\n"x\ny"z,2\n'), { line: 2, code: 'QUOTE_TEXT_AFTER', cell: 0, value: '"x\ny"z' }],
      [Buffer.from('a,b\n1,x\u0000y\n'), { line: 2, code: 'CONTROL_CHAR', cell: 1, value: 'x\\u0000y' }],
      [Buffer.from('a,b\n"\u001b[2J",1\n'), { line: 2, code: 'CONTROL_CHAR', cell: 0, value: '\\u001b[2J' }],
      [
        // a UTF-8 character cut short after a whole one
        Buffer.concat([Buffer.from('名,b\n1,张'), Buffer.from('\xe4\xb8\n', 'latin1')]),
        { line: 2, code: 'INVALID_ENCODING', cell: 1, value: '张\ufffd' },
      ],
    ];
    for (const [buf, want] of cases)
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 6 }), (cuts) => {
          const recs = parseChunks(splitAt(buf, cuts));
          expect(recs.filter((r) => r.problem).map((r) => ({ line: r.line, ...r.problem }))).toEqual([want]);
        }),
        { numRuns: 50 },
      );
  });

  it('issue 12: tab, CR and LF inside quotes and a tab outside them are text', () => {
    const recs = parseChunks([Buffer.from('a,b\n"x\ty\r\nz",\tp\n')]);
    expect(recs[1]).toEqual({ line: 2, cells: ['x\ty\r\nz', '\tp'] });
  });
});
