/**
 * Issue 12: hostile and clumsy files. Each hole a probe found is reproduced here through the
 * importer the CLI and the app share: the file is refused with the line and the column to blame
 * (a row problem, like any bad value) and nothing of it reaches the store.
 */
import iconv from 'iconv-lite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceName } from '../sources';
import { openStore, type Store } from '../store/open-store';
import { validCsv } from './fixtures/rows';
import { importRunner } from './fixtures/import-runner';
import { dumpStore, lastImport } from './fixtures/store-dump';
import type { Rejection } from './row-processor';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-hostile-'));
  store = openStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
});

const { file, run } = importRunner(
  () => store,
  () => dir,
);

const header = 'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n';
const row = (id: string, customer = 'C1') => `${id},${customer},ecs,prepaid,false,1000,2026-03-05 12:00:00\n`;
/** Enough valid rows to put what follows past the first 4 KB (the head check). */
const padding = (n = 100) => Array.from({ length: n }, (_, i) => row(`P${i}`)).join('');
const orders = () => store.sqlite.prepare('SELECT count(*) FROM orders').pluck().get();
const where = (r: Rejection[]) => r.map((x) => [x.line, x.column, x.code]);

describe('CSV cells that do not read cleanly are row problems with line and column', () => {
  it('text after a closing quote ("A18-1"junk) is refused, not cut off', async () => {
    const r = await run(
      'orders',
      file('junk.csv', header + row('O1') + '"A18-1"junk,C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n'),
    );
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([[3, 'order_id', 'QUOTE_TEXT_AFTER']]);
    expect(r.all[0].value).toBe('"A18-1"junk');
    expect(r.all[0].messageZh).toMatch(/引号/);
    expect(r.all[0].messageEn).toMatch(/closing quote/);
    expect(orders()).toBe(0);
    // with --skip-invalid the other rows land, the broken one does not
    const s = await run('orders', file('junk2.csv', header + row('O1') + '"O2"x' + row('').slice(0)));
    expect(where(s.all)).toEqual([[3, 'order_id', 'QUOTE_TEXT_AFTER']]);
  });

  it('control characters past the first 4 KB are refused (NUL, ESC, BEL; tab, CR and LF inside quotes are text)', async () => {
    const text =
      'customer_id,customer_type,name,phone,id_number,registered_at,registration_ip,subject_id,channel\n' +
      Array.from({ length: 80 }, (_, i) => `K${i},individual,名字${i},,,2026-03-01 10:00:00,,,none\n`).join(
        '',
      ) +
      'C1,individual,"tab\there\r\nand lines",,,2026-03-01 10:00:00,,,none\n' +
      'C2,individual,a\u0000b,,,2026-03-01 10:00:00,,,none\n' +
      'C3,individual,"\u001b[31mred",,,2026-03-01 10:00:00,,,none\n' +
      'C4\u0007,individual,bell,,,2026-03-01 10:00:00,,,none\n' +
      'C5,individual,del\u007f,,,2026-03-01 10:00:00,,,none\n';
    expect(Buffer.byteLength(text.split('C1,')[0])).toBeGreaterThan(4096);
    const r = await run('customers', file('ctl.csv', text));
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([
      [84, 'name', 'CONTROL_CHAR'],
      [85, 'name', 'CONTROL_CHAR'],
      [86, 'customer_id', 'CONTROL_CHAR'],
      [87, 'name', 'CONTROL_CHAR'],
    ]);
    // the value is shown with the control character made visible, never raw (no terminal escapes)
    expect(r.all[1].value).toBe('\\u001b[31mred');
    expect(store.sqlite.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(0);
    const ok = await run('customers', file('ok.csv', text.split('C2,')[0]));
    expect(ok.status).toBe('committed');
    expect(store.sqlite.prepare("SELECT name FROM customers WHERE customer_id = 'C1'").pluck().get()).toBe(
      'tab\there\r\nand lines',
    );
  });

  it('bytes that are not UTF-8 in a UTF-8 file are refused, not turned into U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from(header + padding() + 'O1,C1,云服务器,prepaid,false,1000,2026-03-05 12:00:00\n'),
      Buffer.from('O2,C\xff\xfe1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n', 'latin1'),
      Buffer.from('O3,C1,ecs,prepaid,false,1000,2026-03-05 12:00:00\n'),
    ]);
    const r = await run('orders', file('bad-utf8.csv', bytes));
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([[103, 'customer_id', 'INVALID_ENCODING']]);
    expect(orders()).toBe(0);
  });

  it('invalid GBK / GB18030 sequences are refused, not turned into U+FFFD', async () => {
    const gbk = (s: string) => iconv.encode(s, 'gbk');
    const bytes = Buffer.concat([
      gbk('订单号,客户ID,产品线,计费方式,包年包月,实付金额,下单时间\r\n'),
      gbk('O1,张三,ecs,prepaid,false,1000,2026-03-05 12:00:00\r\n'),
      // 0x81 0x20: a lead byte without its trail byte; 0xff: never valid in GB18030
      Buffer.concat([gbk('O2,李'), Buffer.from([0x81, 0x20]), gbk('四,ecs,prepaid,false,1,2026-03-05\r\n')]),
      Buffer.concat([gbk('O3,C1,云'), Buffer.from([0xff]), gbk(',prepaid,false,1,2026-03-05\r\n')]),
    ]);
    const r = await run('orders', file('bad-gbk.csv', bytes));
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([
      [3, 'customer_id', 'INVALID_ENCODING'],
      [4, 'product_line', 'INVALID_ENCODING'],
    ]);
    expect(orders()).toBe(0);
  });

  it('a problem in the header row refuses the file naming line 1', async () => {
    const r = await run('orders', file('h.csv', '"order_id"x' + header.slice(8) + row('O1')));
    expect(r.status).toBe('refused');
    expect(r.error?.line).toBe(1);
    expect(r.error?.message).toMatch(/header/);
  });

  it('the store is exactly as before a refused hostile file', async () => {
    for (const [source, csv] of Object.entries(validCsv))
      expect((await run(source as SourceName, file(`${source}.csv`, csv))).status).toBe('committed');
    const before = dumpStore(store);
    const r = await run(
      'orders',
      file('x.csv', header + padding() + 'O9,C\u00001,ecs,prepaid,false,1,2026-03-05\n'),
    );
    expect(r.status).toBe('refused');
    expect(dumpStore(store)).toEqual(before);
    expect(lastImport(store)).toMatchObject({ status: 'failed', rows_rejected: 1 });
  });
});

