/**
 * Issue 12: XLSX files are read streaming and within limits. A shared-strings or sheet bomb (a
 * 2 MB file inflating to 1 GB) is refused within a second or two naming the file and the limit,
 * and nothing reaches the store; ordinary workbooks (rich text, inline strings, dates in both
 * date systems, formulas' cached values) read as before.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceName } from '../sources';
import { openStore, type Store } from '../store/open-store';
import { actor } from '../test-support/actors';
import { dumpStore, lastImport } from './fixtures/store-dump';
import {
  buildZip,
  repeatedDeflate,
  SHEET_HEAD,
  SHEET_TAIL,
  SST_HEAD,
  xlsxParts,
  type TestZipEntry,
} from './fixtures/zip';
import { importFile } from './import-file';
import type { Rejection } from './row-processor';
import { openSourceFile } from './source-file';
import { openXlsx, XLSX_LIMITS } from './xlsx-reader';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-xlsx-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
});

function file(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(source: SourceName, path: string) {
  const rejections: Rejection[] = [];
  const r = await importFile(store, {
    path,
    source,
    skipInvalid: false,
    actor: actor('tester'),
    onRejection: (x) => rejections.push(x),
  });
  return { ...r, all: rejections };
}

const HEADERS = [
  'order_id',
  'customer_id',
  'product_line',
  'billing',
  'subscription',
  'paid_amount',
  'ordered_at',
];
const inline = (s: string) => `<c t="inlineStr"><is><t>${s}</t></is></c>`;
const headerRow = `<row r="1">${HEADERS.map(inline).join('')}</row>`;

/** An XLSX whose sheet is `rows` (XML) and, when given, shared strings `sst` (XML inside <sst>). */
function workbook(rows: string, sst?: string, extra: Partial<Parameters<typeof xlsxParts>[0]> = {}): Buffer {
  const parts: TestZipEntry[] = [
    ...xlsxParts({ sharedStrings: sst !== undefined, ...extra }),
    { name: 'xl/worksheets/sheet1.xml', data: SHEET_HEAD + headerRow + rows + SHEET_TAIL },
  ];
  if (sst !== undefined) parts.push({ name: 'xl/sharedStrings.xml', data: SST_HEAD + sst + '</sst>' });
  return buildZip(parts);
}

async function readAll(path: string, limits = XLSX_LIMITS) {
  const r = await openXlsx(path, (await import('node:fs')).statSync(path).size, limits);
  const rows = [];
  for (let b = await r.next(100); b; b = await r.next(100)) rows.push(...b);
  await r.close();
  return { headers: r.headers, rows };
}

describe('XLSX bombs are refused quickly, naming the file and the limit (issue 12)', () => {
  it('a 1 GB shared-strings bomb in a ~1 MB file: refused in under 2 s, the store unchanged', async () => {
    const MB = 1 << 20;
    const si = `<si><t>${'A'.repeat(30_000)}</t></si>`;
    const body = si.repeat(Math.floor(MB / si.length));
    const bomb = repeatedDeflate(SST_HEAD, body, 1024, '</sst>');
    expect(bomb.size).toBeGreaterThan(1e9);
    const bytes = buildZip([
      ...xlsxParts({ sharedStrings: true }),
      { name: 'xl/worksheets/sheet1.xml', data: SHEET_HEAD + headerRow + SHEET_TAIL },
      { name: 'xl/sharedStrings.xml', raw: { ...bomb, size: bomb.size, crc: 0 } },
    ]);
    expect(bytes.length).toBeLessThan(3 * MB);
    const path = file('bomb.xlsx', bytes);
    const before = dumpStore(store);
    const t0 = performance.now();
    const r = await run('orders', path);
    const ms = performance.now() - t0;
    expect(r.status).toBe('refused');
    expect(r.error?.code).toBe('XLSX_LIMIT');
    expect(r.error?.message).toMatch(/bomb\.xlsx: xl\/sharedStrings\.xml inflates more than 100 times/);
    expect(r.error?.messageZh).toMatch(/bomb\.xlsx：xl\/sharedStrings\.xml 解压后超过压缩大小的 100 倍/);
    expect(ms).toBeLessThan(2000);
    expect(dumpStore(store)).toEqual(before);
    expect(lastImport(store)).toMatchObject({ status: 'failed', file_name: 'bomb.xlsx' });
  });

  it('a sheet bomb (rows without references, 1 GB inflated) is refused before any row lands', async () => {
    const row = '<row><c t="inlineStr"><is><t>O</t></is></c><c><v>1</v></c></row>';
    const bomb = repeatedDeflate(
      SHEET_HEAD + headerRow,
      row.repeat(Math.floor((1 << 20) / row.length)),
      1024,
      SHEET_TAIL,
    );
    const path = file(
      'rows.xlsx',
      buildZip([...xlsxParts(), { name: 'xl/worksheets/sheet1.xml', raw: { ...bomb, crc: 0 } }]),
    );
    const t0 = performance.now();
    const r = await run('orders', path);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.error?.code).toBe('XLSX_LIMIT');
    expect(r.error?.message).toMatch(/rows\.xlsx: xl\/worksheets\/sheet1\.xml inflates more than 100 times/);
    expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
  });

  it('each limit is named: inflated size, shared strings, cells, columns, cell length', async () => {
    const small = { ...XLSX_LIMITS, ratioFloor: Infinity };
    const sst = '<si><t>a</t></si>'.repeat(50);
    const p1 = file('sst.xlsx', workbook('', sst));
    await expect(readAll(p1, { ...small, maxSharedStrings: 10 })).rejects.toThrow(
      /sst\.xlsx: more than 10 shared strings/,
    );
    await expect(readAll(p1, { ...small, maxSharedStringsBytes: 200 })).rejects.toThrow(
      /sst\.xlsx: xl\/sharedStrings\.xml inflates to more than 200 bytes/,
    );
    const rows = Array.from(
      { length: 20 },
      (_, i) => `<row r="${i + 2}">${inline('x')}${inline('y')}</row>`,
    ).join('');
    const p2 = file('cells.xlsx', workbook(rows));
    await expect(readAll(p2, { ...small, maxCells: 30 })).rejects.toThrow(/cells\.xlsx: more than 30 cells/);
    await expect(readAll(p2, { ...small, maxTotalBytes: 1500 })).rejects.toThrow(
      /XLSX file exceeds a reading limit/,
    );
    // one cell at column XFD on each row would make every row 16,384 cells wide
    const far = file('far.xlsx', workbook('<row r="2"><c r="XFE2"><v>1</v></c></row>'));
    await expect(readAll(far)).rejects.toThrow(/far\.xlsx: cell XFE2 beyond column 16,384/);
    const long = file('long.xlsx', workbook(`<row r="2">${inline('x'.repeat(40_000))}</row>`));
    await expect(readAll(long)).rejects.toThrow(/long\.xlsx: a cell longer than 32,767 characters/);
    const entity = file('doctype.xlsx', workbook('', '<!DOCTYPE x [<!ENTITY a "aaaa">]><si><t>&a;</t></si>'));
    await expect(readAll(entity)).rejects.toThrow(/DOCTYPE/);
  });
});

