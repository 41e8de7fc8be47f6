/**
 * 返利发放: payout batches, prepared from what the engine says is due (due.ts) and decided by
 * finance under maker–checker (R-PAY-1..3, R-OP-4). Portable Kysely: this runs on PostgreSQL too.
 *
 * Concurrency (R-OP-4: two decisions on one batch at once, exactly one succeeds): every decision
 * is one guarded statement on the batch row,
 *   UPDATE payout_batches SET revision = revision + 1 … WHERE batch_id = :id
 *     AND status IN (:states) AND prepared_by <> :operator AND revision = :seen
 * run first in its transaction. It takes the row's lock (PostgreSQL) or the store's write lock
 * (SQLite) and checks in the same step that nobody decided since the decider looked (`revision`);
 * zero rows means refused, with the state found. What follows in the transaction (the line, the
 * lines of an approved batch, the audit entry) runs under that lock. At most one batch of a cycle
 * is open (draft or held): a partial unique index, so two preparations at once leave one batch.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DecisionResult, PrepareResult } from '../api/methods/payouts.contract';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { PayoutBatchStatus, PayoutLineStatus } from '../store/admin.table';
import type { Database } from '../store/database';
import { blacklistedAt, cycleDue, parseCycleKey } from './due';
import { isUniqueViolation, PayoutError } from './errors';

export { PayoutError };
export type { DecisionResult, PrepareResult };

type Db = Kysely<Database> | Transaction<Database>;

export type Decision = 'approve' | 'reject' | 'hold';
const BATCH_TO: Record<Decision, PayoutBatchStatus> = {
  approve: 'approved',
  reject: 'rejected',
  hold: 'held',
};
const LINE_TO: Record<Decision, PayoutLineStatus> = {
  approve: 'approved',
  reject: 'rejected',
  hold: 'held',
};
/** the states a batch may be decided from: a held batch is approved or rejected, never held again */
const BATCH_FROM: Record<Decision, PayoutBatchStatus[]> = {
  approve: ['draft', 'held'],
  reject: ['draft', 'held'],
  hold: ['draft'],
};
/** lines are decided while their batch is open (draft or held) */
const OPEN: PayoutBatchStatus[] = ['draft', 'held'];

/** R-OP-2: every decision has its reason (approving too). */
export const MIN_REASON = 4;

/** DATA.md: a partner without payee details is not exported; the line is held. */
export const MISSING_PAYEE = 'MISSING_PAYEE';

const zhStatus: Record<string, string> = {
  draft: '待审批',
  held: '暂缓',
  approved: '已审批',
  rejected: '已驳回',
  pending: '待审批',
  paid: '已支付',
  failed: '支付失败',
};

