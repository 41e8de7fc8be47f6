/**
 * Issue 12: every XLSX the app writes holds text as text. `yunke-desk export --format xlsx` (and
 * the payout files, payouts/files.test.ts) write a partner id such as `=cmd|' /C calc'!A0` as a
 * string cell with Excel's quote prefix: never a formula, and still text when a user edits it.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openSourceFile } from '../sync/source-file';
import { toXlsx, type ExportTable } from './results';

const HOSTILE = [
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '=HYPERLINK("http://evil.example","x")',
];

/** The inflated sheet XML of a workbook the app wrote (its own writer: entries in a fixed order). */
function sheetXml(bytes: Buffer): string {
  let p = 0;
  while (bytes.readUInt32LE(p) === 0x04034b50) {
    const size = bytes.readUInt32LE(p + 18);
    const nameLength = bytes.readUInt16LE(p + 26);
    const name = bytes.toString('utf8', p + 30, p + 30 + nameLength);
    const start = p + 30 + nameLength + bytes.readUInt16LE(p + 28);
    if (name === 'xl/worksheets/sheet1.xml')
      return inflateRawSync(bytes.subarray(start, start + size)).toString('utf8');
    p = start + size;
  }
  throw new Error('no sheet');
}

describe('exports to XLSX write text cells, never formulas (issue 12)', () => {
  it('yunke-desk export --format xlsx: formula-looking ids and names are quoted text cells', async () => {
    const table: ExportTable = {
      columns: ['partner_id', 'name', 'amount_fen', 'tags'],
      rows: HOSTILE.map((h, i) => ({ partner_id: h, name: `n${i}`, amount_fen: 100 * i, tags: [h, 'x'] })),
    };
    const bytes = await toXlsx(table, 'partners');
    const xml = sheetXml(bytes);
    expect(xml).not.toMatch(/<f[ >]/);
    // every hostile text is an inline string with the quote-prefix style (3 in export/xlsx.ts)
    for (let r = 0; r < HOSTILE.length; r++)
      expect(xml).toMatch(new RegExp(`<c r="A${r + 2}" t="inlineStr" s="3">`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    wb.worksheets[0].eachRow((row) =>
      row.eachCell((c) => expect(c.type, c.address).not.toBe(ExcelJS.ValueType.Formula)),
    );
    // and it reads back as the same text through the importer's reader
    const dir = mkdtempSync(join(tmpdir(), 'yunke-xlsx-out-'));
    writeFileSync(join(dir, 'p.xlsx'), bytes);
    const reader = await openSourceFile(join(dir, 'p.xlsx'));
    const rows = await reader.next(100);
    await reader.close();
    expect(reader.headers).toEqual(table.columns);
    expect(rows?.map((r) => r.cells)).toEqual(HOSTILE.map((h, i) => [h, `n${i}`, String(100 * i), `${h};x`]));
  });
});