describe('IP addresses are validated (IPv4 dotted quad, IPv6 with :: and IPv4-mapped forms)', () => {
  it('customers.registration_ip, login_ips.ip and referral_events.ip refuse what is not an address', async () => {
    const customers = await run(
      'customers',
      file(
        'c.csv',
        'customer_id,registered_at,registration_ip\n' +
          'C1,2026-03-01 10:00:00,203.0.113.7\n' +
          'C2,2026-03-01 10:00:00,2001:db8::1\n' +
          'C3,2026-03-01 10:00:00,::ffff:192.0.2.128\n' +
          'C4,2026-03-01 10:00:00,\n' +
          'C5,2026-03-01 10:00:00,256.1.1.1\n' +
          'C6,2026-03-01 10:00:00,10.01.0.2\n' +
          'C7,2026-03-01 10:00:00,1::2::3\n' +
          'C8,2026-03-01 10:00:00,not-an-ip\n',
      ),
    );
    expect(customers.status).toBe('refused');
    expect(where(customers.all)).toEqual([
      [6, 'registration_ip', 'IP_INVALID'],
      [7, 'registration_ip', 'IP_INVALID'],
      [8, 'registration_ip', 'IP_INVALID'],
      [9, 'registration_ip', 'IP_INVALID'],
    ]);
    expect(customers.all[0]).toMatchObject({ value: '256.1.1.1', messageEn: expect.stringMatching(/IP/) });
    const logins = await run(
      'login_ips',
      file(
        'l.csv',
        'account_id,ip,seen_at\nA1, 10.1.0.2 ,2026-03-01 09:00:00\nA1,10.1.0,2026-03-01 09:00:00\n',
      ),
    );
    expect(where(logins.all)).toEqual([[3, 'ip', 'IP_INVALID']]);
    const events = await run(
      'referral_events',
      file(
        'e.jsonl',
        JSON.stringify({
          event_id: 'E1',
          partner_id: 'P1',
          customer_id: 'C1',
          kind: 'visit',
          occurred_at: '2026-03-01',
          ip: '::1',
        }) +
          '\n' +
          JSON.stringify({
            event_id: 'E2',
            partner_id: 'P1',
            customer_id: 'C1',
            kind: 'visit',
            occurred_at: '2026-03-01',
            ip: '1.2.3.4.5',
          }) +
          '\n',
      ),
    );
    expect(where(events.all)).toEqual([[2, 'ip', 'IP_INVALID']]);
    // valid addresses land trimmed, as written
    const ok = await run(
      'login_ips',
      file(
        'ok.csv',
        'account_id,ip,seen_at\nA1, 10.1.0.2 ,2026-03-01 09:00:00\nA2,2001:DB8::1,2026-03-01 09:00:00\n',
      ),
    );
    expect(ok.status).toBe('committed');
    expect(store.sqlite.prepare('SELECT ip FROM login_ips ORDER BY account_id').pluck().all()).toEqual([
      '10.1.0.2',
      '2001:DB8::1',
    ]);
  });
});