function requireReason(reason: string | undefined | null): string {
  const r = reason?.trim() ?? '';
  if (r.length < MIN_REASON)
    throw new PayoutError(
      'PAYOUT_REASON_REQUIRED',
      `请填写至少 ${MIN_REASON} 个字的原因 / a reason of at least ${MIN_REASON} characters (R-OP-2)`,
    );
  return r;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const CHUNK = 400;

/** The open batch of a cycle (draft or held), if any. */
async function openBatchOf(db: Db, cycleKey: string) {
  return db
    .selectFrom('payout_batches')
    .select(['batch_id', 'status', 'prepared_by', 'prepared_at'])
    .where('cycle_key', '=', cycleKey)
    .where('status', 'in', OPEN)
    .executeTakeFirst();
}

/**
 * R-PAY-1: a batch for one cycle, a line per partner with an amount due; lines of partners
 * without payee details are held (MISSING_PAYEE). R-OP-4: at most one open batch per cycle — the
 * batch row goes in first, so a second preparation of the cycle is refused by the store's unique
 * index whatever the timing. A cycle whose batch was approved gets a later one for what became
 * due since (lines held or rejected, a lifted blacklist, lines the bank could not pay).
 */
export async function prepareBatch(
  db: Kysely<Database>,
  input: { cycleKey: string; actor: Actor; now?: number },
): Promise<PrepareResult> {
  const now = input.now ?? Date.now();
  const cycle = parseCycleKey(input.cycleKey);
  try {
    return await db.transaction().execute(async (trx) => {
      // first statement: the write lock, and the one-open-batch-per-cycle guard
      const batch = await trx
        .insertInto('payout_batches')
        .values({
          cycle_key: cycle.key,
          cycle_start: cycle.start,
          cycle_end: cycle.end,
          status: 'draft',
          config_version: 0,
          as_of: 0,
          run_id: 0,
          prepared_by: input.actor.operatorId,
          prepared_at: now,
          decided_by: null,
          decided_at: null,
          decision_reason: null,
          checksum: null,
          approved_lines: null,
          approved_fen: null,
        })
        .returning('batch_id')
        .executeTakeFirstOrThrow();
      const due = await cycleDue(trx, cycle.key, now);
      if (due.lines.length === 0)
        throw new PayoutError(
          'PAYOUT_NOTHING_DUE',
          due.cycle.end > due.run.asOf
            ? `周期 ${cycle.key} 在引擎计算时点尚未结束，没有应发返利 / cycle ${cycle.key} had not ended at the engine's as-of: nothing is due yet`
            : `周期 ${cycle.key} 没有应发返利 / nothing is due for cycle ${cycle.key}`,
          { cycleKey: cycle.key, asOf: due.run.asOf, frozen: due.frozen },
        );
      const ids = due.lines.map((l) => l.partnerId);
      const payees = new Map<string, { a: string | null; n: string | null; b: string | null }>();
      for (let i = 0; i < ids.length; i += CHUNK)
        for (const p of await trx
          .selectFrom('partners')
          .select(['partner_id', 'payee_account', 'payee_name', 'payee_bank'])
          .where('partner_id', 'in', ids.slice(i, i + CHUNK))
          .execute())
          payees.set(p.partner_id, {
            a: p.payee_account?.trim() || null,
            n: p.payee_name?.trim() || null,
            b: p.payee_bank?.trim() || null,
          });
      const missing = { lines: 0, fen: 0 };
      const rows = due.lines.map((l) => {
        const p = payees.get(l.partnerId) ?? { a: null, n: null, b: null };
        const complete = p.a !== null && p.n !== null && p.b !== null;
        if (!complete) {
          missing.lines++;
          missing.fen += l.amountFen;
        }
        return {
          batch_id: batch.batch_id,
          partner_id: l.partnerId,
          confirmed_fen: l.confirmedFen,
          capped_fen: l.cappedFen,
          carried_fen: l.carriedFen,
          amount_fen: l.amountFen,
          payee_account: p.a,
          payee_name: p.n,
          payee_bank: p.b,
          status: complete ? ('pending' as const) : ('held' as const),
          hold_code: complete ? null : MISSING_PAYEE,
          decided_by: null,
          decided_at: complete ? null : now,
          decision_reason: complete ? null : '收款信息缺失 / payee details missing (MISSING_PAYEE)',
          paid_by: null,
          paid_at: null,
          bank_note: null,
        };
      });
      for (let i = 0; i < rows.length; i += CHUNK)
        await trx
          .insertInto('payout_lines')
          .values(rows.slice(i, i + CHUNK))
          .execute();
      const totalFen = due.lines.reduce((s, l) => s + l.amountFen, 0);
      await trx
        .updateTable('payout_batches')
        .set({
          run_id: due.run.runId,
          as_of: due.run.asOf,
          config_version: due.run.configVersion,
          lines: rows.length,
          total_fen: totalFen,
          frozen_partners: due.frozen.partners,
          frozen_fen: due.frozen.fen,
        })
        .where('batch_id', '=', batch.batch_id)
        .execute();
      const result: PrepareResult = {
        batchId: batch.batch_id,
        cycleKey: cycle.key,
        lines: rows.length,
        totalFen,
        missingPayee: missing,
        frozen: due.frozen,
        runId: due.run.runId,
        asOf: due.run.asOf,
        configVersion: due.run.configVersion,
      };
      await appendAudit(
        trx,
        {
          actor: input.actor,
          action: 'payout.prepare',
          entity: 'payout_batch',
          entityId: String(batch.batch_id),
          after: result,
        },
        now,
      );
      return result;
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const open = await openBatchOf(db, cycle.key);
    throw new PayoutError(
      'PAYOUT_CYCLE_HAS_OPEN_BATCH',
      `周期 ${cycle.key} 已有未结批次 ${open?.batch_id ?? '?'}（${zhStatus[open?.status ?? 'draft']}），请先审批或驳回 / ` +
        `cycle ${cycle.key} already has open batch ${open?.batch_id ?? '?'} (${open?.status ?? 'draft'}): approve or reject it first (R-OP-4)`,
      { cycleKey: cycle.key, batchId: open?.batch_id ?? null, status: open?.status ?? null },
    );
  }
}

/** The state a refused decision found, for its message and details. */
export interface FoundState {
  batchId: number;
  status: PayoutBatchStatus;
  revision: number;
  preparedBy: string;
  decidedBy: string | null;
  decidedAt: number | null;
}

async function foundState(db: Db, batchId: number): Promise<FoundState | null> {
  const b = await db
    .selectFrom('payout_batches')
    .select(['batch_id', 'status', 'revision', 'prepared_by', 'decided_by', 'decided_at'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  return b
    ? {
        batchId: b.batch_id,
        status: b.status,
        revision: b.revision,
        preparedBy: b.prepared_by,
        decidedBy: b.decided_by,
        decidedAt: b.decided_at,
      }
    : null;
}

const noSuchBatch = (batchId: number) =>
  new PayoutError('PAYOUT_NO_SUCH_BATCH', `没有返利批次 ${batchId} / no payout batch ${batchId}`, {
    batchId,
  });

/** Why the guarded statement changed nothing, from the state found afterwards. */
function refusal(
  found: FoundState | null,
  batchId: number,
  decision: Decision,
  operatorId: string,
  seen: number,
): PayoutError {
  if (!found) return noSuchBatch(batchId);
  const details = { batchId, found, seenRevision: seen };
  if (found.status === 'approved' || found.status === 'rejected')
    return new PayoutError(
      'PAYOUT_BATCH_CLOSED',
      `批次 ${batchId} 已由 ${found.decidedBy ?? '?'} ${found.status === 'approved' ? '审批' : '驳回'}，不可再修改，本次决定未执行 / ` +
        `batch ${batchId} is ${found.status} (by ${found.decidedBy ?? '?'}) and can no longer change: your decision was not applied (R-PAY-3)`,
      details,
    );
  if (found.preparedBy === operatorId)
    return new PayoutError(
      'PAYOUT_MAKER_CHECKER',
      `${operatorId} 是批次 ${batchId} 的制单人，不能审批、驳回或暂缓它（R-PAY-2） / ` +
        `${operatorId} prepared batch ${batchId} and cannot approve, reject or hold it (maker–checker, R-PAY-2)`,
      details,
    );
  if (found.revision !== seen)
    return new PayoutError(
      'PAYOUT_CHANGED',
      `批次 ${batchId} 在您查看之后已被 ${found.decidedBy ?? '他人'} 处理（现为${zhStatus[found.status]}），本次决定未执行，请刷新后重试 / ` +
        `batch ${batchId} changed since you looked at it (now ${found.status}, by ${found.decidedBy ?? 'someone else'}): your decision was not applied — look again (R-OP-4)`,
      details,
    );
  return new PayoutError(
    'PAYOUT_BAD_TRANSITION',
    `批次 ${batchId} 现为${zhStatus[found.status]}，不能再${decision === 'hold' ? '暂缓' : '执行此操作'} / ` +
      `batch ${batchId} is ${found.status}: it cannot be ${BATCH_TO[decision]} now`,
    details,
  );
}

export interface DecisionInput {
  batchId: number;
  /** one line (the partner's), or the whole batch */
  partnerId?: string;
  decision: Decision;
  reason: string;
  actor: Actor;
  /** the batch's revision the decider saw; default: the revision now (read just before) */
  expectedRevision?: number;
  now?: number;
}

/** The content an approved batch is fixed to (R-PAY-3): its approved lines and payees. */
export async function contentChecksum(db: Db, batchId: number, cycleKey: string): Promise<string> {
  const lines = await db
    .selectFrom('payout_lines')
    .select(['partner_id', 'amount_fen', 'payee_account', 'payee_name', 'payee_bank'])
    .where('batch_id', '=', batchId)
    .where('status', 'in', ['approved', 'paid', 'failed'])
    .orderBy('partner_id')
    .execute();
  return sha256(
    JSON.stringify([
      batchId,
      cycleKey,
      lines.map((l) => [l.partner_id, l.amount_fen, l.payee_account, l.payee_name, l.payee_bank]),
    ]),
  );
}

/**
 * R-BL-1: a line of a partner blacklisted at `now` is never approved, nor a batch holding one
 * pending or approved — blacklisted after the batch was prepared (its lines were due then): the
 * approver holds or rejects it first, with a reason.
 */
async function refuseBlacklisted(db: Db, batchId: number, partnerIds: string[], now: number): Promise<void> {
  const frozen = [...(await blacklistedAt(db, partnerIds, now))].sort();
  if (frozen.length === 0) return;
  const list = frozen.slice(0, 5).join(', ');
  const more = frozen.length - 5;
  const many = frozen.length > 1;
  throw new PayoutError(
    'PAYOUT_PARTNER_BLACKLISTED',
    `云客 ${list}${more > 0 ? ` 等 ${frozen.length} 位` : ''} 已被列入黑名单，返利冻结，不能审批；请先暂缓或驳回其明细（R-BL-1） / ` +
      `${many ? 'partners' : 'partner'} ${list}${more > 0 ? ` and ${more} more` : ''} ${many ? 'are' : 'is'} blacklisted: the rewards are frozen and cannot be approved — hold or reject ${many ? 'their lines' : 'the line'} first (R-BL-1)`,
    { batchId, partnerIds: frozen },
  );
}

/**
 * R-PAY-2 / R-OP-4: approve, reject or hold a whole batch or one of its lines, with who, when
 * and why; never by the preparer; one guarded statement decides (see the file's comment).
 * Approving a batch approves its pending lines (held and rejected lines stay out of it) and
 * fixes its content checksum (R-PAY-3).
 */
export async function decide(db: Kysely<Database>, input: DecisionInput): Promise<DecisionResult> {
  const now = input.now ?? Date.now();
  const reason = requireReason(input.reason);
  const op = input.actor.operatorId;
  let seen = input.expectedRevision;
  if (seen === undefined) {
    const b = await foundState(db, input.batchId);
    if (!b) throw noSuchBatch(input.batchId);
    seen = b.revision;
  }
  const line = input.partnerId ?? null;
  const from = line === null ? BATCH_FROM[input.decision] : OPEN;
  let guardFailed = false;
  try {
    return await db.transaction().execute(async (trx) => {
      const batchDecision =
        line === null && input.decision !== 'approve'
          ? {
              status: BATCH_TO[input.decision],
              decided_by: op,
              decided_at: now,
              decision_reason: reason,
            }
          : {};
      // the guarded statement: zero rows = refused (R-OP-4)
      const guard = await trx
        .updateTable('payout_batches')
        .set((eb) => ({ revision: eb('revision', '+', 1), ...batchDecision }))
        .where('batch_id', '=', input.batchId)
        .where('status', 'in', from)
        .where('prepared_by', '<>', op)
        .where('revision', '=', seen)
        .executeTakeFirst();
      if (Number(guard.numUpdatedRows) !== 1) {
        guardFailed = true;
        throw new Error('refused');
      }
      const batch = await trx
        .selectFrom('payout_batches')
        .select(['cycle_key', 'status', 'revision'])
        .where('batch_id', '=', input.batchId)
        .executeTakeFirstOrThrow();
      let lineStatus: PayoutLineStatus | null = null;
      let before: unknown = { revision: seen };
      const result: DecisionResult = {
        batchId: input.batchId,
        partnerId: line,
        decision: input.decision,
        batchStatus: batch.status,
        lineStatus: null,
        revision: batch.revision,
        checksum: null,
        approvedLines: null,
        approvedFen: null,
      };
      if (line !== null) {
        const old = await trx
          .selectFrom('payout_lines')
          .select(['line_id', 'status', 'hold_code', 'amount_fen'])
          .where('batch_id', '=', input.batchId)
          .where('partner_id', '=', line)
          .executeTakeFirst();
        if (!old)
          throw new PayoutError(
            'PAYOUT_NO_SUCH_LINE',
            `批次 ${input.batchId} 中没有云客 ${line} / batch ${input.batchId} has no line for partner ${line}`,
            { batchId: input.batchId, partnerId: line },
          );
        if (input.decision === 'approve' && old.hold_code === MISSING_PAYEE)
          throw new PayoutError(
            'PAYOUT_MISSING_PAYEE',
            `云客 ${line} 没有收款信息（MISSING_PAYEE），不能审批；导入收款信息后在下一批次发放 / ` +
              `partner ${line} has no payee details (MISSING_PAYEE) and cannot be approved: import them, the amount goes into a later batch`,
            { batchId: input.batchId, partnerId: line },
          );
        if (input.decision === 'approve') await refuseBlacklisted(trx, input.batchId, [line], now);
        const to = LINE_TO[input.decision];
        const r = await trx
          .updateTable('payout_lines')
          .set({ status: to, decided_by: op, decided_at: now, decision_reason: reason })
          .where('line_id', '=', old.line_id)
          .where('status', '=', old.status)
          .where('status', '<>', to)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1)
          throw new PayoutError(
            'PAYOUT_BAD_TRANSITION',
            `云客 ${line} 的明细已是${zhStatus[old.status]} / the line of partner ${line} is ${old.status} already`,
            { batchId: input.batchId, partnerId: line, found: old.status },
          );
        lineStatus = to;
        result.lineStatus = to;
        before = { revision: seen, line: { partnerId: line, status: old.status, amountFen: old.amount_fen } };
      } else if (input.decision === 'approve') {
        // the lines the approval pays: pending ones, and those approved one by one before it
        const paying = await trx
          .selectFrom('payout_lines')
          .select('partner_id')
          .where('batch_id', '=', input.batchId)
          .where('status', 'in', ['pending', 'approved'])
          .execute();
        await refuseBlacklisted(
          trx,
          input.batchId,
          paying.map((l) => l.partner_id),
          now,
        );
        await trx
          .updateTable('payout_lines')
          .set({ status: 'approved', decided_by: op, decided_at: now, decision_reason: reason })
          .where('batch_id', '=', input.batchId)
          .where('status', '=', 'pending')
          .execute();
        const totals = await trx
          .selectFrom('payout_lines')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('fen')])
          .where('batch_id', '=', input.batchId)
          .where('status', '=', 'approved')
          .executeTakeFirstOrThrow();
        const checksum = await contentChecksum(trx, input.batchId, batch.cycle_key);
        await trx
          .updateTable('payout_batches')
          .set({
            status: 'approved',
            decided_by: op,
            decided_at: now,
            decision_reason: reason,
            checksum,
            approved_lines: Number(totals.n),
            approved_fen: Number(totals.fen ?? 0),
          })
          .where('batch_id', '=', input.batchId)
          .execute();
        result.batchStatus = 'approved';
        result.checksum = checksum;
        result.approvedLines = Number(totals.n);
        result.approvedFen = Number(totals.fen ?? 0);
      }
      await appendAudit(
        trx,
        {
          actor: input.actor,
          action: `payout.${line === null ? 'batch' : 'line'}.${input.decision}`,
          entity: 'payout_batch',
          entityId: String(input.batchId),
          reason,
          before,
          after: {
            status: result.batchStatus,
            revision: result.revision,
            ...(line !== null ? { line: { partnerId: line, status: lineStatus } } : {}),
            ...(result.checksum
              ? {
                  checksum: result.checksum,
                  approvedLines: result.approvedLines,
                  approvedFen: result.approvedFen,
                }
              : {}),
          },
        },
        now,
      );
      return result;
    });
  } catch (e) {
    if (!guardFailed) throw e;
    throw refusal(await foundState(db, input.batchId), input.batchId, input.decision, op, seen);
  }
}

/**
 * R-PAY-3: marking approved lines paid is recorded (who, when): every approved line of the batch,
 * or those of some partners (each must have an approved line, else nothing is marked).
 */
export async function markPaid(
  db: Kysely<Database>,
  input: { batchId: number; partnerIds?: string[]; actor: Actor; reason?: string; now?: number },
): Promise<{ paid: number; paidFen: number }> {
  const now = input.now ?? Date.now();
  const named = input.partnerIds ? [...new Set(input.partnerIds)] : null;
  if (named && named.length === 0)
    throw new PayoutError('PAYOUT_NOTHING_TO_MARK', '请指定云客 / name the partners to mark paid');
  const found = await foundState(db, input.batchId);
  if (!found) throw noSuchBatch(input.batchId);
  if (found.status !== 'approved')
    throw new PayoutError(
      'PAYOUT_NOT_APPROVED',
      `批次 ${input.batchId} 尚未审批（${zhStatus[found.status]}） / batch ${input.batchId} is not approved (${found.status})`,
      { batchId: input.batchId, found },
    );
  return db.transaction().execute(async (trx) => {
    // first statement: the write; only approved lines of an approved batch move (the store's
    // triggers allow nothing else after approval)
    const marked = await trx
      .updateTable('payout_lines')
      .set({ status: 'paid', paid_by: input.actor.operatorId, paid_at: now })
      .where('batch_id', '=', input.batchId)
      .where('status', '=', 'approved')
      .$if(named !== null, (qb) => qb.where('partner_id', 'in', named!))
      .returning(['partner_id', 'amount_fen'])
      .execute();
    const n = marked.length;
    if (named) {
      const lines = await trx
        .selectFrom('payout_lines')
        .select(['partner_id', 'status'])
        .where('batch_id', '=', input.batchId)
        .where('partner_id', 'in', named)
        .execute();
      const notMarked = named.filter((pid) => !marked.some((l) => l.partner_id === pid));
      if (notMarked.length > 0)
        throw new PayoutError(
          'PAYOUT_NOT_PAYABLE',
          `这些云客在批次 ${input.batchId} 中没有已审批未支付的明细：${notMarked.join('、')} / ` +
            `no approved, unpaid line in batch ${input.batchId} for: ${notMarked.join(', ')}`,
          {
            batchId: input.batchId,
            partners: notMarked.map((pid) => ({
              partnerId: pid,
              status: lines.find((l) => l.partner_id === pid)?.status ?? null,
            })),
          },
        );
    } else if (n === 0)
      throw new PayoutError(
        'PAYOUT_NOTHING_TO_MARK',
        `批次 ${input.batchId} 没有已审批未支付的明细 / batch ${input.batchId} has no approved line left to mark paid`,
        { batchId: input.batchId },
      );
    const paidFen = marked.reduce((s, l) => s + l.amount_fen, 0);
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'payout.markPaid',
        entity: 'payout_batch',
        entityId: String(input.batchId),
        reason: input.reason?.trim() || null,
        after: { lines: n, paidFen, partners: named ?? 'all' },
      },
      now,
    );
    return { paid: n, paidFen };
  });
}
