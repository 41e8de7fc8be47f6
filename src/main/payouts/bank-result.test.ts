import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { recomputeFull } from '../engine/recompute';
import { t, world, type World } from '../test-support/world';
import { actor } from '../test-support/actors';
import { applyBankResult, checkBankResult } from './bank-result';
import { decide, prepareBatch, PayoutError } from './batches';

let w: World;
afterEach(async () => w?.close());

const checker = actor('checker', 'finance');

/** P1 (¥200) and P2 (¥100) approved for 2026-04. */
async function approved() {
  w = world()
    .partner('P1', {
      name: '张三',
      payee: { account: '6222020200001234567', name: '张三', bank: '工商银行' },
    })
    .partner('P2', {
      name: '李四',
      payee: { account: '6217000010002345678', name: '李四', bank: '建设银行' },
    });
  for (const [i, p] of [
    [1, 'P1'],
    [2, 'P2'],
  ] as const)
    w.customer(`C${i}`)
      .event(`E${i}`, p, `C${i}`, 'register', '2026-03-01 10:00:00')
      .order(`O${i}`, `C${i}`, '2026-03-02 10:00:00', i === 1 ? 1000 : 500);
  recomputeFull(w.store, { asOf: t('2026-05-02 00:00:00') });
  const { batchId } = await prepareBatch(w.store.db, {
    cycleKey: '2026-04',
    actor: actor('maker', 'finance'),
  });
  await decide(w.store.db, { batchId, decision: 'approve', reason: '核对无误', actor: checker });
  return batchId;
}

const status = () =>
  w.store.db
    .selectFrom('payout_lines')
    .select(['partner_id', 'status', 'bank_note', 'paid_by'])
    .orderBy('partner_id')
    .execute();

describe('the bank result file', () => {
  it('R-PAY-3: paid lines are recorded paid, failed lines failed; R-PAY-1: a failed line returns in the next batch of the cycle', async () => {
    const batchId = await approved();
    const file = Buffer.from(
      `收款账号,金额,状态,失败原因,备注\n6222020200001234567,200.00,成功,,YK-B${batchId}-2026-04\n` +
        `6217000010002345678,100.00,失败,账户已冻结,YK-B${batchId}-2026-04\n`,
    );
    const r = await applyBankResult(w.store.db, {
      batchId,
      bytes: file,
      fileName: 'result.csv',
      actor: checker,
    });
    expect(r).toMatchObject({ rows: 2, paid: 1, failed: 1, unchanged: 0, notInFile: 0, problems: [] });
    expect(await status()).toEqual([
      { partner_id: 'P1', status: 'paid', bank_note: null, paid_by: 'checker' },
      { partner_id: 'P2', status: 'failed', bank_note: '账户已冻结', paid_by: 'checker' },
    ]);
    // the same file again changes nothing
    expect(await applyBankResult(w.store.db, { batchId, bytes: file, actor: checker })).toMatchObject({
      paid: 0,
      failed: 0,
      unchanged: 2,
    });
    // P2 was not paid: due again, in a later batch of the same cycle
    const later = await prepareBatch(w.store.db, { cycleKey: '2026-04', actor: actor('maker', 'finance') });
    expect(later).toMatchObject({ lines: 1, totalFen: 10000 });
  });

  it('reads English headers, GBK files, any column order; lines the file does not name stay approved', async () => {
    const batchId = await approved();
    const gbk = iconv.encode('状态,收款账号,金额\n交易成功,6217000010002345678,"1,00.00"\n', 'gbk');
    const bad = await checkBankResult(w.store.db, batchId, gbk);
    expect(bad.problems.map((p) => [p.line, p.column, p.code])).toEqual([[2, '金额', 'AMOUNT_INVALID']]);
    // a negative amount, or a third decimal, is said as such, not as an amount unreadable
    const wrong = await checkBankResult(
      w.store.db,
      batchId,
      Buffer.from('收款账号,金额,状态\n6217000010002345678,-300.00,成功\n6222020200001234567,1.001,成功\n'),
    );
    expect(wrong.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [2, 'AMOUNT_NEGATIVE', '金额不能为负数：-300.00 / amount must not be negative: -300.00'],
      [
        3,
        'AMOUNT_DECIMALS',
        '金额最多两位小数（精确到分）：1.001 / amount has more than 2 decimals (fen): 1.001',
      ],
    ]);
    const ok = await checkBankResult(
      w.store.db,
      batchId,
      iconv.encode('状态,收款账号,金额\n交易成功,6217000010002345678,100\n', 'gbk'),
    );
    expect(ok).toMatchObject({ paid: 1, notInFile: 1, problems: [] });
    const en = await applyBankResult(w.store.db, {
      batchId,
      bytes: Buffer.from('account,amount,status\n6222020200001234567,200,paid\n'),
      actor: checker,
    });
    expect(en).toMatchObject({ paid: 1, notInFile: 1 });
    expect((await status()).map((s) => s.status)).toEqual(['paid', 'approved']);
  });

  it('refuses a file with any problem, naming each by line and column, and records nothing', async () => {
    const batchId = await approved();
    const file = Buffer.from(
      '收款账号,金额,状态,备注\n' +
        '6222020200001234567,200.00,成功,\n' +
        '6217000010002345678,99.00,成功,\n' + // amount differs
        '6200000000000000000,5.00,成功,\n' + // not in the batch
        '6222020200001234567,200.00,成功,\n' + // twice
        '6217000010002345678,100.00,maybe,\n' + // status unknown
        '6217000010002345678,100.00,成功,YK-B999-2026-04\n', // another batch
    );
    const e = await applyBankResult(w.store.db, { batchId, bytes: file, actor: checker }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(PayoutError);
    const problems = (
      (e as PayoutError).details as { problems: { line: number; column: string; code: string }[] }
    ).problems;
    expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [3, '金额', 'AMOUNT_MISMATCH'],
      [4, '收款账号', 'UNKNOWN_ACCOUNT'],
      [5, '收款账号', 'DUPLICATE_ROW'],
      [6, '状态', 'STATUS_INVALID'],
      [7, '备注', 'OTHER_BATCH'],
    ]);
    expect((e as PayoutError).message).toMatch(/第 3 行/);
    expect((await status()).map((s) => s.status)).toEqual(['approved', 'approved']);
    const noColumn = await checkBankResult(w.store.db, batchId, Buffer.from('账号名,金额\nx,1\n'));
    expect(noColumn.problems.map((p) => p.code)).toEqual(['MISSING_COLUMN', 'MISSING_COLUMN']);
  });

  it('issue 12: a cell with text after its closing quote or a control character is a problem of its line, not cut off', async () => {
    const batchId = await approved();
    const file = Buffer.from(
      '收款账号,金额,状态\n' +
        '"6222020200001234567"9,200.00,成功\n' + // would read as P1's account
        '6217000010002345678,100.00,成功\u0000\n',
    );
    const check = await checkBankResult(w.store.db, batchId, file);
    expect(check.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, '收款账号', 'QUOTE_TEXT_AFTER'],
      [3, '状态', 'CONTROL_CHAR'],
    ]);
    expect(check.paid).toBe(0);
  });
});
