/**
 * 对账单: a partner's statement for one payout cycle — the orders whose rebates belong to it
 * (R-LVL-1: the cycle of their confirmation), with the level and ratio at each order (R-LVL-3),
 * refunds inside and outside the window (R-CLAW-1, R-CLAW-2), the caps (R-REB-2), what was
 * frozen (R-BL-1), the balance carried in (R-CLAW-3) and what the batches did with it (R-PAY).
 * As data: the screen prints it or saves it as PDF. Stored results only; portable Kysely.
 */
import { sql, type Kysely } from 'kysely';
import type { PartnerStatementView } from '../api/methods/payouts.contract';
import { rebateFen } from '../rules/rebate';
import type { Database } from '../store/database';
import { payoutsOf } from '../rules/payouts';
import { closedCyclesFor, confirmedCycles, latestRun, paidByCycle, parseCycleKey } from './due';
import { PayoutError } from './errors';

export async function partnerStatement(
  db: Kysely<Database>,
  input: { partnerId: string; cycleKey: string },
): Promise<PartnerStatementView> {
  const cycle = parseCycleKey(input.cycleKey);
  const partner = await db
    .selectFrom('partners')
    .select(['partner_id', 'name'])
    .where('partner_id', '=', input.partnerId)
    .executeTakeFirst();
  if (!partner)
    throw new PayoutError(
      'PAYOUT_NO_SUCH_PARTNER',
      `没有云客 ${input.partnerId} / no partner ${input.partnerId}`,
      {
        partnerId: input.partnerId,
      },
    );
  const run = await latestRun(db).catch(() => null);
  const [result, orders, payouts, lines] = await Promise.all([
    db
      .selectFrom('result_partners')
      .select(['level', 'blacklisted', 'negative_balance_fen'])
      .where('partner_id', '=', input.partnerId)
      .executeTakeFirst(),
    db
      .selectFrom('result_orders')
      .select([
        'order_id',
        'customer_id',
        'ordered_at',
        'paid_fen',
        'net_fen',
        'level',
        'ratio_bp',
        'gross_rebate_fen',
        'capped_fen',
        'rebate_fen',
        'rebate_status',
        'confirm_at',
      ])
      .where('partner_id', '=', input.partnerId)
      .where('status', '=', sql.lit('valid'))
      .where('cycle_key', '=', cycle.key)
      .orderBy('ordered_at')
      .orderBy('order_id')
      .execute(),
    db
      .selectFrom('result_payouts')
      .select([
        'cycle_key',
        'cycle_start',
        'confirmed_fen',
        'paid_fen',
        'carried_fen',
        'amount_fen',
        'status',
      ])
      .where('partner_id', '=', input.partnerId)
      .orderBy('cycle_start')
      .orderBy('cycle_key')
      .execute(),
    db
      .selectFrom('payout_lines as l')
      .innerJoin('payout_batches as b', 'b.batch_id', 'l.batch_id')
      .select(['l.batch_id', 'b.status as batch_status', 'l.amount_fen', 'l.status', 'l.paid_at'])
      .where('l.partner_id', '=', input.partnerId)
      .where('b.cycle_key', '=', cycle.key)
      .orderBy('l.batch_id')
      .execute(),
  ]);
  const refunds =
    orders.length === 0
      ? []
      : await db
          .selectFrom('refunds')
          .select(['refund_id', 'order_id', 'kind', 'amount_fen', 'refunded_at'])
          .where(
            'order_id',
            'in',
            orders.map((o) => o.order_id),
          )
          .orderBy('refunded_at')
          .orderBy('refund_id')
          .execute();
  const windowMs = run?.params.clawbackMs ?? 30 * 86_400_000;
  const caps = new Map<string, { level: string; capFen: number; filledFen: number; cappedFen: number }>();
  const totals = {
    grossRebateFen: 0,
    cappedFen: 0,
    rebateFen: 0,
    clawedFen: 0,
    frozenFen: 0,
    pendingFen: 0,
    confirmedFen: 0,
  };
  for (const o of orders) {
    totals.grossRebateFen += o.gross_rebate_fen;
    totals.cappedFen += o.capped_fen;
    totals.rebateFen += o.rebate_fen;
    totals.clawedFen += rebateFen(o.paid_fen, o.ratio_bp ?? 0) - o.gross_rebate_fen;
    if (o.rebate_status === 'frozen') totals.frozenFen += o.rebate_fen;
    else if (o.confirm_at !== null && run && o.confirm_at <= run.asOf) totals.confirmedFen += o.rebate_fen;
    else totals.pendingFen += o.rebate_fen;
    if (o.level) {
      const cap = caps.get(o.level) ?? {
        level: o.level,
        capFen: run?.params.levels.find((l) => l.id === o.level)?.capFen ?? 0,
        filledFen: 0,
        cappedFen: 0,
      };
      cap.filledFen += o.rebate_fen;
      cap.cappedFen += o.capped_fen;
      caps.set(o.level, cap);
    }
  }
  const row = payouts.find((p) => p.cycle_key === cycle.key);
  return {
    partnerId: partner.partner_id,
    partnerName: partner.name,
    cycleKey: cycle.key,
    cycleStart: cycle.start,
    cycleEnd: cycle.end,
    asOf: run?.asOf ?? null,
    configVersion: run?.configVersion ?? null,
    caps: [...caps.values()],
    orders: orders.map((o) => ({
      orderId: o.order_id,
      customerId: o.customer_id,
      orderedAt: o.ordered_at,
      paidFen: o.paid_fen,
      netFen: o.net_fen,
      level: o.level,
      ratioBp: o.ratio_bp,
      grossRebateFen: o.gross_rebate_fen,
      cappedFen: o.capped_fen,
      rebateFen: o.rebate_fen,
      rebateStatus: o.rebate_status,
      confirmAt: o.confirm_at,
      refunds: refunds
        .filter((r) => r.order_id === o.order_id)
        .map((r) => ({
          refundId: r.refund_id,
          kind: r.kind,
          amountFen: r.amount_fen,
          at: r.refunded_at,
          // R-CLAW-1 / R-CLAW-2: only a refund less than the window after the order claws back
          counted: r.refunded_at - o.ordered_at < windowMs,
        })),
    })),
    totals,
    payout: row
      ? {
          confirmedFen: row.confirmed_fen,
          paidFen: row.paid_fen,
          carriedFen: row.carried_fen,
          amountFen: row.amount_fen,
          status: row.status,
        }
      : null,
    earlier: payouts
      .filter((p) => p.cycle_start < cycle.start)
      .map((p) => ({
        cycleKey: p.cycle_key,
        confirmedFen: p.confirmed_fen,
        paidFen: p.paid_fen,
        carriedFen: p.carried_fen,
        amountFen: p.amount_fen,
        status: p.status,
      })),
    lines: lines.map((l) => ({
      batchId: l.batch_id,
      batchStatus: l.batch_status,
      amountFen: l.amount_fen,
      status: l.status,
      paidAt: l.paid_at,
    })),
    blacklisted: result?.blacklisted === 1,
    level: result?.level ?? null,
    negativeBalanceFen: result?.negative_balance_fen ?? 0,
    liftOffsetsFen:
      result?.blacklisted === 1 && (result.negative_balance_fen ?? 0) > 0 && run
        ? Math.min(result.negative_balance_fen, await offsetByLift(db, input.partnerId, run.asOf))
        : 0,
  };
}

