/**
 * The bank's result file of a batch transfer (docs/data-formats.md "Bank result file"): which
 * approved lines were paid and which failed. A CSV (UTF-8 or GBK, header row, any column order)
 * with 收款账号 / account, 金额 / amount and 状态 / status, optionally 备注 / reference (must name
 * this batch when given) and 失败原因 / message. Each row is matched to an approved line of the
 * batch by account (and amount); a file with any problem changes nothing and lists every problem
 * with its line and column. Paid lines are recorded paid (R-PAY-3); failed lines are recorded
 * failed and so no longer count as paid: their amount returns in a later batch of the cycle.
 */
import type { Kysely } from 'kysely';
import type { BankResultView } from '../api/methods/payouts.contract';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import { ImportFileError, rowMessages } from '../sources/messages';
import { parseAmountFen } from '../sources/values';
import type { Database } from '../store/database';
import { CsvParser, type CsvRecord } from '../sync/csv-parser';
import { EncodingGuard } from '../sync/encoding';
import { PayoutError } from './errors';
import { paymentReference, yuan } from './files';

export type BankOutcome = 'paid' | 'failed';

const COLUMNS = {
  account: ['收款账号', 'account', 'payee_account', '账号'],
  amount: ['金额', 'amount', 'amount_yuan'],
  status: ['状态', 'status', 'result', '处理结果', '交易状态'],
  reference: ['备注', 'reference'],
  message: ['失败原因', 'message', 'note', '说明'],
} as const;
type Column = keyof typeof COLUMNS;

const OUTCOMES = new Map<string, BankOutcome>([
  ...['成功', '交易成功', '处理成功', '已支付', '已付款', 'success', 'succeeded', 'paid', 'ok'].map(
    (s) => [s, 'paid'] as const,
  ),
  ...[
    '失败',
    '交易失败',
    '处理失败',
    '退回',
    '已退回',
    'failed',
    'failure',
    'fail',
    'rejected',
    'returned',
  ].map((s) => [s, 'failed'] as const),
]);

export type BankResultCheck = BankResultView;

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, '');

function records(bytes: Buffer): CsvRecord[] {
  const parser = new CsvParser(new EncodingGuard());
  const out = parser.push(bytes);
  parser.end(out);
  return out;
}