describe('JSONL lines that cannot be read safely are row problems', () => {
  const order = (o: Record<string, unknown> = {}) =>
    JSON.stringify({
      order_id: 'O1',
      customer_id: 'C1',
      product_line: 'ecs',
      billing: 'prepaid',
      paid_amount: 10,
      ordered_at: '2026-03-05 12:00:00',
      ...o,
    });

  it('a value nested 5,000 levels deep is refused with its line and key, not "Maximum call stack size exceeded"', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const text =
      order() +
      '\n' +
      order({ order_id: 'O2' }).replace('"customer_id":"C1"', `"customer_id":${deep}`) +
      '\n';
    const r = await run('orders', file('deep.jsonl', text));
    expect(r.status).toBe('refused');
    expect(r.error?.code).toBe('INVALID_ROWS');
    expect(where(r.all)).toEqual([[2, 'customer_id', 'JSON_TOO_DEEP']]);
    expect(r.all[0].messageEn).toMatch(/nested too deeply/);
    // an object as deep, at the top level of the line
    const top = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const t = await run('orders', file('deep2.jsonl', order() + '\n' + top + '\n'));
    expect(where(t.all)).toEqual([[2, 'a', 'JSON_TOO_DEEP']]);
    expect(orders()).toBe(0);
  });

  it('a line holding both order_id and its alias 订单号 (or one key twice) is refused naming both keys', async () => {
    const text =
      order() +
      '\n' +
      order({ order_id: 'O2', 订单号: 'O3' }) +
      '\n' +
      order({ order_id: 'O4' }).replace('"order_id":"O4"', '"order_id":"O4","order_id":"O5"') +
      '\n';
    const r = await run('orders', file('alias.jsonl', text));
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([
      [2, 'order_id', 'DUPLICATE_FIELD'],
      [3, 'order_id', 'DUPLICATE_FIELD'],
    ]);
    expect(r.all[0].value).toBe('order_id: "O2"; 订单号: "O3"');
    expect(r.all[1].value).toBe('order_id: "O4"; order_id: "O5"');
    expect(orders()).toBe(0);
  });

  it('a GBK line whose trail bytes look like a backslash (乗 = 81 5C) is scanned as text, not as an escape', async () => {
    const text = [
      order(),
      order({ order_id: 'O2', customer_id: '乗' }),
      order({ order_id: 'O3', customer_id: '刓' }),
    ]
      .map((l) => l + '\r\n')
      .join('');
    const r = await run('orders', file('gbk.jsonl', iconv.encode(text, 'gbk')));
    expect(r.error?.message).toBeUndefined();
    expect(r.counts.added).toBe(3);
    expect(store.sqlite.prepare('SELECT customer_id FROM orders ORDER BY order_id').pluck().all()).toEqual([
      'C1',
      '乗',
      '刓',
    ]);
  });

  it('control characters (written as \\u0000 escapes) and bytes that are not UTF-8 are refused with line and key', async () => {
    const text = Buffer.concat([
      Buffer.from(order() + '\n' + order({ order_id: 'O2', customer_id: 'C\u0000\u001b1' }) + '\n'),
      Buffer.from(
        order({ order_id: 'O3', product_line: 'ecs' }).replace('"ecs"', '"e\xffcs"') + '\n',
        'latin1',
      ),
    ]);
    const r = await run('orders', file('ctl.jsonl', text));
    expect(r.status).toBe('refused');
    expect(where(r.all)).toEqual([
      [2, 'customer_id', 'CONTROL_CHAR'],
      [3, 'product_line', 'INVALID_ENCODING'],
    ]);
    expect(r.all[0].value).toBe('C\\u0000\\u001b1');
  });
});

