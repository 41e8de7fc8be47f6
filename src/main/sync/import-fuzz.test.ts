/**
 * Issue 12, fuzzing the importers: random bytes, both encodings, quoting, line endings and sizes,
 * through the importer the CLI and the app share. Whatever the file: the import never throws, a
 * refused file says why in both languages, every row problem names its line (and its column when
 * a cell is to blame), and a refused import leaves the store exactly as it was (never a partial
 * write). `npm run fuzz` runs these with many more cases; FUZZ_SEED replays one.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources, type SourceName } from '../sources';
import { fileMessages, rowMessages } from '../sources/messages';
import { openStore, type Store } from '../store/open-store';
import { actor } from '../test-support/actors';
import { fuzzParams, fuzzTimeout } from '../test-support/fuzz';
import { validCsv } from './fixtures/rows';
import { dumpStore, lastImport } from './fixtures/store-dump';
import { buildZip, SHEET_HEAD, SHEET_TAIL, SST_HEAD, xlsxParts } from './fixtures/zip';
import { importFile } from './import-file';
import type { Rejection } from './row-processor';

let dir: string;
let store: Store;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-fuzz-import-'));
  store = openStore(join(dir, 'store.db'));
});
afterAll(async () => store.close());

const SOURCES = Object.keys(validCsv) as SourceName[];
/** Problems whose whole line is to blame (a JSONL line that is no JSON object): no column. */
const LINE_ONLY = new Set(['INVALID_JSON', 'INVALID_ENCODING', 'JSON_TOO_DEEP']);

