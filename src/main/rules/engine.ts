import { blacklistedAt } from './attribution';
import type { EngineParams } from './config';
import { LevelTimeline } from './levels';
import { payoutsOf } from './payouts';
import { rebateFen } from './rebate';
import { riskOf, riskStatusOf } from './risk';
import { cycleOf, type Cycle } from './time';
import type { PartnerIn, PartnerResult, RebateResult } from './types';

export { evaluateGroup } from './valid-order';

/**
 * Phase B of the engine for one partner: level timeline (R-LVL), rebate per valid order at the
 * level in force at the order's time (R-REB-1, R-LVL-3), the cycle cap (R-REB-2), pending /
 * confirmed (R-REB-3), freeze (R-BL-1, R-EXCL-5), payouts with carried balances (R-PAY-1,
 * R-CLAW-3) and the risk flag (R-CLAW-4). Pure: depends only on its input.
 *
 * Decisions:
 * - R-REB-2 / R-LVL-1: the cap and the payout cycle are those of the level in force at the
 *   order's time (the same level that fixes the ratio); the rebate's cycle is the one containing
 *   its confirmation instant (order + 30 days). Rebates fill the cap in order time order, net of
 *   clawbacks; frozen rebates fill it too (they are computed, only not paid).
 * - R-BL-1: frozen when a blacklist entry is in force at as-of; lifting releases (R-BL-3).
 * - rebate_status precedence: clawed_back (clawback brought it to 0) > frozen > capped >
 *   confirmed / pending.
 */
export function evaluatePartner(p: PartnerIn, asOf: number, params: EngineParams): PartnerResult {
  const timeline = new LevelTimeline(p.exp, p.overrides, params);
  const frozen = blacklistedAt(p, asOf);
  const valid = [...p.validOrders].sort((a, b) => a.at - b.at || (a.orderId < b.orderId ? -1 : 1));
  const filled = new Map<string, number>();
  const rebates: RebateResult[] = [];
  const confirmedByCycle: { cycle: Cycle; fen: number }[] = [];
  let pendingFen = 0;
  let confirmedFen = 0;
  let frozenFen = 0;
  for (const v of valid) {
    const lv = timeline.at(v.at);
    const gross = rebateFen(v.netFen, lv.level.ratioBp);
    const confirmAt = v.at + params.clawbackMs;
    const cycle = cycleOf(lv.level.cycle, confirmAt);
    const before = filled.get(cycle.key) ?? 0;
    const allowed = Math.max(0, lv.level.capFen - before);
    const rebate = Math.min(gross, allowed);
    const capped = gross - rebate;
    filled.set(cycle.key, before + rebate);
    const confirmed = confirmAt <= asOf;
    const extraReasons: string[] = [];
    if (capped > 0) extraReasons.push('CAPPED');
    if (frozen) extraReasons.push('PARTNER_FROZEN');
    const status: RebateResult['rebateStatus'] =
      v.clawed && v.netFen === 0
        ? 'clawed_back'
        : frozen
          ? 'frozen'
          : capped > 0
            ? 'capped'
            : confirmed
              ? 'confirmed'
              : 'pending';
    if (frozen) frozenFen += rebate;
    else if (confirmed) {
      confirmedFen += rebate;
      if (rebate > 0) confirmedByCycle.push({ cycle, fen: rebate });
    } else pendingFen += rebate;
    rebates.push({
      orderId: v.orderId,
      level: lv.level.id,
      ratioBp: lv.level.ratioBp,
      grossFen: gross,
      rebateFen: rebate,
      cappedFen: capped,
      rebateStatus: status,
      extraReasons,
      cycleKey: cycle.key,
      cycleKind: cycle.kind,
      confirmAt,
      levelSource: lv.source,
      experienceBefore: lv.experienceBefore,
      overrideId: lv.overrideId,
      capFen: lv.level.capFen,
      capFilledBefore: before,
    });
  }
  const now = timeline.at(asOf, true);
  const { rows, negativeBalanceFen } = payoutsOf(
    p.partnerId,
    confirmedByCycle,
    p.paidByCycle,
    asOf,
    now.level.cycle,
    p.closedCycles,
  );
  const risk = riskOf(p.validOrders, asOf, params.riskWindowMs, params.riskMinClawed, params.riskMinShareBp);
  return {
    partnerId: p.partnerId,
    experience: now.experienceBefore,
    level: now.level.id,
    blacklisted: frozen,
    pendingFen,
    confirmedFen,
    frozenFen,
    negativeBalanceFen,
    riskFlag: risk.flagged,
    risk: { validOrders: risk.validOrders, clawedOrders: risk.clawedOrders, rateBp: risk.rateBp },
    riskStatus: riskStatusOf(risk.flagged, risk.latestClawback, p.riskDecisions, p.blacklist, asOf),
    rebates,
    payouts: rows,
    levels: timeline.changes(asOf),
  };
}
