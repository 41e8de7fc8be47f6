import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtempSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceName } from '../sources';
import { openStore, type Store } from '../store/open-store';
import { validCsv } from './fixtures/rows';
import { importRunner } from './fixtures/import-runner';
import { dumpStore, lastImport } from './fixtures/store-dump';
import { fingerprintFile } from './fingerprint';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
});

const { file, run } = importRunner(
  () => store,
  () => dir,
);

async function importAllValid() {
  for (const [source, csv] of Object.entries(validCsv)) {
    const r = await run(source as SourceName, file(`${source}.csv`, csv));
    expect(r.status, `${source}: ${r.error?.message}`).toBe('committed');
  }
}

describe('importing the sources of DATA.md', () => {
  it('imports every source and stores times as epoch ms, money as fen, booleans as 0/1', async () => {
    await importAllValid();
    const orders = store.sqlite.prepare('SELECT * FROM orders ORDER BY order_id').all();
    expect(orders).toMatchObject([
      {
        order_id: 'O1',
        paid_fen: 100000,
        subscription: 0,
        billing: 'prepaid',
        ordered_at: Date.UTC(2026, 2, 5, 4),
      },
      {
        order_id: 'O2',
        paid_fen: 120050,
        subscription: 1,
        billing: 'postpaid',
        ordered_at: Date.UTC(2026, 2, 6, 4),
      },
    ]);
    expect(store.sqlite.prepare('SELECT amount_fen FROM refunds').pluck().get()).toBe(40000);
    expect(
      store.sqlite.prepare('SELECT verified_at FROM partners WHERE partner_id = ?').pluck().get('P3'),
    ).toBeNull();
    expect(store.sqlite.prepare('SELECT count(*) FROM login_ips').pluck().get()).toBe(2);
    expect(
      store.sqlite.prepare('SELECT rebate_eligible FROM product_lines ORDER BY 1').pluck().all(),
    ).toEqual([0, 1]);
  });

  it('records every import with file name, sha256, counts, operator and status', async () => {
    const r = await run('orders', file('orders.csv', validCsv.orders));
    expect(lastImport(store)).toMatchObject({
      import_id: r.importId,
      source: 'orders',
      origin: 'file',
      file_name: 'orders.csv',
      sha256: (await fingerprintFile(join(dir, 'orders.csv'))).sha256,
      rows_added: 2,
      rows_dangling: 2,
      operator_id: 'tester',
      status: 'committed',
    });
    expect(store.sqlite.prepare('SELECT DISTINCT import_id FROM orders').pluck().all()).toEqual([r.importId]);
  });

  it('accepts Chinese headers in any order and reports extra columns as warnings', async () => {
    const r = await run(
      'orders',
      file(
        '订单.csv',
        '备注,下单时间,实付金额,订单号,客户ID,产品线,计费方式,包年包月\n加急,2026-03-05 12:00:00,¥1200.00,O9,C1,ecs,prepaid,否\n',
      ),
    );
    expect(r.status).toBe('committed');
    expect(r.warnings.join()).toMatch(/备注/);
    expect(store.sqlite.prepare('SELECT paid_fen FROM orders').pluck().get()).toBe(120000);
  });

  it('R-PAY-1: reads payee details (收款账号 / 收款户名 / 开户行) of partners as text, digits kept as written', async () => {
    const r = await run(
      'partners',
      file(
        '云客.csv',
        '云客ID,状态,收款账号,收款户名,开户行\nP1,active,0062220202000012345678,张三,中国工商银行北京分行海淀支行\nP2,active,,,\n',
      ),
    );
    expect(r.status).toBe('committed');
    expect(
      store.sqlite
        .prepare('SELECT partner_id, payee_account, payee_name, payee_bank FROM partners ORDER BY 1')
        .all(),
    ).toEqual([
      {
        partner_id: 'P1',
        payee_account: '0062220202000012345678',
        payee_name: '张三',
        payee_bank: '中国工商银行北京分行海淀支行',
      },
      { partner_id: 'P2', payee_account: null, payee_name: null, payee_bank: null },
    ]);
  });

  it('accepts 名称 and 主体名称 aliases', async () => {
    await run('product_lines', file('p.csv', '产品线,名称,可返利\necs,云服务器,是\n'));
    await run('customers', file('c.csv', '客户ID,主体名称,注册时间\nC7,某公司,2026-03-01 10:00:00\n'));
    expect(store.sqlite.prepare('SELECT name FROM product_lines').pluck().get()).toBe('云服务器');
    expect(store.sqlite.prepare('SELECT name FROM customers').pluck().get()).toBe('某公司');
  });

  it('re-importing the same file changes nothing', async () => {
    await importAllValid();
    const before = dumpStore(store);
    const r = await run('orders', file('orders.csv', validCsv.orders));
    expect(r.counts).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    expect(dumpStore(store)).toEqual(before);
  });

  it('upserts by key: a changed row is updated and tagged with the new import', async () => {
    await run('orders', file('orders.csv', validCsv.orders));
    const r = await run(
      'orders',
      file(
        'orders-2.csv',
        validCsv.orders.replace('O1,C1,ecs,prepaid,false,1000', 'O1,C1,ecs,prepaid,false,900'),
      ),
    );
    expect(r.counts).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    expect(
      store.sqlite.prepare('SELECT paid_fen, import_id FROM orders WHERE order_id = ?').get('O1'),
    ).toEqual({
      paid_fen: 90000,
      import_id: r.importId,
    });
  });

  it('keeps rows naming partners, customers or orders not yet imported and counts them as dangling', async () => {
    const r = await run('referral_events', file('e.csv', validCsv.referral_events));
    expect(r.counts).toMatchObject({ added: 1, dangling: 1 });
    await run('partners', file('p.csv', validCsv.partners));
    await run('customers', file('c.csv', validCsv.customers));
    const again = await run('referral_events', file('e.csv', validCsv.referral_events));
    expect(again.counts).toMatchObject({ unchanged: 1, dangling: 0 });
  });

  it('counts every row naming a missing customer as dangling, however often the same customer recurs', async () => {
    await run('customers', file('c.csv', validCsv.customers)); // C1, C2
    const lines = ['order_id,customer_id,product_line,billing,paid_amount,ordered_at'];
    const customers = ['C1', 'C9', 'C2', 'C9', 'C8', 'C1', 'C9'];
    customers.forEach((c, i) => lines.push(`O${i},${c},ecs,prepaid,10,2026-03-05 12:00:00`));
    const r = await run('orders', file('o.csv', lines.join('\n')));
    expect(r.counts).toMatchObject({ added: 7, dangling: 4 });
  });

  it('imports GBK files (Excel on Chinese Windows)', async () => {
    const r = await run(
      'partners',
      file('gbk.csv', iconv.encode(validCsv.partners.replaceAll('\n', '\r\n'), 'gbk')),
    );
    expect(r.status).toBe('committed');
    expect(r.encoding).toBe('gb18030');
    expect(store.sqlite.prepare('SELECT name FROM partners ORDER BY 1').pluck().all()).toEqual([
      '张三',
      '王五',
    ]);
  });

  it('imports UTF-8 with a BOM', async () => {
    const r = await run('partners', file('bom.csv', '\uFEFF' + validCsv.partners));
    expect(r.counts.added).toBe(2);
  });

  it('imports XLSX with date, number and boolean cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('订单');
    ws.addRow(['订单号', '客户ID', '产品线', '计费方式', '包年包月', '实付金额', '下单时间']);
    ws.addRow(['O1', 'C1', 'ecs', 'prepaid', true, 1200.5, new Date(Date.UTC(2026, 2, 5, 12, 0, 0))]);
    ws.addRow(['O2', 'C1', 'ecs', 'postpaid', false, 99, '2026-03-06 12:00:00']);
    const path = join(dir, 'orders.xlsx');
    await wb.xlsx.writeFile(path);
    const r = await run('orders', path);
    expect(r.error?.message).toBeUndefined();
    expect(r.format).toBe('xlsx');
    expect(
      store.sqlite
        .prepare('SELECT order_id, subscription, paid_fen, ordered_at FROM orders ORDER BY 1')
        .all(),
    ).toEqual([
      { order_id: 'O1', subscription: 1, paid_fen: 120050, ordered_at: Date.UTC(2026, 2, 5, 4) },
      { order_id: 'O2', subscription: 0, paid_fen: 9900, ordered_at: Date.UTC(2026, 2, 6, 4) },
    ]);
    expect(r.sha256).toBe((await fingerprintFile(path)).sha256);
  });

  it('imports JSON lines with English keys or aliases and JSON numbers/booleans', async () => {
    const lines = [
      {
        order_id: 'O1',
        customer_id: 'C1',
        product_line: 'ecs',
        billing: 'prepaid',
        subscription: true,
        paid_amount: 1200.5,
        ordered_at: '2026-03-05T12:00:00+08:00',
      },
      {
        订单号: 'O2',
        客户ID: 'C1',
        产品线: 'ecs',
        计费方式: 'prepaid',
        实付金额: '¥10',
        下单时间: '2026-03-05 12:00:00',
      },
    ];
    const r = await run(
      'orders',
      file('orders.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n'),
    );
    expect(r.format).toBe('jsonl');
    expect(r.counts.added).toBe(2);
    expect(store.sqlite.prepare('SELECT paid_fen FROM orders ORDER BY order_id').pluck().all()).toEqual([
      120050, 1000,
    ]);
  });
});

