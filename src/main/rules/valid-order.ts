import { attributeCustomer, inForceAt, type AttributionContext } from './attribution';
import { customerExperience } from './experience';
import {
  EVENT_CODE_ORDER,
  type AttributionResult,
  type GroupIn,
  type GroupResult,
  type OrderIn,
  type OrderResult,
  type RefundIn,
} from './types';

export interface GroupContext extends AttributionContext {
  /** product line → rebate eligible; unknown lines are not eligible (decision: R-EXCL-2) */
  eligible(productLine: string): boolean;
  withTrace?: boolean;
}

/** R-EXCL-4: the customer already has sales, agent or paid-channel service. */
export function channelOwned(channel: string | null): boolean {
  return channel === 'sales' || channel === 'agent' || channel === 'paid_channel';
}

const byTimeThenId = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Refunds that count (R-CLAW-1: dated less than 30 days after the order) and the net paid amount.
 * R-CLAW-2: later refunds change nothing. Refunds after as-of are not known yet.
 */
const NO_REFUNDS: RefundIn[] = [];

export function netOfRefunds(order: OrderIn, clawbackMs: number, asOf: number) {
  if (order.refunds.length === 0) return { netFen: order.paidFen, counted: NO_REFUNDS, ignored: NO_REFUNDS };
  const counted: RefundIn[] = [];
  const ignored: RefundIn[] = [];
  let left = order.paidFen;
  for (const r of [...order.refunds].sort(byTimeThenId)) {
    if (r.at > asOf) continue;
    if (r.at < order.at + clawbackMs && r.amountFen > 0) {
      counted.push(r);
      left -= Math.min(left, r.amountFen);
    } else ignored.push(r);
  }
  return { netFen: left, counted, ignored };
}

/**
 * Phase A of the engine for one same-person group (R-SAME-1): attributions of each customer,
 * the status of every order (R-ORDER, R-EXCL), the valid order and the experience it gives
 * (R-EXP-1). Depends on nothing outside the group except partner facts, so groups can be
 * recomputed independently (incremental recompute, explain).
 */
