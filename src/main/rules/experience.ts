import type { EngineParams } from './config';
import type { ExpEntry, OrderIn } from './types';

/**
 * R-EXP-1 with stacking (高潜客户订单叠加): a customer whose valid order earned a partner gives
 * `base + floor(S / step) × per_step`, S = the customer's prepaid subscription orders on eligible
 * lines within the attribution's window (the partner's tenure, R-ATTR-3), net of clawbacks.
 * The base is credited at the valid order's time, each further step at the order crossing it;
 * refunds inside the clawback window debit at the refund's time (R-CLAW-1, R-LVL-1).
 * A full refund of the valid order removes everything the customer gave (R-CLAW-1);
 * the value per customer never goes below 0 (R-EXP-2).
 *
 * `stackOrders` are the customer's orders that count for S (already filtered: in the tenure,
 * at or after the valid order, eligible, prepaid, subscription, paid > 0), the valid order
 * included when it is a subscription. Refunds passed are those inside the clawback window.
 */
export function customerExperience(
  partnerId: string,
  valid: OrderIn,
  validRefunds: { id: string; at: number; amountFen: number }[],
  stackOrders: { order: OrderIn; refunds: { id: string; at: number; amountFen: number }[] }[],
  params: EngineParams,
): ExpEntry[] {
  type Step = { at: number; seq: number; id: string; apply: () => void };
  const steps: Step[] = [];
  let s = 0; // fen counted for S
  let validNet = valid.paidFen;
  // at one instant: the valid order first, then orders, then refunds; ties by id
  for (const so of stackOrders) {
    const paid = so.order.paidFen;
    steps.push({ at: so.order.at, seq: 0, id: so.order.id, apply: () => (s += paid) });
    let left = paid;
    for (const r of so.refunds) {
      const take = Math.min(left, r.amountFen);
      left -= take;
      steps.push({ at: Math.max(r.at, so.order.at), seq: 1, id: r.id, apply: () => (s -= take) });
    }
  }
  const validStep = steps.find((st) => st.id === valid.id && st.seq === 0);
  if (validStep) validStep.seq = -1;
  else steps.push({ at: valid.at, seq: -1, id: valid.id, apply: () => undefined });
  let vleft = valid.paidFen;
  for (const r of validRefunds) {
    const take = Math.min(vleft, r.amountFen);
    vleft -= take;
    steps.push({ at: Math.max(r.at, valid.at), seq: 2, id: r.id, apply: () => (validNet -= take) });
  }
  steps.sort((a, b) => a.at - b.at || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: ExpEntry[] = [];
  let value = 0;
  for (const st of steps) {
    st.apply();
    const counts = validNet > 0;
    const v = counts
      ? Math.max(0, params.expBase + Math.floor(Math.max(0, s) / params.expStepFen) * params.expPerStep)
      : 0;
    if (v !== value) {
      out.push({
        partnerId,
        customerId: valid.customerId,
        orderId: valid.id,
        at: st.at,
        delta: v - value,
        sourceId: st.id,
      });
      value = v;
    }
  }
  return out;
}