describe('invalid rows', () => {
  const bad =
    'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n' +
    'O1,C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n' +
    'O2,C1,ecs,prepaid,false,abc,2026-03-05 12:00:00\n' +
    'O3,C1,ecs,prepaid,false,-5,2026-03-05 12:00:00\n' +
    'O4,C1,ecs,prepaid,false,10,2026-02-30 12:00:00\n' +
    'O5,C1,ecs,weekly,false,10,2026-03-05 12:00:00\n' +
    'O1,C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n';

  it('refuse the whole file without --skip-invalid, listing every rejection in both languages', async () => {
    await importAllValid();
    const before = dumpStore(store);
    const r = await run('orders', file('bad.csv', bad));
    expect(r.status).toBe('refused');
    expect(dumpStore(store)).toEqual(before);
    expect(r.all.map((x) => [x.line, x.column, x.value, x.code])).toEqual([
      [3, 'paid_amount', 'abc', 'AMOUNT_INVALID'],
      [4, 'paid_amount', '-5', 'AMOUNT_NEGATIVE'],
      [5, 'ordered_at', '2026-02-30 12:00:00', 'TIME_INVALID'],
      [6, 'billing', 'weekly', 'ENUM_INVALID'],
      [7, 'order_id', 'O1', 'DUPLICATE_KEY'],
    ]);
    for (const x of r.all) {
      expect(x.file).toBe('bad.csv');
      expect(x.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.messageEn).toMatch(/[a-z]/);
    }
    expect(lastImport(store)).toMatchObject({ status: 'failed', rows_rejected: 5, rows_added: 0 });
    expect(
      store.sqlite
        .prepare('SELECT count(*) FROM import_rejections WHERE import_id = ?')
        .pluck()
        .get(r.importId),
    ).toBe(5);
  });

  it('with --skip-invalid land the valid rows and record the rejections', async () => {
    const r = await run('orders', file('bad.csv', bad), { skipInvalid: true });
    expect(r.status).toBe('committed');
    expect(r.counts).toMatchObject({ added: 1, rejected: 5 });
    expect(store.sqlite.prepare('SELECT order_id FROM orders').pluck().all()).toEqual(['O1']);
    expect(lastImport(store)).toMatchObject({ status: 'committed', rows_added: 1, rows_rejected: 5 });
    expect(
      store.sqlite
        .prepare('SELECT line FROM import_rejections WHERE import_id = ? ORDER BY line')
        .pluck()
        .all(r.importId),
    ).toEqual([3, 4, 5, 6, 7]);
  });

  it('a required value left empty is an invalid row', async () => {
    const r = await run('partners', file('p.csv', 'partner_id,status\nP1,\n'));
    expect(r.all[0]).toMatchObject({ line: 2, column: 'status', code: 'REQUIRED' });
  });
});

