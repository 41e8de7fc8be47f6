/**
 * 返利发放: payout cycles and batches (R-PAY-1..3, R-OP-4), the partner statement of a cycle,
 * and the dashboard's trends. R-OP-1: admins and finance prepare; only finance approves, rejects,
 * holds, exports and marks paid — never the preparer (R-PAY-2), with the PIN where one is set
 * (R-OP-4); everyone reads. No Node imports: the renderer imports these types.
 */
import { z } from 'zod';
import { method, READERS } from '../define';
import { confirmPin, instantField, reason } from '../fields';

export type PayoutBatchStatusView = 'draft' | 'approved' | 'rejected' | 'held';
export type PayoutLineStatusView = 'pending' | 'approved' | 'rejected' | 'held' | 'paid' | 'failed';
export type PayoutDecisionView = 'approve' | 'reject' | 'hold';

export interface PrepareResult {
  batchId: number;
  cycleKey: string;
  lines: number;
  totalFen: number;
  /** lines held at once because the partner gave no payee details (MISSING_PAYEE) */
  missingPayee: { lines: number; fen: number };
  /** R-BL-1: blacklisted partners left out, and their frozen rebates of the cycle */
  frozen: { partners: number; fen: number };
  runId: number;
  asOf: number;
  configVersion: number;
}

export interface DecisionResult {
  batchId: number;
  /** a line's partner, or null for the whole batch */
  partnerId: string | null;
  decision: PayoutDecisionView;
  batchStatus: PayoutBatchStatusView;
  lineStatus: PayoutLineStatusView | null;
  /** the batch's revision after the decision (the next decision names it) */
  revision: number;
  /** approval: the content checksum fixed (R-PAY-3) and what was approved */
  checksum: string | null;
  approvedLines: number | null;
  approvedFen: number | null;
}

export interface PayoutExportView {
  exportId: number;
  format: 'csv' | 'xlsx';
  layout: 'bank' | 'generic';
  sha256: string;
  rows: number;
  totalFen: number;
  bytes: number;
  exportedBy: string;
  exportedAt: number;
}

export interface PayoutBatchView {
  batchId: number;
  cycleKey: string;
  cycleStart: number;
  cycleEnd: number;
  status: PayoutBatchStatusView;
  /** name it in a decision (`expectedRevision`): a batch changed since is refused, not overwritten */
  revision: number;
  configVersion: number;
  asOf: number;
  runId: number;
  preparedBy: string;
  preparedAt: number;
  lines: number;
  totalFen: number;
  frozenPartners: number;
  frozenFen: number;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  checksum: string | null;
  approvedLines: number | null;
  approvedFen: number | null;
  /** lines and fen per line status */
  byStatus: { status: PayoutLineStatusView; lines: number; fen: number }[];
}

export interface PayoutLineView {
  lineId: number;
  partnerId: string;
  partnerName: string | null;
  confirmedFen: number;
  cappedFen: number;
  /** carried in from earlier cycles: negative for a clawed-back balance (R-CLAW-3) */
  carriedFen: number;
  amountFen: number;
  payeeAccount: string | null;
  payeeName: string | null;
  payeeBank: string | null;
  status: PayoutLineStatusView;
  /** MISSING_PAYEE: held at preparation */
  holdCode: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  paidBy: string | null;
  paidAt: number | null;
  bankNote: string | null;
}

export interface PayoutBatchDetailView {
  batch: PayoutBatchView;
  lines: PayoutLineView[];
  /** lines matching the filter (the page holds at most `limit`) */
  total: number;
  exports: PayoutExportView[];
}

/** A payout cycle (R-LVL-1 calendar): what the engine says is due, and its batches. */
export interface PayoutCycleView {
  cycleKey: string;
  kind: 'monthly' | 'semi-monthly' | 'weekly';
  start: number;
  end: number;
  /** the cycle had ended at the engine's as-of */
  over: boolean;
  /** the engine's rows of the cycle at its last run (before any batch of this run) */
  due: { partners: number; fen: number };
  open: { partners: number; fen: number };
  closed: { partners: number; fen: number };
  batches: {
    batchId: number;
    status: PayoutBatchStatusView;
    lines: number;
    totalFen: number;
    paidLines: number;
  }[];
}

