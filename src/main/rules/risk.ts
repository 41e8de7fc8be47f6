import { blacklistedAt } from './attribution';
import type { BlacklistInterval, RiskDecisionIn, RiskStatus, ValidFact } from './types';

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
  const clawed = recent.filter((v) => v.clawed);
  const flagged = clawed.length >= minClawed && clawed.length * 10_000 >= minShareBp * recent.length;
  return {
    flagged,
    validOrders: recent.length,
    clawedOrders: clawed.length,
    rateBp: recent.length === 0 ? 0 : Math.floor((clawed.length * 10_000) / recent.length),
    /** the latest clawback among the window's clawed-back valid orders */
    latestClawback: clawed.reduce((m, v) => Math.max(m, v.clawedAt ?? -Infinity), -Infinity),
  };
}

/**
 * R-CLAW-4: the status of a flag at as-of (null when the partner is not flagged).
 * - `blacklisted`: a blacklist entry is in force at as-of (R-BL-1), whoever decided it;
 * - `dismissed`: an admin reviewed the flag — a dismissal, or the lift of the blacklist entry a
 *   risk decision created (the admin let the partner go on) — effective at or before as-of
 *   (R-OP-3), and no clawback of the window's valid orders is dated after that review;
 * - `open` otherwise: never reviewed, or a clawback dated after the review flags the partner again.
 * A flag never blacklists by itself: the status only reads the admins' decisions.
 */
export function riskStatusOf(
  flagged: boolean,
  latestClawback: number,
  decisions: RiskDecisionIn[],
  blacklist: BlacklistInterval[],
  asOf: number,
): RiskStatus | null {
  if (!flagged) return null;
  if (blacklistedAt({ blacklist }, asOf)) return 'blacklisted';
  let reviewedAt = -Infinity;
  for (const d of decisions) {
    if (d.at > asOf) continue; // R-OP-3: not in effect yet
    if (d.decision === 'dismiss') reviewedAt = Math.max(reviewedAt, d.reflagAfter ?? d.at);
    else {
      const entry = blacklist.find((b) => b.entryId === d.entryId);
      if (entry && entry.until !== null && entry.until <= asOf)
        reviewedAt = Math.max(reviewedAt, entry.until);
    }
  }
  return reviewedAt > -Infinity && latestClawback <= reviewedAt ? 'dismissed' : 'open';
}
