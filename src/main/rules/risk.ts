import type { ValidFact } from './types';

/**
 * R-CLAW-4: a partner whose valid orders are repeatedly clawed back — at least `minClawed`
 * clawed-back valid orders and at least `minShareBp` of their valid orders among those placed in
 * the `windowMs` before as-of — is flagged for review. A flag never blacklists by itself.
 * Decision: "clawed back" means any refund or downgrade inside the clawback window (CLAWED_BACK).
 */
export function riskOf(
  valid: ValidFact[],
  asOf: number,
  windowMs: number,
  minClawed: number,
  minShareBp: number,
) {
  const recent = valid.filter((v) => v.at > asOf - windowMs && v.at <= asOf);
  const clawed = recent.filter((v) => v.clawed).length;
  const flagged = clawed >= minClawed && clawed * 10_000 >= minShareBp * recent.length;
  return { flagged, validOrders: recent.length, clawedOrders: clawed };
}