export interface PayoutDueLineView {
  partnerId: string;
  partnerName: string | null;
  confirmedFen: number;
  cappedFen: number;
  carriedFen: number;
  amountFen: number;
  /** all three payee details given; else the line would be held (MISSING_PAYEE) */
  hasPayee: boolean;
}

export interface PayoutDueView {
  cycleKey: string;
  asOf: number;
  runId: number;
  lines: PayoutDueLineView[];
  total: number;
  totalFen: number;
  missingPayee: { lines: number; fen: number };
  frozen: { partners: number; fen: number };
}

export interface PayoutFileView {
  fileName: string;
  /** the file's bytes, base64 */
  contentBase64: string;
  sha256: string;
  rows: number;
  totalFen: number;
  bytes: number;
}

export interface BankResultProblemView {
  line: number | null;
  column: string | null;
  code: string;
  message: string;
}

export interface BankResultView {
  batchId: number;
  rows: number;
  paid: number;
  failed: number;
  unchanged: number;
  notInFile: number;
  problems: BankResultProblemView[];
  matches: {
    line: number;
    partnerId: string;
    account: string;
    amountFen: number;
    outcome: 'paid' | 'failed';
    note: string | null;
    current: PayoutLineStatusView;
  }[];
}

/** One order of a partner statement, with the level and ratio at its time (R-LVL-3). */
export interface StatementOrderView {
  orderId: string;
  customerId: string;
  orderedAt: number;
  paidFen: number;
  /** after refunds inside the clawback window (R-CLAW-1) */
  netFen: number;
  level: string | null;
  ratioBp: number | null;
  grossRebateFen: number;
  cappedFen: number;
  rebateFen: number;
  rebateStatus: string | null;
  confirmAt: number | null;
  refunds: { refundId: string; kind: string; amountFen: number; at: number; counted: boolean }[];
}

/** 对账单: how a partner's payout for one cycle was computed, as data (the screen prints it). */
export interface PartnerStatementView {
  partnerId: string;
  partnerName: string | null;
  cycleKey: string;
  cycleStart: number;
  cycleEnd: number;
  asOf: number | null;
  configVersion: number | null;
  /** level and cap in force for the cycle's rebates (R-REB-2): the cap of each order's level */
  caps: { level: string; capFen: number; filledFen: number; cappedFen: number }[];
  orders: StatementOrderView[];
  totals: {
    grossRebateFen: number;
    cappedFen: number;
    rebateFen: number;
    /** clawed back inside the window (R-CLAW-1): gross on the paid amount minus gross on the net */
    clawedFen: number;
    frozenFen: number;
    pendingFen: number;
    confirmedFen: number;
  };
  /** the engine's row of the cycle: carried in (R-CLAW-3), paid before, amount */
  payout: {
    confirmedFen: number;
    paidFen: number;
    carriedFen: number;
    amountFen: number;
    status: 'open' | 'due' | 'closed';
  } | null;
  /** the partner's earlier cycles, oldest first: where a carried balance comes from (R-CLAW-3) */
  earlier: {
    cycleKey: string;
    confirmedFen: number;
    paidFen: number;
    carriedFen: number;
    amountFen: number;
    status: 'open' | 'due' | 'closed';
  }[];
  /** what happened to it in batches */
  lines: {
    batchId: number;
    batchStatus: PayoutBatchStatusView;
    amountFen: number;
    status: PayoutLineStatusView;
    paidAt: number | null;
  }[];
  blacklisted: boolean;
  level: string | null;
  negativeBalanceFen: number;
  /** of the negative balance, what lifting the blacklist would offset, its frozen rebates (those
   * already paid included, R-BL-1) confirmed again (R-BL-3); 0 unless the partner is blacklisted */
  liftOffsetsFen: number;
}

/** One week of the dashboard's trends (Monday 00:00 Asia/Shanghai). */
export interface TrendWeekView {
  weekStart: number;
  /** ISO week key, `2026-W15` */
  week: string;
  validOrders: number;
  /** rebates of the week's valid orders by their state at the engine's as-of */
  pendingFen: number;
  confirmedFen: number;
  paidFen: number;
  frozenFen: number;
  /** valid orders of the week a refund clawed back (R-CLAW-1), and what it cut from their rebates */
  clawedOrders: number;
  clawedFen: number;
  /** clawed / valid, basis points */
  refundRateBp: number;
  /** partners per level at the end of the week (R-LVL-1) */
  levels: Record<string, number>;
}

