/**
 * 返利发放: payout batches, prepared from the engine's payout amounts and decided offline by
 * finance under maker–checker (R-PAY-1..3). Domain queries go through Kysely (portable).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { Database } from '../store/database';

type Db = Kysely<Database> | Transaction<Database>;

export class PayoutError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type Decision = 'approved' | 'rejected' | 'held';

async function audit(
  db: Db,
  e: {
    at: number;
    actor: Actor;
    action: string;
    entityId: string;
    reason?: string | null;
    details?: unknown;
  },
) {
  await appendAudit(
    db,
    {
      actor: e.actor,
      action: e.action,
      entity: 'payout_batch',
      entityId: e.entityId,
      reason: e.reason ?? null,
      after: e.details ?? {},
    },
    e.at,
  );
}

async function batchOf(db: Db, batchId: number) {
  const batch = await db
    .selectFrom('payout_batches')
    .selectAll()
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  if (!batch)
    throw new PayoutError('PAYOUT_NO_SUCH_BATCH', `no payout batch ${batchId} / 没有返利批次 ${batchId}`);
  return batch;
}

function requireReason(reason: string | undefined | null, what: string): string {
  const r = reason?.trim();
  if (!r) throw new PayoutError('PAYOUT_REASON_REQUIRED', `${what} needs a reason / ${what} 需要填写原因`);
  return r;
}

/**
 * R-PAY-1: a batch covers one cycle: per partner, the engine's amount for that cycle
 * (confirmed rebates minus carried negative balances, capped by R-REB-2), for partners not
 * blacklisted (R-BL-1). Taken from the latest engine run, whose config version and as-of it records.
 */
export async function prepareBatch(
  db: Kysely<Database>,
  input: { cycleKey: string; actor: Actor; now?: number },
): Promise<{ batchId: number; lines: number; totalFen: number }> {
  const now = input.now ?? Date.now();
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('engine_runs')
      .select(['config_version', 'as_of'])
      .orderBy('run_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!run) throw new PayoutError('PAYOUT_NO_ENGINE_RUN', 'run the rule engine first / 请先运行规则引擎');
    const open = await trx
      .selectFrom('payout_batches')
      .select('batch_id')
      .where('cycle_key', '=', input.cycleKey)
      .where('status', '!=', 'rejected')
      .executeTakeFirst();
    if (open)
      throw new PayoutError(
        'PAYOUT_CYCLE_HAS_BATCH',
        `cycle ${input.cycleKey} already has batch ${open.batch_id} / 周期 ${input.cycleKey} 已有批次 ${open.batch_id}`,
        { batchId: open.batch_id },
      );
    const due = await trx
      .selectFrom('result_payouts as p')
      .innerJoin('result_partners as r', 'r.partner_id', 'p.partner_id')
      .select([
        'p.partner_id',
        'p.cycle_start',
        'p.cycle_end',
        'p.confirmed_fen',
        'p.carried_fen',
        'p.amount_fen',
      ])
      .where('p.cycle_key', '=', input.cycleKey)
      .where('p.status', '=', 'due')
      .where('p.amount_fen', '>', 0)
      .where('r.blacklisted', '=', 0)
      .orderBy('p.partner_id')
      .execute();
    if (due.length === 0)
      throw new PayoutError(
        'PAYOUT_NOTHING_DUE',
        `nothing is due for cycle ${input.cycleKey} / 周期 ${input.cycleKey} 没有应发返利`,
      );
    const batch = await trx
      .insertInto('payout_batches')
      .values({
        cycle_key: input.cycleKey,
        cycle_start: due[0].cycle_start,
        cycle_end: due[0].cycle_end,
        status: 'draft',
        config_version: run.config_version,
        as_of: run.as_of,
        prepared_by: input.actor.operatorId,
        prepared_at: now,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        checksum: null,
      })
      .returning('batch_id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('payout_lines')
      .values(
        due.map((d) => ({
          batch_id: batch.batch_id,
          partner_id: d.partner_id,
          confirmed_fen: d.confirmed_fen,
          carried_negative_fen: Math.min(0, d.carried_fen),
          amount_fen: d.amount_fen,
          status: 'pending' as const,
          decided_by: null,
          decided_at: null,
          decision_reason: null,
          paid_by: null,
          paid_at: null,
        })),
      )
      .execute();
    const totalFen = due.reduce((s, d) => s + d.amount_fen, 0);
    await audit(trx, {
      at: now,
      actor: input.actor,
      action: 'payout.prepare',
      entityId: String(batch.batch_id),
      details: { cycleKey: input.cycleKey, lines: due.length, totalFen },
    });
    return { batchId: batch.batch_id, lines: due.length, totalFen };
  });
}