/** Reads a bank result file against a batch: what it would record, and every problem. */
export async function checkBankResult(
  db: Kysely<Database>,
  batchId: number,
  bytes: Buffer,
): Promise<BankResultCheck> {
  const batch = await db
    .selectFrom('payout_batches')
    .select(['batch_id', 'cycle_key', 'status'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  if (!batch)
    throw new PayoutError('PAYOUT_NO_SUCH_BATCH', `没有返利批次 ${batchId} / no payout batch ${batchId}`, {
      batchId,
    });
  if (batch.status !== 'approved')
    throw new PayoutError(
      'PAYOUT_NOT_APPROVED',
      `批次 ${batchId} 尚未审批 / batch ${batchId} is not approved`,
      { batchId, status: batch.status },
    );
  const check: BankResultCheck = {
    batchId,
    rows: 0,
    paid: 0,
    failed: 0,
    unchanged: 0,
    notInFile: 0,
    problems: [],
    matches: [],
  };
  const problem = (line: number | null, column: string | null, code: string, zh: string, en: string) =>
    check.problems.push({ line, column, code, message: `${zh} / ${en}` });
  let recs: CsvRecord[];
  try {
    recs = records(bytes);
  } catch (e) {
    if (e instanceof ImportFileError) {
      problem(null, null, e.code, e.messageZh, e.messageEn);
      return check;
    }
    throw e;
  }
  if (recs.length === 0) {
    problem(null, null, 'EMPTY_FILE', '文件为空', 'the file is empty');
    return check;
  }
  // a cell that does not read cleanly (text after its closing quote, a control character, bytes
  // that are not text) is a problem of its line, as in every import
  for (const r of recs)
    if (r.problem) {
      const m = rowMessages[r.problem.code];
      problem(r.line, recs[0].cells[r.problem.cell] ?? null, r.problem.code, m.zh, m.en);
    }
  if (check.problems.length > 0) return check;
  const header = recs[0].cells.map(norm);
  const at = {} as Record<Column, number>;
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][])
    at[col] = header.findIndex((h) => names.some((n) => norm(n) === h));
  for (const col of ['account', 'amount', 'status'] as const)
    if (at[col] < 0)
      problem(
        1,
        COLUMNS[col][0],
        'MISSING_COLUMN',
        `缺少列 ${COLUMNS[col][0]}`,
        `the column ${COLUMNS[col][0]} (${COLUMNS[col][1]}) is missing`,
      );
  if (check.problems.length > 0) return check;

  const lines = await db
    .selectFrom('payout_lines')
    .select(['line_id', 'partner_id', 'amount_fen', 'payee_account', 'status'])
    .where('batch_id', '=', batchId)
    .where('status', 'in', ['approved', 'paid', 'failed'])
    .execute();
  const byAccount = new Map<string, typeof lines>();
  for (const l of lines) {
    const k = (l.payee_account ?? '').trim();
    byAccount.set(k, [...(byAccount.get(k) ?? []), l]);
  }
  const ref = paymentReference(batchId, batch.cycle_key);
  const used = new Map<number, number>(); // line_id → file line
  const cell = (r: CsvRecord, col: Column) => (at[col] >= 0 ? (r.cells[at[col]] ?? '').trim() : '');
  for (const r of recs.slice(1)) {
    if (r.cells.every((c) => c.trim() === '')) continue;
    check.rows++;
    const account = cell(r, 'account').replace(/^'/, '');
    const amountText = cell(r, 'amount');
    const statusText = cell(r, 'status');
    const before = check.problems.length;
    const amount = parseAmountFen(amountText);
    if (!account)
      problem(r.line, COLUMNS.account[0], 'VALUE_MISSING', '收款账号为空', 'the account is empty');
    if (!amount.ok) {
      // said as an import says it (sources/messages.ts): negative, a third decimal, too large…
      const m = rowMessages[amount.code];
      problem(r.line, COLUMNS.amount[0], amount.code, `${m.zh}：${amountText}`, `${m.en}: ${amountText}`);
    }
    const outcome = OUTCOMES.get(norm(statusText));
    if (!outcome)
      problem(
        r.line,
        COLUMNS.status[0],
        'STATUS_INVALID',
        `状态无法识别：${statusText}（应为 成功 或 失败）`,
        `not a status: ${statusText} (use success or failed)`,
      );
    const reference = cell(r, 'reference');
    if (reference && reference !== ref)
      problem(
        r.line,
        COLUMNS.reference[0],
        'OTHER_BATCH',
        `备注 ${reference} 不是本批次（${ref}）`,
        `reference ${reference} is not this batch (${ref})`,
      );
    if (check.problems.length > before || !amount.ok || !outcome) continue;
    const candidates = (byAccount.get(account) ?? []).filter((l) => l.amount_fen === amount.value);
    if (candidates.length === 0) {
      const sameAccount = byAccount.get(account);
      if (sameAccount)
        problem(
          r.line,
          COLUMNS.amount[0],
          'AMOUNT_MISMATCH',
          `账号 ${account} 的应付金额为 ${sameAccount.map((l) => yuan(l.amount_fen)).join('、')}，文件中为 ${yuan(amount.value)}`,
          `account ${account} was to be paid ${sameAccount.map((l) => yuan(l.amount_fen)).join(', ')}, the file says ${yuan(amount.value)}`,
        );
      else
        problem(
          r.line,
          COLUMNS.account[0],
          'UNKNOWN_ACCOUNT',
          `账号 ${account} 不在本批次已审批的明细中`,
          `account ${account} is not on an approved line of this batch`,
        );
      continue;
    }
    const line = candidates.find((l) => !used.has(l.line_id));
    if (!line) {
      problem(
        r.line,
        COLUMNS.account[0],
        'DUPLICATE_ROW',
        `账号 ${account} 已在第 ${used.get(candidates[0].line_id)} 行出现`,
        `account ${account} appears already on line ${used.get(candidates[0].line_id)}`,
      );
      continue;
    }
    used.set(line.line_id, r.line);
    if (line.status !== 'approved' && line.status !== outcome) {
      problem(
        r.line,
        COLUMNS.status[0],
        'ALREADY_RECORDED',
        `云客 ${line.partner_id} 的明细已记为${line.status === 'paid' ? '已支付' : '支付失败'}`,
        `the line of partner ${line.partner_id} is recorded ${line.status} already`,
      );
      continue;
    }
    const note = cell(r, 'message') || null;
    check.matches.push({
      line: r.line,
      partnerId: line.partner_id,
      account,
      amountFen: amount.value,
      outcome,
      note,
      current: line.status,
    });
    if (line.status === outcome) check.unchanged++;
    else if (outcome === 'paid') check.paid++;
    else check.failed++;
  }
  if (check.rows === 0) problem(null, null, 'EMPTY_FILE', '文件中没有数据行', 'the file has no rows');
  check.notInFile = lines.filter((l) => l.status === 'approved' && !used.has(l.line_id)).length;
  return check;
}

/**
 * Records the bank's result (R-PAY-3): paid lines paid, failed lines failed (their amount is due
 * again and goes into a later batch). A file with any problem is refused whole.
 */
export async function applyBankResult(
  db: Kysely<Database>,
  input: { batchId: number; bytes: Buffer; fileName?: string; actor: Actor; now?: number },
): Promise<BankResultCheck> {
  const now = input.now ?? Date.now();
  const check = await checkBankResult(db, input.batchId, input.bytes);
  if (check.problems.length > 0)
    throw new PayoutError(
      'PAYOUT_BANK_RESULT_INVALID',
      `银行结果文件有 ${check.problems.length} 处问题，未做任何记录：` +
        check.problems
          .slice(0, 5)
          .map((p) => (p.line ? `第 ${p.line} 行 ${p.column ?? ''} ` : '') + p.message)
          .join('；') +
        ` / the bank result file has ${check.problems.length} problem(s); nothing was recorded`,
      { problems: check.problems },
    );
  const changes = check.matches.filter((m) => m.current === 'approved');
  await db.transaction().execute(async (trx) => {
    for (const m of changes) {
      const r = await trx
        .updateTable('payout_lines')
        .set({ status: m.outcome, paid_by: input.actor.operatorId, paid_at: now, bank_note: m.note })
        .where('batch_id', '=', input.batchId)
        .where('partner_id', '=', m.partnerId)
        .where('status', '=', 'approved')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw new PayoutError(
          'PAYOUT_CHANGED',
          `云客 ${m.partnerId} 的明细刚被他人记录，请重新导入结果文件 / the line of partner ${m.partnerId} was just recorded by someone else: import the file again`,
          { batchId: input.batchId, partnerId: m.partnerId },
        );
    }
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'payout.bankResult',
        entity: 'payout_batch',
        entityId: String(input.batchId),
        after: {
          fileName: input.fileName ?? null,
          rows: check.rows,
          paid: check.paid,
          failed: check.failed,
          unchanged: check.unchanged,
          failedPartners: changes.filter((m) => m.outcome === 'failed').map((m) => m.partnerId),
        },
      },
      now,
    );
  });
  return check;
}