/**
 * Of a blacklisted partner's negative balance, what lifting the blacklist would offset (R-BL-3):
 * while it lasts, every rebate is frozen (R-BL-1), those already paid included, and none offsets
 * the balance. The balance is computed as the engine does (payoutsOf, with the payouts and closed
 * cycles as cycleDue reads them) twice: with the frozen rebates left out (as now) and confirmed
 * (as a lift would make them), whatever the cycles, levels and batches.
 */
async function offsetByLift(db: Kysely<Database>, partnerId: string, asOf: number): Promise<number> {
  // the rebates confirmed by as-of per cycle, and the frozen part (a sum is a string on PostgreSQL)
  const sums = await db
    .selectFrom('result_orders')
    .select((eb) => [
      'cycle_key',
      eb.fn.sum<number | string>('rebate_fen').as('fen'),
      eb.fn
        .sum<number | string>(sql`CASE WHEN rebate_status = 'frozen' THEN rebate_fen ELSE 0 END`)
        .as('frozen'),
    ])
    .where('partner_id', '=', partnerId)
    .where('status', '=', sql.lit('valid'))
    .where('confirm_at', '<=', asOf)
    .where('rebate_fen', '>', 0)
    .groupBy('cycle_key')
    .execute();
  const paid = (await paidByCycle(db, [partnerId])).get(partnerId) ?? new Map<string, number>();
  const closed = (await closedCyclesFor(db, [partnerId]))(partnerId);
  const negative = (lifted: boolean) =>
    payoutsOf(
      partnerId,
      confirmedCycles(sums, (c) => Number(c.fen) - (lifted ? 0 : Number(c.frozen))),
      paid,
      asOf,
      // (the kind of the cycle a positive balance would go to does not change a negative one)
      'monthly',
      closed,
    ).negativeBalanceFen;
  return Math.max(0, negative(false) - negative(true));
}