/** R-PAY-2: whoever prepared a batch cannot decide on it or on its lines. */
function checkChecker(batch: { prepared_by: string; batch_id: number }, operatorId: string) {
  if (batch.prepared_by === operatorId)
    throw new PayoutError(
      'PAYOUT_MAKER_CHECKER',
      `${operatorId} prepared batch ${batch.batch_id} and cannot approve it (maker–checker, R-PAY-2) / 批次制单人不能审批自己的批次`,
    );
}

/** R-PAY-3: an approved batch is immutable. */
function checkOpen(batch: { status: string; batch_id: number }) {
  if (batch.status === 'approved' || batch.status === 'rejected')
    throw new PayoutError(
      'PAYOUT_BATCH_CLOSED',
      `batch ${batch.batch_id} is ${batch.status} and can no longer change (R-PAY-3) / 批次已${batch.status === 'approved' ? '审批' : '驳回'}，不可再修改`,
    );
}

/** R-PAY-2: approve, reject or hold one line, with who, when and why. */
export async function decideLine(
  db: Kysely<Database>,
  input: { lineId: number; decision: Decision; actor: Actor; reason?: string; now?: number },
): Promise<void> {
  const now = input.now ?? Date.now();
  await db.transaction().execute(async (trx) => {
    const line = await trx
      .selectFrom('payout_lines')
      .selectAll()
      .where('line_id', '=', input.lineId)
      .executeTakeFirst();
    if (!line)
      throw new PayoutError(
        'PAYOUT_NO_SUCH_LINE',
        `no payout line ${input.lineId} / 没有发放明细 ${input.lineId}`,
      );
    const batch = await batchOf(trx, line.batch_id);
    checkOpen(batch);
    checkChecker(batch, input.actor.operatorId);
    const reason =
      input.decision === 'approved'
        ? (input.reason?.trim() ?? null)
        : requireReason(input.reason, input.decision);
    await trx
      .updateTable('payout_lines')
      .set({
        status: input.decision,
        decided_by: input.actor.operatorId,
        decided_at: now,
        decision_reason: reason,
      })
      .where('line_id', '=', input.lineId)
      .execute();
    await audit(trx, {
      at: now,
      actor: input.actor,
      action: `payout.line.${input.decision}`,
      entityId: String(batch.batch_id),
      reason,
      details: { lineId: line.line_id, partnerId: line.partner_id, amountFen: line.amount_fen },
    });
  });
}