export interface TrendsView {
  from: number;
  until: number;
  asOf: number | null;
  levelIds: string[];
  weeks: TrendWeekView[];
}

const batchId = z.number().int().min(1);
const cycleKey = z.string().trim().min(1).max(20);
const file = z.object({
  batchId,
  /** the file's bytes, base64 (UTF-8 or GBK CSV) */
  contentBase64: z.string().min(1).max(70_000_000),
  fileName: z.string().max(500).optional(),
});

export const payoutsContract = {
  'payouts.cycles': method<PayoutCycleView[]>()(z.object({}).strict(), READERS),
  /** What a batch of the cycle would hold now (R-PAY-1), page by page. */
  'payouts.due': method<PayoutDueView>()(
    z
      .object({
        cycleKey,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    READERS,
  ),
  'payouts.batches': method<PayoutBatchView[]>()(
    z
      .object({
        cycleKey: cycleKey.optional(),
        status: z.enum(['draft', 'approved', 'rejected', 'held']).optional(),
      })
      .strict(),
    READERS,
  ),
  'payouts.batch': method<PayoutBatchDetailView>()(
    z
      .object({
        batchId,
        status: z.enum(['pending', 'approved', 'rejected', 'held', 'paid', 'failed']).optional(),
        partnerId: z.string().trim().min(1).max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    READERS,
  ),
  /** R-PAY-1: admins and finance prepare (R-OP-1). */
  'payouts.prepare': method<PrepareResult>()(
    z.object({ cycleKey }).strict(),
    ['admin', 'finance'],
    ['payout_batches', 'payout_lines', 'audit_log'],
  ),
  /** R-PAY-2 / R-OP-4: finance, not the preparer, with a reason and the PIN where one is set. */
  'payouts.decide': method<DecisionResult>()(
    z
      .object({
        batchId,
        /** one line (the partner's); absent: the whole batch */
        partnerId: z.string().trim().min(1).max(200).optional(),
        decision: z.enum(['approve', 'reject', 'hold']),
        reason,
        confirmPin,
        /** the revision the decider saw (PayoutBatchView.revision) */
        expectedRevision: z.number().int().min(0).optional(),
      })
      .strict(),
    ['finance'],
    ['payout_batches', 'payout_lines', 'audit_log'],
  ),
  /**
   * R-PAY-3: the bank or generic file of an approved batch; the same bytes every time. Finance,
   * or a scheduled script (DATA.md: `payouts export` takes no --as; the log names the OS user).
   */
  'payouts.export': method<PayoutFileView>()(
    z.object({ batchId, format: z.enum(['csv', 'xlsx']), layout: z.enum(['bank', 'generic']) }).strict(),
    ['finance', 'system'],
    ['payout_exports', 'audit_log'],
  ),
  /** R-PAY-3: approved lines marked paid: all of them, or some partners'. */
  'payouts.markPaid': method<{ paid: number; paidFen: number }>()(
    z
      .object({
        batchId,
        all: z.literal(true).optional(),
        partnerIds: z.array(z.string().trim().min(1).max(200)).min(1).max(100_000).optional(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict()
      .refine((v) => (v.all === true) !== (v.partnerIds !== undefined), {
        message: '请选择全部或指定云客（partnerIds），不能同时 / either all or partnerIds',
      }),
    ['finance'],
    ['payout_lines', 'audit_log', 'result_trend_weeks'],
  ),
  /** The bank's result file read against a batch: what it would record, every problem. */
  'payouts.bankResultPreview': method<BankResultView>()(file.strict(), ['finance']),
  'payouts.bankResult': method<BankResultView>()(
    file.strict(),
    ['finance'],
    ['payout_lines', 'audit_log', 'result_trend_weeks'],
  ),
  /** 对账单: a partner's orders, rebates, clawbacks, caps and carried balance of one cycle. */
  'payouts.statement': method<PartnerStatementView>()(
    z.object({ partnerId: z.string().trim().min(1).max(200), cycleKey }).strict(),
    READERS,
  ),
  /** 概览 trends over weeks (≤ 200 ms on demo scale 20); default: the last 26 weeks to the as-of. */
  'dashboard.trends': method<TrendsView>()(
    z
      .object({
        from: instantField.optional(),
        until: instantField.optional(),
      })
      .strict(),
    READERS,
  ),
};