/** Imports `bytes` as a file of `source` and checks what every import must hold. */
async function check(source: SourceName, ext: string, bytes: Buffer): Promise<void> {
  const path = join(dir, `f${n++}.${ext}`);
  writeFileSync(path, bytes);
  const before = dumpStore(store);
  const rejections: Rejection[] = [];
  const r = await importFile(store, {
    path,
    source,
    skipInvalid: false,
    actor: actor('fuzz'),
    onRejection: (x) => rejections.push(x),
  });
  for (const x of rejections) {
    expect(Number.isInteger(x.line) && x.line >= 1, JSON.stringify(x)).toBe(true);
    expect(x.code in rowMessages, x.code).toBe(true);
    if (!LINE_ONLY.has(x.code)) expect(x.column, JSON.stringify(x)).not.toBeNull();
  }
  if (r.status === 'committed') {
    expect(rejections).toEqual([]);
    expect(lastImport(store)).toMatchObject({ status: 'committed', import_id: r.importId });
    return;
  }
  expect(r.status).toBe('refused');
  expect(r.error, JSON.stringify(r.rejections[0])).toBeDefined();
  expect(r.error!.code in fileMessages).toBe(true);
  expect(r.error!.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(r.error!.messageEn).toMatch(/[a-z]/);
  expect(dumpStore(store)).toEqual(before);
}

const { seed, numRuns } = fuzzParams('importers', 40);
const opts = { seed, numRuns, endOnFailure: true };

/** Cells a clumsy or hostile user might type: quotes, separators, newlines, controls, CJK, ids. */
const cell = fc.oneof(
  fc.constantFrom(
    '',
    'P1',
    'C1',
    'O1',
    'ecs',
    'prepaid',
    'true',
    '是',
    '1000',
    '1,200.50',
    '2026-03-05 12:00:00',
  ),
  fc.constantFrom('10.1.0.2', '::1', '999.1.1.1', '2001:db8::1', '1.2.3', 'active', 'register', 'individual'),
  fc.string({ maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('"', ',', '\n', '\r', ' ', '\t', '\u0000', '\u001b', '云', '\uFEFF', 'a', '\\'),
    maxLength: 8,
  }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** A CSV text: the source's header (or a shuffled/garbled one), rows of cells, quoted or not. */
const csvText = (source: SourceName) =>
  fc
    .record({
      header: fc.oneof(
        fc.constant(validCsv[source].split('\n')[0]),
        fc.shuffledSubarray(sources[source].columns.map((c) => c.name)).map((a) => a.join(',')),
        fc.array(cell, { maxLength: 8 }).map((a) => a.join(',')),
      ),
      rows: fc.array(fc.array(fc.tuple(cell, fc.boolean()), { maxLength: 10 }), { maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n'),
      valid: fc.nat({ max: 3 }),
    })
    .map(({ header, rows, eol, valid }) => {
      const lines = [header];
      const good = validCsv[source].split('\n').slice(1).filter(Boolean);
      for (let i = 0; i < valid; i++) lines.push(...good.map((l) => l.replace(/^([^,]*)/, `$1x${i}`)));
      for (const r of rows)
        lines.push(r.map(([c, quote]) => (quote ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
      return lines.join(eol) + eol;
    });

describe('the importers never crash and never half-write (issue 12, fuzz)', () => {
  it(
    'random bytes, as CSV, JSONL and XLSX',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOURCES),
          fc.constantFrom('csv', 'jsonl', 'xlsx', 'txt'),
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.uint8Array({ minLength: 4000, maxLength: 9000 }),
            // a valid head, then junk: past the 4 KB the head check reads
            fc
              .uint8Array({ maxLength: 600 })
              .map((u) => Buffer.concat([Buffer.from('a,b\n' + '1,2\n'.repeat(1100)), u])),
          ),
          async (source, ext, bytes) => check(source, ext, Buffer.from(bytes)),
        ),
        opts,
      );
    },
    fuzzTimeout(60_000),
  );

  it(
    'CSV text with quoting, control characters, CJK and BOMs, in UTF-8 or GBK',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOURCES),
          fc.constantFrom(...SOURCES).chain(csvText),
          fc.constantFrom('utf8', 'utf8-bom', 'gbk', 'gb18030'),
          fc.nat(),
          async (source, text, encoding, cut) => {
            const bytes =
              encoding === 'utf8'
                ? Buffer.from(text)
                : encoding === 'utf8-bom'
                  ? Buffer.from('\uFEFF' + text)
                  : iconv.encode(text, encoding);
            // sometimes cut in the middle (a half-written file, a multi-byte character split)
            const b = cut % 4 === 0 && bytes.length > 2 ? bytes.subarray(0, cut % bytes.length) : bytes;
            await check(source, 'csv', b);
          },
        ),
        opts,
      );
    },
    fuzzTimeout(60_000),
  );

  it(
    'JSON lines: nesting, duplicate keys and aliases, wrong types, escapes',
    async () => {
      const value = fc.oneof(
        cell,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat({ max: 80 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
      );
      const keys = (source: SourceName) =>
        fc.constantFrom(
          ...sources[source].columns.map((c) => c.name),
          '订单号',
          '客户ID',
          '产品线',
          'extra',
          '',
        );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOURCES).chain((source) =>
            fc.tuple(
              fc.constant(source),
              fc.array(fc.array(fc.tuple(keys(source), value), { maxLength: 10 }), {
                minLength: 1,
                maxLength: 10,
              }),
            ),
          ),
          fc.constantFrom('\n', '\r\n'),
          async ([source, lines], eol) => {
            const text = lines
              .map(
                (members) =>
                  '{' +
                  members
                    .map(
                      ([k, v]) =>
                        `${JSON.stringify(k)}:${typeof v === 'string' && v.startsWith('[') ? v : JSON.stringify(v)}`,
                    )
                    .join(',') +
                  '}',
              )
              .join(eol);
            await check(source, 'jsonl', Buffer.from(text + eol));
          },
        ),
        opts,
      );
    },
    fuzzTimeout(60_000),
  );

  it(
    'XLSX: hand-made workbooks with random cells, references, types and styles',
    async () => {
      const xmlText = cell.map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
      const xcell = fc.record({
        ref: fc.option(fc.constantFrom('A', 'B', 'C', 'G', 'Z', 'AA', 'XFD', 'XFE', '1', ''), {
          nil: undefined,
        }),
        t: fc.option(fc.constantFrom('s', 'str', 'inlineStr', 'b', 'e', 'n', 'd', 'x'), { nil: undefined }),
        s: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
        v: fc.option(fc.oneof(xmlText, fc.double().map(String), fc.nat({ max: 5 }).map(String)), {
          nil: undefined,
        }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOURCES),
          fc.array(fc.array(xcell, { maxLength: 9 }), { maxLength: 8 }),
          fc.array(xmlText, { maxLength: 6 }),
          fc.nat(),
          async (source, rows, strings, cut) => {
            const header = validCsv[source]
              .split('\n')[0]
              .split(',')
              .map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`)
              .join('');
            const sheet =
              SHEET_HEAD +
              `<row r="1">${header}</row>` +
              rows
                .map(
                  (cells, i) =>
                    `<row r="${i + 2}">` +
                    cells
                      .map(
                        (c) =>
                          `<c${c.ref !== undefined ? ` r="${c.ref}${i + 2}"` : ''}${c.t ? ` t="${c.t}"` : ''}${c.s !== undefined ? ` s="${c.s}"` : ''}>` +
                          (c.t === 'inlineStr'
                            ? `<is><t>${c.v ?? ''}</t></is>`
                            : c.v !== undefined
                              ? `<v>${c.v}</v>`
                              : '') +
                          '</c>',
                      )
                      .join('') +
                    '</row>',
                )
                .join('') +
              SHEET_TAIL;
            let bytes = buildZip([
              ...xlsxParts({ sharedStrings: true }),
              { name: 'xl/worksheets/sheet1.xml', data: sheet },
              {
                name: 'xl/sharedStrings.xml',
                data: SST_HEAD + strings.map((s) => `<si><t>${s}</t></si>`).join('') + '</sst>',
              },
            ]);
            if (cut % 5 === 0) bytes = bytes.subarray(0, cut % bytes.length);
            else if (cut % 5 === 1) {
              bytes = Buffer.from(bytes);
              bytes[cut % bytes.length] ^= 0xff; // one damaged byte
            }
            await check(source, 'xlsx', bytes);
          },
        ),
        opts,
      );
    },
    fuzzTimeout(60_000),
  );
});
