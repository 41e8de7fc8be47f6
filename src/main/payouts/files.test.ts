import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { actor } from '../test-support/actors';
import { decide, prepareBatch, PayoutError } from './batches';
import { exportPayoutFile, payoutFile, yuan } from './files';

let w: World;
afterEach(async () => w?.close());

const maker = actor('maker', 'finance');
const checker = actor('checker', 'finance');

/** Three partners paid for 2026-04: one with a formula-looking payee name, one without payee details. */
async function approvedBatch() {
  w = world()
    .partner('P1', {
      name: '张三',
      payee: { account: '6222020200001234567', name: '张三', bank: '中国工商银行北京分行海淀支行' },
    })
    .partner('P2', {
      name: '=HYPERLINK("http://evil.example","李四")',
      payee: {
        account: '0062170000100023456',
        name: '=HYPERLINK("http://evil.example","李四")',
        bank: '建设银行, 上海分行',
      },
    })
    .partner('P3', { name: '王五', payee: null });
  for (const [i, p, yuanPaid] of [
    [1, 'P1', 6000.5],
    [2, 'P2', 1000],
    [3, 'P3', 700],
  ] as const) {
    w.customer(`C${i}`)
      .event(`E${i}`, p, `C${i}`, 'register', '2026-03-01 10:00:00')
      .order(`O${i}`, `C${i}`, '2026-03-02 10:00:00', yuanPaid);
  }
  recomputeFull(w.store, { asOf: t('2026-05-02 00:00:00') });
  const { batchId } = await prepareBatch(w.store.db, { cycleKey: '2026-04', actor: maker });
  await decide(w.store.db, { batchId, decision: 'approve', reason: '核对无误', actor: checker });
  return batchId;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('payout files', () => {
  it('R-PAY-3: the bank layout as CSV: text account, yuan with two decimals, reference, no totals row, approved lines only', async () => {
    const batchId = await approvedBatch();
    const f = await payoutFile(w.store.db, batchId, 'csv', 'bank');
    expect(f.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(f.bytes.subarray(3).toString('utf8')).toBe(
      '收款账号,收款户名,金额,开户行,备注\r\n' +
        `"6222020200001234567",张三,1200.10,中国工商银行北京分行海淀支行,YK-B${batchId}-2026-04\r\n` +
        // a formula-looking payee name is written as text (leading apostrophe), never as a formula
        `"0062170000100023456","'=HYPERLINK(""http://evil.example"",""李四"")",200.00,"建设银行, 上海分行",YK-B${batchId}-2026-04\r\n`,
    );
    // P3 gave no payee details: held (MISSING_PAYEE), not in the file
    expect(f).toMatchObject({ rows: 2, totalFen: 120010 + 20000, sha256: sha(f.bytes) });
    const g = await payoutFile(w.store.db, batchId, 'csv', 'generic');
    expect(g.bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'partner_id,name,amount_yuan,reference',
    );
    expect(g.bytes.subarray(3).toString('utf8')).toContain(`P1,张三,1200.10,YK-B${batchId}-2026-04`);
  });

  it('R-PAY-3: exporting again gives the same bytes and checksum, CSV and XLSX alike; each export is recorded with the batch', async () => {
    const batchId = await approvedBatch();
    for (const format of ['csv', 'xlsx'] as const)
      for (const layout of ['bank', 'generic'] as const) {
        const a = await exportPayoutFile(w.store.db, { batchId, format, layout, actor: checker, now: 1_000 });
        // later, by someone else: byte for byte the same file
        await new Promise((r) => setTimeout(r, format === 'xlsx' ? 1100 : 5));
        const b = await exportPayoutFile(w.store.db, {
          batchId,
          format,
          layout,
          actor: actor('fin-3', 'finance'),
          now: 9_999_000,
        });
        expect(b.bytes.equals(a.bytes), `${format}/${layout}`).toBe(true);
        expect(b.sha256).toBe(a.sha256);
        expect(a.sha256).toBe(sha(a.bytes));
      }
    const recorded = await w.store.db
      .selectFrom('payout_exports')
      .select(['format', 'layout', 'sha256', 'rows', 'total_fen', 'exported_by'])
      .orderBy('export_id')
      .execute();
    expect(recorded).toHaveLength(8);
    expect(recorded[0]).toMatchObject({ format: 'csv', layout: 'bank', rows: 2, total_fen: 140010 });
    expect(
      await w.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'payout.export')
        .execute(),
    ).toHaveLength(8);
  }, 30_000);

  it('R-PAY-3: the XLSX opens in a spreadsheet with the account as text, amounts as numbers and the formula-looking name as text, never a formula', async () => {
    const batchId = await approvedBatch();
    const f = await payoutFile(w.store.db, batchId, 'xlsx', 'bank');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(f.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('批量转账');
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['收款账号', '收款户名', '金额', '开户行', '备注'],
      ['6222020200001234567', '张三', 1200.1, '中国工商银行北京分行海淀支行', `YK-B${batchId}-2026-04`],
      [
        '0062170000100023456',
        '=HYPERLINK("http://evil.example","李四")',
        200,
        '建设银行, 上海分行',
        `YK-B${batchId}-2026-04`,
      ],
    ]);
    ws.eachRow((row) =>
      row.eachCell((c) => {
        expect(c.type, c.address).not.toBe(ExcelJS.ValueType.Formula);
      }),
    );
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('C2').numFmt).toBe('0.00');
  });

  it('R-PAY-3: only an approved batch is exported, and only as it was approved', async () => {
    const batchId = await approvedBatch();
    // a draft batch of another cycle
    w.customer('C9').event('E9', 'P1', 'C9', 'register', '2026-04-01 10:00:00');
    w.order('O9', 'C9', '2026-04-02 10:00:00', 100);
    recomputeFull(w.store, { asOf: t('2026-06-02 00:00:00') });
    const draft = await prepareBatch(w.store.db, { cycleKey: '2026-05', actor: maker });
    await expect(payoutFile(w.store.db, draft.batchId, 'csv', 'bank')).rejects.toMatchObject({
      code: 'PAYOUT_NOT_APPROVED',
      message: expect.stringContaining('is not approved: nothing to export yet'),
    });
    // a rejected batch is never exported: the message says so, and what to do instead
    await decide(w.store.db, {
      batchId: draft.batchId,
      decision: 'reject',
      reason: '金额需复核',
      actor: checker,
    });
    await expect(payoutFile(w.store.db, draft.batchId, 'csv', 'bank')).rejects.toMatchObject({
      code: 'PAYOUT_NOT_APPROVED',
      message: expect.stringMatching(
        /已被驳回.*was rejected: a rejected batch is never exported; prepare a new batch of its cycle/,
      ),
    });
    // someone edits an approved line behind the store's back (guards dropped): refused
    w.store.sqlite.exec(
      `DROP TRIGGER payout_lines_frozen_update${w.store.dialect === 'postgres' ? ' ON payout_lines' : ''}`,
    );
    w.store.sqlite
      .prepare(`UPDATE payout_lines SET amount_fen = 999999 WHERE partner_id = 'P1' AND batch_id = ?`)
      .run(batchId);
    const e = await payoutFile(w.store.db, batchId, 'csv', 'bank').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PayoutError);
    expect((e as PayoutError).code).toBe('PAYOUT_TAMPERED');
  });

  it('writes yuan with two decimals and no thousands separator', () => {
    expect([yuan(0), yuan(5), yuan(120010), yuan(123456789), yuan(-20000)]).toEqual([
      '0.00',
      '0.05',
      '1200.10',
      '1234567.89',
      '-200.00',
    ]);
  });
});