describe('XLSX cells read as text like before', () => {
  it('shared rich text without phonetic runs, inline strings, entities, _x000D_, booleans, errors, formulas', async () => {
    const sst =
      '<si><t>O1</t></si>' +
      '<si><r><t>C</t></r><r><rPr><b/></rPr><t xml:space="preserve">1</t></r><rPh><t>ふ</t></rPh></si>' +
      '<si><t>a&amp;b&#x4e91;_x000D_c</t></si>';
    const rows =
      '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>' +
      '<c r="E2" t="b"><v>1</v></c><c r="F2"><f>1+1</f><v>2</v></c><c r="G2" t="str"><f>"x"</f><v>2026-03-05</v></c></row>' +
      '<row r="4"><c r="A4" t="e"><v>#REF!</v></c></row>' +
      '<row r="5"><c r="A5"/></row>' +
      `<row r="6">${inline('O6')}<c><v>1.5E+3</v></c><c t="inlineStr"><is><t>a&#27;b</t></is></c></row>`;
    const { headers, rows: got } = await readAll(file('ok.xlsx', workbook(rows, sst)));
    expect(headers).toEqual(HEADERS);
    expect(got).toEqual([
      { line: 2, cells: ['O1', 'C1', 'a&b云\rc', '', 'true', '2', '2026-03-05'] },
      { line: 4, cells: [''], error: { code: 'INVALID_CELL', value: '#REF!', cell: 0 } },
      {
        line: 6,
        cells: ['O6', '1500', 'a\u001bb'],
        error: { code: 'CONTROL_CHAR', value: 'a\u001bb', cell: 2 },
      },
    ]);
  });

  it('dates by number format, in the 1900 and the 1904 date systems, as Shanghai wall clock', async () => {
    const styles =
      '<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot; hh:mm"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="22"/><xf numFmtId="164"/></cellXfs></styleSheet>';
    // 46086.5 = 2026-03-05 12:00 in the 1900 system
    const rows =
      '<row r="2"><c s="0"><v>46086.5</v></c><c s="1"><v>46086.5</v></c><c s="2"><v>46086.5</v></c></row>';
    const a = await readAll(file('d1900.xlsx', workbook(rows, undefined, { styles })));
    expect(a.rows[0].cells).toEqual(['46086.5', '2026-03-05 12:00:00', '2026-03-05 12:00:00']);
    const b = await readAll(file('d1904.xlsx', workbook(rows, undefined, { styles, date1904: true })));
    expect(b.rows[0].cells?.[1]).toBe('2030-03-06 12:00:00');
  });

  it('reads what exceljs writes, the same as exceljs read it (dates, numbers, booleans, rich text)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['id', 'when', 'n', 'flag', 'rich']);
    ws.addRow([
      'A1',
      new Date(Date.UTC(2026, 4, 1, 9, 30, 15, 250)),
      1234567.89,
      false,
      { richText: [{ text: '云' }, { text: '客', font: { bold: true } }] },
    ]);
    ws.getCell('A3').value = { formula: 'B2+1', result: 7 };
    const path = join(dir, 'exceljs.xlsx');
    await wb.xlsx.writeFile(path);
    const r = await openSourceFile(path);
    const b = await r.next(10);
    await r.close();
    expect(r.headers).toEqual(['id', 'when', 'n', 'flag', 'rich']);
    expect(b).toEqual([
      { line: 2, cells: ['A1', '2026-05-01 09:30:15.250', '1234567.89', 'false', '云客'] },
      { line: 3, cells: ['7'] },
    ]);
  });
});
