/**
 * R-REB-1: rebate = paid amount × ratio, rounded half-up to the fen, once, after applying the
 * ratio. Integer arithmetic only (fen × basis points).
 */
export function rebateFen(amountFen: number, ratioBp: number): number {
  if (amountFen <= 0 || ratioBp <= 0) return 0;
  return Math.floor((amountFen * ratioBp + 5000) / 10000);
}
