import type { EngineParams } from './config';
import {
  type AttributionResult,
  type CustomerIn,
  type EventCode,
  type EventIn,
  type ManualIn,
  type PartnerInfo,
} from './types';

export interface AttributionContext {
  asOf: number;
  params: EngineParams;
  groupId: string;
  partners: Map<string, PartnerInfo>;
  salesSubjects: { has(subjectId: string): boolean };
  /** events naming a partner that is not in the store (DATA.md: skipped and listed) */
  dangling?: string[];
}

/** R-BL-2: blacklisted with promotion restricted at instant t. */
export function promotionRestrictedAt(p: PartnerInfo, t: number): boolean {
  return p.blacklist.some((b) => b.restrictPromotion && b.from <= t && (b.until === null || t < b.until));
}

/** R-BL-1: any blacklist entry in force at instant t. */
export function blacklistedAt(p: PartnerInfo | { blacklist: PartnerInfo['blacklist'] }, t: number): boolean {
  return p.blacklist.some((b) => b.from <= t && (b.until === null || t < b.until));
}

/** R-JOIN-1: verified (at or before t) and approved. */
export function partnerActiveAt(p: PartnerInfo, t: number): boolean {
  return p.status === 'active' && p.verifiedAt !== null && p.verifiedAt <= t;
}

/**
 * Attributions of one customer (R-ATTR-1..4): events in time order (ties by event id).
 * `visit` events never change attribution and produce no record. Manual attributions of upheld
 * disputes (R-DISP-2) take their place in the same sequence, after the events of their instant.
 *
 * Decisions where RULES.md is open:
 * - R-ATTR-1: only a *successful* registration locks; a failed register event locks nothing.
 *   A register event while a lock of the same partner runs does not extend that lock (R-ATTR-3).
 * - R-ATTR-3: a successful event of the partner already in force continues that partner's
 *   tenure (renewal); the earlier record is shown as `replaced`. The tenure's start is when the
 *   attribution "began" for R-EXCL-1 / R-ORDER-4 and its extent is the window of R-EXP-1.
 * - R-SAME-2: an event failing with SAME_PERSON_AS_PARTNER as headline is shown `dissolved`
 *   (解除云客关系); other failures are `failed`.
 * - R-DISP-2: a manual attribution replaces whatever is in force at its start, another
 *   partner's lock included (it is never LOCKED_BY_OTHER_PARTNER), and locks the customer to the
 *   claimant for the lock period from its start. It fails like an event for SALES_OWNED,
 *   PARTNER_BLACKLISTED and PARTNER_NOT_ACTIVE (R-ATTR-4c–e, R-BL-2, R-JOIN-1). A claimant who
 *   is the same person as the customer still gets it, and its orders are `excluded` with
 *   SAME_PERSON_AS_PARTNER (R-EXCL-3, valid-order.ts): the claimant earns nothing.
 */
export function attributeCustomer(customer: CustomerIn, ctx: AttributionContext): AttributionResult[] {
  const out: AttributionResult[] = [];
  const manual = customer.manual ?? NO_MANUAL;
  if (customer.events.length === 0 && manual.length === 0) return out;
  const { windowMs, lockMs } = ctx.params;
  let current: AttributionResult | null = null;
  let lockPartner: string | null = null;
  let lockUntil = -Infinity;
  let tenureSeq = 0;
  const salesOwned =
    customer.subjectId !== null && customer.subjectId !== '' && ctx.salesSubjects.has(customer.subjectId);
  const events = customer.events;
  let ei = 0;
  let mi = 0;
  while (ei < events.length || mi < manual.length) {
    // the next input: an event, or a manual attribution when none of the events left is earlier
    // or at the same instant (events of an instant come first)
    const isManual = mi < manual.length && (ei >= events.length || manual[mi].at < events[ei].at);
    const e: { id: string; partnerId: string; at: number } = isManual ? manual[mi++] : events[ei++];
    const kind = isManual ? 'manual' : (e as EventIn).kind;
    if (kind !== 'register' && kind !== 'login' && kind !== 'manual') continue;
    const p = ctx.partners.get(e.partnerId);
    if (!p) {
      if (!isManual) ctx.dangling?.push(e.id);
      continue;
    }
    const t = e.at;
    const codes: EventCode[] = [];
    if (!isManual) {
      if (p.groupId === ctx.groupId) codes.push('SAME_PERSON_AS_PARTNER'); // R-ATTR-4a, R-SAME-2
      if (lockPartner !== null && lockPartner !== p.id && t < lockUntil)
        codes.push('LOCKED_BY_OTHER_PARTNER'); // R-ATTR-1
    }
    if (salesOwned) codes.push('SALES_OWNED'); // R-ATTR-4c
    if (promotionRestrictedAt(p, t)) codes.push('PARTNER_BLACKLISTED'); // R-ATTR-4d, R-BL-2
    if (!partnerActiveAt(p, t)) codes.push('PARTNER_NOT_ACTIVE'); // R-JOIN-1, R-ATTR-4e
    // pushed in the order of R-ATTR-4 (EVENT_CODE_ORDER): the first is the headline
    if (codes.length > 0) {
      out.push({
        eventId: e.id,
        partnerId: p.id,
        customerId: customer.id,
        kind,
        from: t,
        until: null,
        locked: false,
        status: codes[0] === 'SAME_PERSON_AS_PARTNER' ? 'dissolved' : 'failed',
        reasons: codes,
        tenure: -1,
        tenureStart: t,
        replacedBy: null,
      });
      continue;
    }
    const live: AttributionResult | null =
      current !== null && current.until !== null && t < current.until ? current : null;
    const continues = live !== null && live.partnerId === p.id;
    const rec: AttributionResult = {
      eventId: e.id,
      partnerId: p.id,
      customerId: customer.id,
      kind,
      from: t,
      until: t + windowMs,
      locked: false,
      status: 'active',
      reasons: [],
      tenure: continues ? live.tenure : ++tenureSeq,
      tenureStart: continues ? live.tenureStart : t,
      replacedBy: null,
    };
    if (kind === 'manual' || (kind === 'register' && !(lockPartner === p.id && t < lockUntil))) {
      // R-ATTR-1: registration locks the customer for 30 days; R-DISP-2: so does a manual attribution
      rec.locked = true;
      lockPartner = p.id;
      lockUntil = t + lockMs;
    }
    if (live) live.replacedBy = e.id;
    current = rec;
    out.push(rec);
  }
  for (const a of out) {
    if (a.until === null) continue;
    a.status = a.replacedBy !== null ? 'replaced' : a.until <= ctx.asOf ? 'expired' : 'active';
  }
  return out;
}

const NO_MANUAL: ManualIn[] = [];

/**
 * The attribution in force at instant t (R-ATTR-2: the most recent valid one). Every window has
 * the same length, so it is the latest successful attribution that began at or before t, if its
 * window still runs at t (end-exclusive).
 */
export function inForceAt(successful: AttributionResult[], t: number): AttributionResult | null {
  let lo = 0;
  let hi = successful.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (successful[mid].from <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const a = successful[found];
  return a.until !== null && t < a.until ? a : null;
}