export function evaluateGroup(group: GroupIn, ctx: GroupContext): GroupResult {
  const { params, asOf } = ctx;
  const attributions: AttributionResult[] = [];
  const successful = new Map<string, AttributionResult[]>();
  const failed = new Map<string, AttributionResult[]>();
  const channelOf = new Map<string, string | null>();
  const allOrders: OrderIn[] = [];
  const ordersOf = new Map<string, OrderIn[]>();
  for (const c of group.customers) {
    const recs = attributeCustomer(c, ctx);
    attributions.push(...recs);
    successful.set(
      c.id,
      recs.filter((a) => a.until !== null),
    );
    failed.set(
      c.id,
      recs.filter((a) => a.until === null),
    );
    channelOf.set(c.id, c.channel);
    // loaders give orders sorted by (time, id) and only up to as-of
    ordersOf.set(c.id, c.orders);
    for (const o of c.orders) allOrders.push(o);
  }
  if (group.customers.length > 1) allOrders.sort(byTimeThenId);

  const orders: OrderResult[] = [];
  const exp: GroupResult['exp'] = [];
  let firstQualifying: OrderIn | null = null; // R-ORDER-1a: the same person's first qualifying order
  let earliestProgram: OrderIn | null = null; // R-EXCL-1: first eligible order with paid > 0, any billing
  const validOrders: { order: OrderIn; attribution: AttributionResult; result: OrderResult }[] = [];

  for (const o of allOrders) {
    const eligible = ctx.eligible(o.productLine);
    const prepaid = o.billing === 'prepaid';
    const qualifying = eligible && prepaid && o.paidFen > 0;
    const a = inForceAt(successful.get(o.customerId) ?? [], o.at);
    const { netFen, counted, ignored } = netOfRefunds(o, params.clawbackMs, asOf);
    const r: OrderResult = {
      orderId: o.id,
      customerId: o.customerId,
      groupId: group.groupId,
      partnerId: a ? a.partnerId : null,
      status: 'valid',
      reasons: [],
      at: o.at,
      paidFen: o.paidFen,
      netFen,
      clawed: counted.length > 0,
      // counted refunds are sorted by (time, id): the last one is the latest
      clawedAt: counted.length > 0 ? counted[counted.length - 1].at : null,
      experience: 0,
      attributionEventId: a ? a.eventId : null,
    };
    const priorFirst = firstQualifying;
    const priorProgram = earliestProgram;
    if (ctx.withTrace) {
      r.trace = {
        inForce: a,
        failedEvents: [],
        firstQualifying: priorFirst ? { orderId: priorFirst.id, at: priorFirst.at } : null,
        earliestProgramOrder: priorProgram ? { orderId: priorProgram.id, at: priorProgram.at } : null,
        refundsCounted: counted,
        refundsIgnored: ignored,
        channel: channelOf.get(o.customerId) ?? null,
      };
    }
    if (eligible && o.paidFen > 0 && earliestProgram === null) earliestProgram = o;
    if (qualifying && firstQualifying === null) firstQualifying = o;

    if (!qualifying) {
      // R-ORDER-3 / R-EXCL-2: never valid, and does not take the first slot
      r.status = 'ineligible';
      if (o.paidFen <= 0) r.reasons.push('ZERO_AMOUNT');
      if (!prepaid) r.reasons.push('NOT_PREPAID');
      if (!eligible) r.reasons.push('NOT_ELIGIBLE_PRODUCT');
    } else if (!a) {
      // R-ORDER-1b, plus the codes of the customer's failed events in the 30 days before (DATA.md)
      r.status = 'not_attributed';
      const recent = (failed.get(o.customerId) ?? []).filter(
        (f) => f.from <= o.at && f.from >= o.at - params.lookbackMs,
      );
      const codes = new Set(recent.flatMap((f) => f.reasons));
      r.reasons = ['NOT_ATTRIBUTED', ...EVENT_CODE_ORDER.filter((c) => codes.has(c))];
      if (r.trace) r.trace.failedEvents = recent;
    } else if (priorFirst !== null) {
      // R-ORDER-1a / R-ORDER-4
      r.status = 'not_first';
      r.reasons = [priorFirst.at < a.tenureStart ? 'PRIOR_PROGRAM_ORDER' : 'NOT_FIRST_ORDER'];
    } else if (priorProgram !== null && priorProgram.at < a.tenureStart) {
      // R-EXCL-1: a paid order on an eligible line (any billing) before the attribution began
      r.status = 'not_first';
      r.reasons = ['PRIOR_PROGRAM_ORDER'];
    } else {
      const partner = ctx.partners.get(a.partnerId);
      const codes: string[] = [];
      if (partner && partner.groupId === group.groupId) codes.push('SAME_PERSON_AS_PARTNER'); // R-EXCL-3
      if (channelOwned(channelOf.get(o.customerId) ?? null)) codes.push('CHANNEL_OWNED'); // R-EXCL-4
      if (codes.length > 0) {
        r.status = 'excluded';
        r.reasons = codes;
      } else {
        r.status = 'valid';
        if (netFen < o.paidFen) r.reasons.push('CLAWED_BACK');
        validOrders.push({ order: o, attribution: a, result: r });
      }
    }
    orders.push(r);
  }

  // R-EXP-1: experience of each valid order, stacking the customer's subscription orders
  // placed while the same partner's tenure lasts.
  for (const v of validOrders) {
    const succ = successful.get(v.order.customerId) ?? [];
    const stack = (ordersOf.get(v.order.customerId) ?? [])
      .filter(
        (o) =>
          (o.at > v.order.at || o.id === v.order.id || (o.at === v.order.at && o.id > v.order.id)) &&
          o.subscription &&
          o.billing === 'prepaid' &&
          o.paidFen > 0 &&
          ctx.eligible(o.productLine) &&
          inForceAt(succ, o.at)?.tenure === v.attribution.tenure &&
          inForceAt(succ, o.at)?.partnerId === v.attribution.partnerId,
      )
      .map((o) => ({ order: o, refunds: netOfRefunds(o, params.clawbackMs, asOf).counted }));
    const entries = customerExperience(
      v.attribution.partnerId,
      v.order,
      netOfRefunds(v.order, params.clawbackMs, asOf).counted,
      stack,
      params,
    );
    v.result.experience = entries.reduce((s, e) => s + e.delta, 0);
    exp.push(...entries);
  }
  return { attributions, orders, exp };
}