/** The bank file of a batch: approved lines only, amounts in yuan with 2 decimals. */
async function bankFile(db: Db, batchId: number): Promise<string> {
  const lines = await db
    .selectFrom('payout_lines as l')
    .leftJoin('partners as p', 'p.partner_id', 'l.partner_id')
    .select(['l.line_id', 'l.partner_id', 'p.name', 'p.phone', 'l.amount_fen'])
    .where('l.batch_id', '=', batchId)
    .where('l.status', 'in', ['approved', 'paid'])
    .orderBy('l.line_id')
    .execute();
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
  const rows = lines.map((l) =>
    [String(batchId), String(l.line_id), l.partner_id, l.name ?? '', l.phone ?? '', yuan(l.amount_fen)]
      .map(cell)
      .join(','),
  );
  return ['batch_id,line_id,partner_id,name,phone,amount_yuan', ...rows].join('\r\n') + '\r\n';
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * R-PAY-2 / R-PAY-3: decide a whole batch. Approving approves its pending lines, freezes the
 * batch and records the checksum of its bank file; rejecting and holding need a reason.
 */
export async function decideBatch(
  db: Kysely<Database>,
  input: { batchId: number; decision: Decision; actor: Actor; reason?: string; now?: number },
): Promise<{ status: Decision; checksum: string | null }> {
  const now = input.now ?? Date.now();
  return db.transaction().execute(async (trx) => {
    const batch = await batchOf(trx, input.batchId);
    checkOpen(batch);
    checkChecker(batch, input.actor.operatorId);
    const reason =
      input.decision === 'approved'
        ? (input.reason?.trim() ?? null)
        : requireReason(input.reason, input.decision);
    let checksum: string | null = null;
    if (input.decision === 'approved') {
      await trx
        .updateTable('payout_lines')
        .set({ status: 'approved', decided_by: input.actor.operatorId, decided_at: now })
        .where('batch_id', '=', input.batchId)
        .where('status', '=', 'pending')
        .execute();
      checksum = sha256(await bankFile(trx, input.batchId));
    }
    await trx
      .updateTable('payout_batches')
      .set({
        status: input.decision,
        decided_by: input.actor.operatorId,
        decided_at: now,
        decision_reason: reason,
        checksum,
      })
      .where('batch_id', '=', input.batchId)
      .execute();
    await audit(trx, {
      at: now,
      actor: input.actor,
      action: `payout.batch.${input.decision}`,
      entityId: String(input.batchId),
      reason,
      details: { checksum },
    });
    return { status: input.decision, checksum };
  });
}

/**
 * R-PAY-3: the export of an approved batch for the bank/finance system, with its checksum.
 * The file is rebuilt from the store and must match the checksum recorded at approval.
 */
export async function exportBatch(
  db: Kysely<Database>,
  batchId: number,
): Promise<{ csv: string; checksum: string }> {
  const batch = await batchOf(db, batchId);
  if (batch.status !== 'approved' || !batch.checksum)
    throw new PayoutError(
      'PAYOUT_NOT_APPROVED',
      `batch ${batchId} is not approved / 批次 ${batchId} 尚未审批`,
    );
  const csv = await bankFile(db, batchId);
  const checksum = sha256(csv);
  if (checksum !== batch.checksum)
    throw new PayoutError(
      'PAYOUT_TAMPERED',
      `batch ${batchId} no longer matches the checksum recorded at approval / 批次内容与审批时的校验值不符`,
      { recorded: batch.checksum, now: checksum },
    );
  return { csv, checksum };
}

/** R-PAY-3: marking lines paid is recorded (who, when); only approved lines of approved batches. */
export async function markPaid(
  db: Kysely<Database>,
  input: { batchId: number; lineIds?: number[]; actor: Actor; now?: number },
): Promise<number> {
  const now = input.now ?? Date.now();
  return db.transaction().execute(async (trx) => {
    const batch = await batchOf(trx, input.batchId);
    if (batch.status !== 'approved')
      throw new PayoutError(
        'PAYOUT_NOT_APPROVED',
        `batch ${input.batchId} is not approved / 批次 ${input.batchId} 尚未审批`,
      );
    let q = trx
      .updateTable('payout_lines')
      .set({ status: 'paid', paid_by: input.actor.operatorId, paid_at: now })
      .where('batch_id', '=', input.batchId)
      .where('status', '=', 'approved');
    if (input.lineIds) q = q.where('line_id', 'in', input.lineIds.length ? input.lineIds : [-1]);
    const r = await q.executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    await audit(trx, {
      at: now,
      actor: input.actor,
      action: 'payout.markPaid',
      entityId: String(input.batchId),
      details: { lines: n, lineIds: input.lineIds ?? 'all' },
    });
    return n;
  });
}