describe('bad files are refused with a clear message and leave the store unchanged', () => {
  const header = 'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n';
  const row = (id: string) => `${id},C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n`;
  const xlsxBytes = async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('orders');
    ws.addRow(header.trim().split(','));
    for (let i = 0; i < 3000; i++)
      ws.addRow([`O${i}`, 'C1', 'ecs', 'prepaid', false, 10 + i, '2026-03-05 12:00:00']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };

  const cases: [string, string, () => Promise<string | Buffer> | string | Buffer, RegExp][] = [
    ['wrong headers', 'wrong.csv', () => 'foo,bar\n1,2\n', /required columns are missing.*order_id/],
    ['headers of another source', 'partners.csv', () => validCsv.partners, /looks like partners/],
    [
      'a missing required column',
      'missing.csv',
      () => header.replace(',paid_amount', '') + 'O1,C1,ecs,prepaid,false,2026-03-05 12:00:00\n',
      /paid_amount/,
    ],
    ['an empty file', 'empty.csv', () => '', /file is empty/],
    ['a header only', 'header.csv', () => header, /no data rows/],
    [
      'a bad amount',
      'amount.csv',
      () => header + row('O1') + 'O2,C1,ecs,prepaid,false,12.345,2026-03-05 12:00:00\n',
      /invalid row/,
    ],
    ['a bad date', 'date.csv', () => header + 'O2,C1,ecs,prepaid,false,12,2026-13-05\n', /invalid row/],
    [
      'a negative amount',
      'neg.csv',
      () => header + 'O2,C1,ecs,prepaid,false,-12,2026-03-05\n',
      /invalid row/,
    ],
    ['a duplicate key', 'dup.csv', () => header + row('O1') + row('O2') + row('O1'), /invalid row/],
    [
      'a 100,000-character field',
      'long.csv',
      () => header + row('O1') + `O2,C1,${'x'.repeat(100_000)},prepaid,false,1,2026-03-05\n`,
      /invalid row/,
    ],
    [
      'binary junk',
      'junk.csv',
      () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
      /binary/,
    ],
    [
      'a truncated XLSX',
      'cut.xlsx',
      async () => (await xlsxBytes()).subarray(0, 6000),
      /XLSX file is damaged/,
    ],
    [
      'a JSONL file whose first line is not JSON (its columns cannot be read)',
      'first.jsonl',
      () => '{"order_id":"O9"\n{"order_id":"O10"}\n',
      /first line of the JSONL file is not a JSON object.*line 1/,
    ],
    [
      'a JSONL line that is not JSON',
      'bad.jsonl',
      () =>
        JSON.stringify({
          order_id: 'O1',
          customer_id: 'C1',
          product_line: 'ecs',
          billing: 'prepaid',
          paid_amount: 1,
          ordered_at: '2026-03-05',
        }) + '\n{"order_id": "O2", oops\n',
      /invalid row/,
    ],
    [
      'mixed encodings',
      'mixed.csv',
      () =>
        Buffer.concat([
          Buffer.from(header + 'O1,C1,云服务器,prepaid,false,1,2026-03-05\n'),
          iconv.encode('O2,C1,云服务器,prepaid,false,1,2026-03-05\n', 'gbk'),
        ]),
      /mixes character encodings.*line 3/,
    ],
  ];

  it.each(cases)('%s', async (_name, name, make, message) => {
    await importAllValid();
    const before = dumpStore(store);
    const r = await run('orders', file(name, await make()));
    expect(r.status).toBe('refused');
    expect(r.error?.message).toMatch(message);
    expect(r.error?.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(dumpStore(store)).toEqual(before);
    expect(lastImport(store)).toMatchObject({ status: 'failed', file_name: name });
  });

  it('a truncated XLSX reports the damage even when its first rows were readable', async () => {
    const full = await xlsxBytes();
    const r = await run('orders', file('half.xlsx', full.subarray(0, Math.floor(full.length * 0.8))));
    expect(r.status).toBe('refused');
    expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
  });

  it('a file that changed between preview and import is refused', async () => {
    const path = file('orders.csv', header + row('O1'));
    const previewed = await fingerprintFile(path);
    writeFileSync(path, header + row('O2'));
    utimesSync(path, new Date(previewed.mtimeMs / 1000), new Date(previewed.mtimeMs / 1000));
    expect(statSync(path).size).toBe(previewed.size);
    const r = await run('orders', path, { expected: previewed });
    expect(r.error?.code).toBe('FILE_CHANGED');
    expect(r.error?.message).toMatch(/changed after it was previewed/);
    expect(store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
    truncateSync(path, 10);
    expect((await run('orders', path, { expected: previewed })).error?.code).toBe('FILE_CHANGED');
  });
});

describe('cancel', () => {
  it('rolls back: the store is exactly as before', async () => {
    await importAllValid();
    const before = dumpStore(store);
    let text = 'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n';
    for (let i = 0; i < 50_000; i++) text += `X${i},C1,ecs,prepaid,false,1,2026-03-05 12:00:00\n`;
    const ac = new AbortController();
    const r = await run('orders', file('big.csv', text), {
      signal: ac.signal,
      batchSize: 500,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.rows >= 10_000) ac.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(dumpStore(store)).toEqual(before);
    expect(lastImport(store)).toMatchObject({ status: 'cancelled', rows_added: 0 });
  });
});
