/**
 * What the payout screens read: cycles with what the engine says is due and their batches, the
 * amounts a batch of a cycle would hold now, batches and their lines page by page, exports.
 * Portable Kysely.
 */
import type { Kysely } from 'kysely';
import type {
  PayoutBatchDetailView,
  PayoutBatchView,
  PayoutCycleView,
  PayoutDueView,
  PayoutExportView,
  PayoutLineStatusView,
} from '../api/methods/payouts.contract';
import { cycleFromKey } from '../rules/time';
import type { Database } from '../store/database';
import { cycleDue } from './due';
import { PayoutError } from './errors';

type Db = Kysely<Database>;

const CHUNK = 400;

/** Every cycle the engine has rows for or a batch was prepared for, newest first. */
export async function listCycles(db: Db): Promise<PayoutCycleView[]> {
  const run = await db
    .selectFrom('engine_runs')
    .select('as_of')
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const rows = await db
    .selectFrom('result_payouts')
    .select([
      'cycle_key',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>('amount_fen').as('amount'),
      (eb) => eb.fn.sum<number>('paid_fen').as('paid'),
    ])
    .where('amount_fen', '>', 0)
    .groupBy(['cycle_key', 'status'])
    .execute();
  const closed = await db
    .selectFrom('result_payouts')
    .select([
      'cycle_key',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>('paid_fen').as('paid'),
    ])
    .where('status', '=', 'closed')
    .groupBy('cycle_key')
    .execute();
  const batches = await db
    .selectFrom('payout_batches as b')
    .leftJoin('payout_lines as l', (j) =>
      j.onRef('l.batch_id', '=', 'b.batch_id').on('l.status', '=', 'paid'),
    )
    .select([
      'b.batch_id',
      'b.cycle_key',
      'b.status',
      'b.lines',
      'b.total_fen',
      (eb) => eb.fn.count<number>('l.line_id').as('paid_lines'),
    ])
    .groupBy(['b.batch_id', 'b.cycle_key', 'b.status', 'b.lines', 'b.total_fen'])
    .orderBy('b.batch_id')
    .execute();
  const keys = new Set<string>([
    ...rows.map((r) => r.cycle_key),
    ...closed.map((r) => r.cycle_key),
    ...batches.map((b) => b.cycle_key),
  ]);
  const out: PayoutCycleView[] = [];
  for (const key of keys) {
    const c = cycleFromKey(key);
    if (!c) continue;
    const sum = (status: string) => {
      const r = rows.find((x) => x.cycle_key === key && x.status === status);
      return { partners: Number(r?.n ?? 0), fen: Number(r?.amount ?? 0) };
    };
    const cl = closed.find((x) => x.cycle_key === key);
    out.push({
      cycleKey: key,
      kind: c.kind,
      start: c.start,
      end: c.end,
      over: run ? c.end <= run.as_of : false,
      due: sum('due'),
      open: sum('open'),
      closed: { partners: Number(cl?.n ?? 0), fen: Number(cl?.paid ?? 0) },
      batches: batches
        .filter((b) => b.cycle_key === key)
        .map((b) => ({
          batchId: b.batch_id,
          status: b.status,
          lines: b.lines,
          totalFen: b.total_fen,
          paidLines: Number(b.paid_lines),
        })),
    });
  }
  return out.sort((a, b) => b.start - a.start || (a.cycleKey < b.cycleKey ? 1 : -1));
}

/** R-PAY-1: what a batch of the cycle would hold if prepared now (nothing is written). */
export async function dueView(
  db: Db,
  input: { cycleKey: string; offset: number; limit: number },
  now = Date.now(),
): Promise<PayoutDueView> {
  const due = await cycleDue(db, input.cycleKey, now);
  const page = due.lines.slice(input.offset, input.offset + input.limit);
  const all = due.lines.map((l) => l.partnerId);
  const info = new Map<string, { name: string | null; payee: boolean }>();
  for (let i = 0; i < all.length; i += CHUNK)
    for (const p of await db
      .selectFrom('partners')
      .select(['partner_id', 'name', 'payee_account', 'payee_name', 'payee_bank'])
      .where('partner_id', 'in', all.slice(i, i + CHUNK))
      .execute())
      info.set(p.partner_id, {
        name: p.name,
        payee: !!(p.payee_account?.trim() && p.payee_name?.trim() && p.payee_bank?.trim()),
      });
  const missing = { lines: 0, fen: 0 };
  for (const l of due.lines)
    if (!info.get(l.partnerId)?.payee) {
      missing.lines++;
      missing.fen += l.amountFen;
    }
  return {
    cycleKey: due.cycle.key,
    asOf: due.run.asOf,
    runId: due.run.runId,
    lines: page.map((l) => ({
      ...l,
      partnerName: info.get(l.partnerId)?.name ?? null,
      hasPayee: info.get(l.partnerId)?.payee ?? false,
    })),
    total: due.lines.length,
    totalFen: due.lines.reduce((s, l) => s + l.amountFen, 0),
    missingPayee: missing,
    frozen: due.frozen,
  };
}