describe('API pulls share the JSON guards', () => {
  it('an item nested too deeply, with a control character or with a key and its alias is a row problem', async () => {
    const { canonicalizer } = await import('./import-file');
    const canonical = canonicalizer('orders', null);
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(canonical({ line: 1, object: { order_id: 'O1', customer_id: deep } }).problem).toMatchObject({
      code: 'JSON_TOO_DEEP',
      column: 'customer_id',
    });
    expect(canonical({ line: 2, object: { order_id: 'O\u00071' } }).problem).toMatchObject({
      code: 'CONTROL_CHAR',
      column: 'order_id',
    });
    expect(canonical({ line: 3, object: { 订单号: 'O1', order_id: 'O2' } }).problem).toEqual({
      code: 'DUPLICATE_FIELD',
      column: 'order_id',
      value: '订单号: "O1"; order_id: "O2"',
    });
    expect(canonical({ line: 4, object: { order_id: 'O1', customer_id: { id: 'C1' } } }).problem).toEqual({
      code: 'WRONG_TYPE',
      column: 'customer_id',
      value: '{"id":"C1"}',
    });
  });
});

describe('lists stay bounded however many rows are wrong', () => {
  it('an import lists its first 100 rejections (all counted); the history keeps the first 1,000', async () => {
    const text = header + row('O1').repeat(3001);
    const refused = await run('orders', file('dup.csv', text));
    expect(refused.all).toHaveLength(3000); // every one still goes to onRejection
    expect(refused.rejections).toHaveLength(100);
    expect(refused.counts.rejected).toBe(3000);
    const kept = () =>
      store.sqlite
        .prepare('SELECT count(*) FROM import_rejections WHERE import_id = ?')
        .pluck()
        .get(lastImport(store).import_id);
    expect(lastImport(store)).toMatchObject({ status: 'failed', rows_rejected: 3000 });
    expect(kept()).toBe(1000);
    const skipped = await run('orders', file('dup.csv', text), { skipInvalid: true });
    expect(skipped.rejections).toHaveLength(100);
    expect(lastImport(store)).toMatchObject({ status: 'committed', rows_added: 1, rows_rejected: 3000 });
    expect(kept()).toBe(1000);
  });

  it('a preview lists at most 100 problems and says how many there are', async () => {
    const { previewFile } = await import('./preview');
    const bad = Array.from({ length: 500 }, (_, i) => `O${i},C1,ecs,weekly,maybe,-1,2026-03-05\n`).join('');
    const p = await previewFile(file('bad.csv', header + bad), 'orders', 500);
    expect(p.rows).toHaveLength(500);
    expect(p.rejections).toHaveLength(100);
    expect(p.rejectionsTotal).toBe(1500);
    expect(p.rejectionLines).toBe(500);
  });

  it('a header with thousands of extra columns gives one short warning', async () => {
    const extra = Array.from({ length: 5000 }, (_, i) => `x${i}`);
    const r = await run('orders', file('wide.csv', header.trim() + ',' + extra.join(',') + '\n' + row('O1')));
    expect(r.status).toBe('committed');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].length).toBeLessThan(300);
    expect(r.warnings[0]).toMatch(/x19 … \(\+4980\)/);
  });
});
