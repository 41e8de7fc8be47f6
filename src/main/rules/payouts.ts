import { cycleFromKey, cycleOf, type Cycle, type CycleKind } from './time';

export { cycleFromKey };
import type { PayoutRow } from './types';

/**
 * R-PAY-1 / R-CLAW-3 / R-BL-3: per partner and cycle, the confirmed (not frozen) rebates of the
 * cycle, minus what was already paid for it, plus what is carried from earlier cycles.
 * A cycle with an approved payout line is `closed`: any difference (a clawback on a rebate
 * already paid, or a frozen reward released later) is carried into the next cycle; an open
 * cycle pays max(0, due) and carries a negative due onward. What is still negative after the
 * last cycle is the partner's negative balance.
 * A cycle whose batch was approved without a line of the partner (they were frozen then, R-BL-1)
 * is closed for them too: a rebate of it released by a lift is carried into the next payout
 * (R-BL-3), as that batch is final (R-PAY-3) and a cycle has one batch.
 */
export function payoutsOf(
  partnerId: string,
  confirmed: { cycle: Cycle; fen: number }[],
  paidByCycle: Map<string, number>,
  asOf: number,
  currentCycleKind: CycleKind,
  closedCycles: { has(cycleKey: string): boolean } = { has: () => false },
): { rows: PayoutRow[]; negativeBalanceFen: number } {
  const cycles = new Map<string, { cycle: Cycle; fen: number }>();
  for (const c of confirmed) {
    const e = cycles.get(c.cycle.key);
    if (e) e.fen += c.fen;
    else cycles.set(c.cycle.key, { cycle: c.cycle, fen: c.fen });
  }
  for (const key of paidByCycle.keys()) {
    if (!cycles.has(key)) {
      const c = cycleFromKey(key);
      if (c) cycles.set(key, { cycle: c, fen: 0 });
    }
  }
  const list = [...cycles.values()].sort(
    (a, b) => a.cycle.start - b.cycle.start || (a.cycle.key < b.cycle.key ? -1 : 1),
  );
  const rows: PayoutRow[] = [];
  let carry = 0;
  for (const { cycle, fen } of list) {
    const paid = paidByCycle.get(cycle.key) ?? 0;
    const closed = paidByCycle.has(cycle.key) || closedCycles.has(cycle.key);
    const due = fen - paid + carry;
    const row: PayoutRow = {
      partnerId,
      cycleKey: cycle.key,
      cycleStart: cycle.start,
      cycleEnd: cycle.end,
      confirmedFen: fen,
      paidFen: paid,
      carriedFen: carry,
      amountFen: 0,
      status: closed ? 'closed' : cycle.end <= asOf ? 'due' : 'open',
    };
    if (closed) carry = due;
    else if (due < 0) carry = due;
    else {
      row.amountFen = due;
      carry = 0;
    }
    rows.push(row);
  }
  if (carry > 0) {
    // released or late rewards of closed cycles go into the next payout (R-BL-3): the first cycle
    // after the last one that is not closed for the partner; due once it has ended
    let c = cycleOf(currentCycleKind, list[list.length - 1].cycle.end);
    while (paidByCycle.has(c.key) || closedCycles.has(c.key)) c = cycleOf(currentCycleKind, c.end);
    rows.push({
      partnerId,
      cycleKey: c.key,
      cycleStart: c.start,
      cycleEnd: c.end,
      confirmedFen: 0,
      paidFen: 0,
      carriedFen: carry,
      amountFen: carry,
      status: c.end <= asOf ? 'due' : 'open',
    });
    carry = 0;
  }
  return { rows, negativeBalanceFen: carry < 0 ? -carry : 0 };
}