type BatchRow = Awaited<ReturnType<typeof batchRows>>[number];
function batchRows(db: Db, filter: { batchId?: number; cycleKey?: string; status?: string }) {
  let q = db.selectFrom('payout_batches').selectAll().orderBy('batch_id', 'desc');
  if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
  if (filter.cycleKey) q = q.where('cycle_key', '=', filter.cycleKey);
  if (filter.status) q = q.where('status', '=', filter.status as PayoutBatchView['status']);
  return q.execute();
}

async function batchViews(db: Db, rows: BatchRow[]): Promise<PayoutBatchView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.batch_id);
  const counts = await db
    .selectFrom('payout_lines')
    .select([
      'batch_id',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>('amount_fen').as('fen'),
    ])
    .where('batch_id', 'in', ids)
    .groupBy(['batch_id', 'status'])
    .execute();
  return rows.map((b) => ({
    batchId: b.batch_id,
    cycleKey: b.cycle_key,
    cycleStart: b.cycle_start,
    cycleEnd: b.cycle_end,
    status: b.status,
    revision: b.revision,
    configVersion: b.config_version,
    asOf: b.as_of,
    runId: b.run_id,
    preparedBy: b.prepared_by,
    preparedAt: b.prepared_at,
    lines: b.lines,
    totalFen: b.total_fen,
    frozenPartners: b.frozen_partners,
    frozenFen: b.frozen_fen,
    decidedBy: b.decided_by,
    decidedAt: b.decided_at,
    decisionReason: b.decision_reason,
    checksum: b.checksum,
    approvedLines: b.approved_lines,
    approvedFen: b.approved_fen,
    byStatus: counts
      .filter((c) => c.batch_id === b.batch_id)
      .map((c) => ({ status: c.status as PayoutLineStatusView, lines: Number(c.n), fen: Number(c.fen ?? 0) }))
      .sort((x, y) => (x.status < y.status ? -1 : 1)),
  }));
}

export async function listBatches(
  db: Db,
  filter: { cycleKey?: string; status?: string },
): Promise<PayoutBatchView[]> {
  return batchViews(db, await batchRows(db, filter));
}

export async function batchDetail(
  db: Db,
  input: { batchId: number; status?: string; partnerId?: string; offset: number; limit: number },
): Promise<PayoutBatchDetailView> {
  const [batch] = await batchViews(db, await batchRows(db, { batchId: input.batchId }));
  if (!batch)
    throw new PayoutError(
      'PAYOUT_NO_SUCH_BATCH',
      `没有返利批次 ${input.batchId} / no payout batch ${input.batchId}`,
      {
        batchId: input.batchId,
      },
    );
  let q = db
    .selectFrom('payout_lines as l')
    .leftJoin('partners as p', 'p.partner_id', 'l.partner_id')
    .where('l.batch_id', '=', input.batchId);
  if (input.status) q = q.where('l.status', '=', input.status as PayoutLineStatusView);
  if (input.partnerId) q = q.where('l.partner_id', '=', input.partnerId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const lines = await q
    .select([
      'l.line_id',
      'l.partner_id',
      'p.name',
      'l.confirmed_fen',
      'l.capped_fen',
      'l.carried_fen',
      'l.amount_fen',
      'l.payee_account',
      'l.payee_name',
      'l.payee_bank',
      'l.status',
      'l.hold_code',
      'l.decided_by',
      'l.decided_at',
      'l.decision_reason',
      'l.paid_by',
      'l.paid_at',
      'l.bank_note',
    ])
    .orderBy('l.partner_id')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  const exports = await db
    .selectFrom('payout_exports')
    .selectAll()
    .where('batch_id', '=', input.batchId)
    .orderBy('export_id', 'desc')
    .execute();
  return {
    batch,
    total: Number(total.n),
    lines: lines.map((l) => ({
      lineId: l.line_id,
      partnerId: l.partner_id,
      partnerName: l.name,
      confirmedFen: l.confirmed_fen,
      cappedFen: l.capped_fen,
      carriedFen: l.carried_fen,
      amountFen: l.amount_fen,
      payeeAccount: l.payee_account,
      payeeName: l.payee_name,
      payeeBank: l.payee_bank,
      status: l.status,
      holdCode: l.hold_code,
      decidedBy: l.decided_by,
      decidedAt: l.decided_at,
      decisionReason: l.decision_reason,
      paidBy: l.paid_by,
      paidAt: l.paid_at,
      bankNote: l.bank_note,
    })),
    exports: exports.map((e): PayoutExportView => ({
      exportId: e.export_id,
      format: e.format,
      layout: e.layout,
      sha256: e.sha256,
      rows: e.rows,
      totalFen: e.total_fen,
      bytes: e.bytes,
      exportedBy: e.exported_by,
      exportedAt: e.exported_at,
    })),
  };
}
