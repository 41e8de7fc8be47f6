/**
 * Issue 13: a full recompute's customers, events and orders kept in columns (world-columns.ts), their ids as
 * text (a store file) or as the bytes of COPY fields (a team database): each customer's rows come
 * back the same either way, in (time, id) order with ids compared as strings.
 */
import { describe, expect, it } from 'vitest';
import { CopyBuffer } from '../store/pg-sync/copy-buffer';
import { copyData } from '../test-support/copy-data';
import { CopyRowReader } from '../store/pg-sync/copy-out';
import type { RefundIn } from '../rules/types';
import { CustomerColumns, EventColumns, OrderColumns } from './world-columns';

// ids of one time for one customer, whose order as strings (UTF-16 units) is not their bytes' order:
// U+FF5E sorts after a surrogate pair as a string, before it as UTF-8 bytes
const IDS = ['E-2', 'E-10', '订单-1', '～', '😀', 'tab\there', 'back\\slash', 'E-1'];

/** Each row's values as COPY text, read back row by row. */
function eachCopyRow(
  rows: (string | number | null)[][],
  columns: number,
  fn: Parameters<CopyRowReader['rows']>[1],
) {
  const b = new CopyBuffer();
  for (const row of rows) b.row(-1, row, -1);
  new CopyRowReader(columns).rows(copyData(b.take()), fn);
}

describe('events and orders in columns, ids as text or as COPY bytes (issue 13)', () => {
  it('R-ATTR-1: every customer’s events come back the same, ordered by time then id as strings', () => {
    const rows = IDS.flatMap((id, k) => [
      [id, 'P1', 0, 1000], // one time for all: ordered by id
      [`${id}#`, 'P2', 1, 900 - k], // a time each
      [`${id}@`, 'P3', 2, 1000], // another customer
    ]);
    const text = new EventColumns(3);
    for (const [id, p, ci, at] of rows)
      text.add(ci as number, id as string, p as string, ci === 1 ? 'register' : 'login', at as number);
    const bytes = new EventColumns(3, true);
    eachCopyRow(rows, 4, (r) => {
      const ci = r.int(2) as number;
      bytes.addFrom(ci, r, 0, r.text(1) as string, ci === 1 ? 'register' : 'login', r.int(3) as number);
    });
    text.seal();
    bytes.seal();
    expect(bytes.size).toBe(text.size);
    for (const ci of [0, 1, 2]) expect(bytes.of(ci), `customer ${ci}`).toEqual(text.of(ci));
    expect(text.of(0).map((e) => e.id)).toEqual([...IDS].sort());
    expect(text.of(1).map((e) => e.at)).toEqual([...text.of(1).map((e) => e.at)].sort((a, b) => a - b));
  });

  it('R-ORDER-1: every customer’s orders come back the same, with their refunds', () => {
    const refund: RefundIn = { id: 'R1', kind: 'full', amountFen: 500, at: 2000 };
    const text = new OrderColumns(2, (ci) => `C${ci}`);
    const bytes = new OrderColumns(2, (ci) => `C${ci}`, true);
    const rows = IDS.map((id, k) => [id, k % 2, k === 3 ? 'prepaid' : 'postpaid', 100 * k, 1000 + (k % 3)]);
    const fields = (row: (string | number)[]) => ({
      productLine: 'ecs',
      billing: row[2] as string,
      subscription: row[1] === 1,
      paidFen: row[3] as number,
      at: row[4] as number,
    });
    for (const row of rows)
      text.add(
        row[1] as number,
        { id: row[0] as string, ...fields(row) },
        row[0] === '～' ? [refund] : undefined,
      );
    eachCopyRow(rows, 5, (r) => {
      const row = [r.text(0)!, r.int(1)!, r.text(2)!, r.int(3)!, r.int(4)!];
      bytes.addFrom(row[1] as number, r, 0, fields(row), row[0] === '～' ? [refund] : undefined);
    });
    text.seal();
    bytes.seal();
    for (const ci of [0, 1]) expect(bytes.of(ci), `customer ${ci}`).toEqual(text.of(ci));
    expect(bytes.of(1).find((o) => o.id === '～')?.refunds).toEqual([refund]);
    expect(bytes.of(1).map((o) => o.id)).toContain('tab\there');
  });

  it('R-EXCL-1: every customer’s subject and channel come back as read, NULL ones as null, either way', () => {
    // subjects: plain, escaped, non-ASCII, NULL; channels: a few, NULL among them
    const rows: (string | null)[][] = [
      ['C1', 'S-1', 'share'],
      ['C2', null, 'share'],
      ['C3', 'tab\there', null],
      ['C4', '主体😀', 'qr'],
      ['C5', '', 'share'],
    ];
    const text = new CustomerColumns();
    for (const [id, subject, channel] of rows) text.add(id!, subject, channel);
    const bytes = new CustomerColumns(true);
    eachCopyRow(rows, 3, (r) => bytes.addFrom(r.text(0)!, r, 1, r.text(2)));
    for (const customers of [text, bytes]) {
      expect(customers.length).toBe(rows.length);
      expect(customers.allIds()).toEqual(rows.map((r) => r[0]));
      rows.forEach(([id, subject, channel], ci) => {
        expect(customers.id(ci)).toBe(id);
        expect(customers.subjectId(ci), `subject of ${id}`).toBe(subject);
        expect(customers.channel(ci), `channel of ${id}`).toBe(channel);
      });
    }
    // read again another way (rows out of id order): nothing of the first read is left
    bytes.clear();
    expect(bytes.length).toBe(0);
    bytes.add('C9', null, 'qr');
    expect([bytes.id(0), bytes.subjectId(0), bytes.channel(0)]).toEqual(['C9', null, 'qr']);
  });
});
