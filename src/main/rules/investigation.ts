/**
 * 同人调查 — the investigation queue (R-SAME-1..4): which same-person groups an admin should look
 * at first. A group is queued when it has two or more accounts and touches a partner: a partner's
 * own account is a member, or a member was referred by a partner (a register or login event,
 * whatever it created). Its rank is the money at stake:
 *
 *   stake = rebates denied + rebates confirmed + rebates pending, inside the group.
 *
 * - *Denied* (decision): per customer of the group, its first qualifying order (R-ORDER-1a: eligible
 *   line, prepaid, paid > 0) when the same-person judgment took its reward away — excluded as
 *   SAME_PERSON_AS_PARTNER (R-EXCL-3), not attributed because its link events were dissolved as
 *   SAME_PERSON_AS_PARTNER (R-ATTR-4a, R-SAME-2), or not first because another account of the
 *   group bought first (R-ORDER-1a, R-EXCL-1, R-SAME-3). It is valued at the ratio of the first
 *   level (the least any partner earns), on its amount net of clawbacks: an estimate, as the
 *   level it would have had is not known.
 * - *Confirmed* / *pending*: rebates of the group's valid orders as computed (R-REB-3; a capped
 *   rebate counts by its confirmation instant); frozen rebates (R-BL-1) are shown apart and not
 *   counted, as nothing of them is paid while the freeze lasts.
 *
 * Pure: full and incremental runs gather a group's members, evidence, attributions and orders
 * their own way and call `investigationRow`; property tests check that both give the same table.
 */
import { rebateFen } from './rebate';
import type { EvidenceKind, OrderResult, RebateResult } from './types';

/** What the queue needs of one order result (result_orders' columns). */
export interface InvestigationOrder {
  orderId: string;
  customerId: string;
  status: string;
  reasons: string[];
  at: number;
  netFen: number;
  rebateFen: number;
  rebateStatus: string | null;
  confirmAt: number | null;
}

export interface InvestigationGroupIn {
  groupId: string;
  members: { kind: 'customer' | 'partner'; id: string }[];
  /** partners of the members' register and login events (any outcome) */
  referrers: Set<string>;
  /** one entry per stored evidence edge */
  evidence: { evidence: EvidenceKind; value: string }[];
  orders: InvestigationOrder[];
}

/** Column order of result_investigation (persist.ts writes rows in this order). */
export const INVESTIGATION_COLS = [
  'group_id',
  'size',
  'customers',
  'partners',
  'referrers',
  'orders',
  'valid_orders',
  'denied_orders',
  'denied_fen',
  'confirmed_fen',
  'pending_fen',
  'frozen_fen',
  'stake_fen',
  'ev_account',
  'ev_phone',
  'ev_id_name',
  'ev_ip',
  'largest_share',
] as const;
export const INVESTIGATION_PARTNER_COLS = ['group_id', 'partner_id', 'member', 'referrer'] as const;

export function investigationOrder(o: OrderResult, r: RebateResult | undefined): InvestigationOrder {
  return {
    orderId: o.orderId,
    customerId: o.customerId,
    status: o.status,
    reasons: r && r.extraReasons.length > 0 ? [...o.reasons, ...r.extraReasons] : o.reasons,
    at: o.at,
    netFen: o.netFen,
    rebateFen: r?.rebateFen ?? 0,
    rebateStatus: r?.rebateStatus ?? null,
    confirmAt: r?.confirmAt ?? null,
  };
}

const before = (a: InvestigationOrder, b: InvestigationOrder) =>
  a.at < b.at || (a.at === b.at && a.orderId < b.orderId);

/** R-ORDER-1a: counts for the "first" slot (every status but ineligible). */
const qualifying = (o: InvestigationOrder) => o.status !== 'ineligible';
/** R-EXCL-1: an eligible order with a paid amount, any billing (ineligible only as NOT_PREPAID). */
const program = (o: InvestigationOrder) =>
  qualifying(o) || (o.reasons.length === 1 && o.reasons[0] === 'NOT_PREPAID');

/** Whether the same-person judgment took this first qualifying order's reward away (see above). */
function deniedBySamePerson(
  o: InvestigationOrder,
  first: InvestigationOrder | null,
  firstProgram: InvestigationOrder | null,
): boolean {
  if (o.status === 'excluded' || o.status === 'not_attributed')
    return o.reasons.includes('SAME_PERSON_AS_PARTNER');
  if (o.status !== 'not_first') return false;
  // the order that took the slot: the group's first qualifying order when it came earlier (then
  // another account's, as `o` is its customer's first), else the first program order (R-EXCL-1)
  if (first && before(first, o)) return first.customerId !== o.customerId;
  return firstProgram !== null && firstProgram.customerId !== o.customerId;
}

/**
 * The queue row of one group (INVESTIGATION_COLS order) and its partner rows
 * (INVESTIGATION_PARTNER_COLS), or null when the group is not queued.
 */
export function investigationRow(
  g: InvestigationGroupIn,
  asOf: number,
  deniedRatioBp: number,
): { row: unknown[]; partners: unknown[][] } | null {
  if (g.members.length < 2) return null;
  const partnerMembers = g.members.filter((m) => m.kind === 'partner').map((m) => m.id);
  if (partnerMembers.length === 0 && g.referrers.size === 0) return null;
  let first: InvestigationOrder | null = null;
  let firstProgram: InvestigationOrder | null = null;
  const firstOf = new Map<string, InvestigationOrder>();
  for (const o of g.orders) {
    if (program(o) && (firstProgram === null || before(o, firstProgram))) firstProgram = o;
    if (!qualifying(o)) continue;
    if (first === null || before(o, first)) first = o;
    const f = firstOf.get(o.customerId);
    if (!f || before(o, f)) firstOf.set(o.customerId, o);
  }
  let valid = 0;
  let confirmed = 0;
  let pending = 0;
  let frozen = 0;
  for (const o of g.orders) {
    if (o.status !== 'valid') continue;
    valid++;
    const s = o.rebateStatus;
    if (s === 'frozen') frozen += o.rebateFen;
    else if (s === 'confirmed' || (s === 'capped' && o.confirmAt !== null && o.confirmAt <= asOf))
      confirmed += o.rebateFen;
    else if (s === 'pending' || s === 'capped') pending += o.rebateFen;
  }
  let deniedOrders = 0;
  let denied = 0;
  for (const o of firstOf.values())
    if (deniedBySamePerson(o, first, firstProgram)) {
      deniedOrders++;
      denied += rebateFen(o.netFen, deniedRatioBp);
    }
  const values = {
    account: new Map<string, number>(),
    phone: new Map(),
    id_number_name: new Map(),
    ip: new Map(),
  };
  for (const e of g.evidence) {
    const m = values[e.evidence] as Map<string, number>;
    m.set(e.value, (m.get(e.value) ?? 1) + 1);
  }
  let largest = 0;
  for (const m of Object.values(values))
    for (const n of (m as Map<string, number>).values()) largest = Math.max(largest, n);
  const row = [
    g.groupId,
    g.members.length,
    g.members.length - partnerMembers.length,
    partnerMembers.length,
    g.referrers.size,
    g.orders.length,
    valid,
    deniedOrders,
    denied,
    confirmed,
    pending,
    frozen,
    denied + confirmed + pending,
    values.account.size,
    values.phone.size,
    values.id_number_name.size,
    values.ip.size,
    largest,
  ];
  const ids = [...new Set([...partnerMembers, ...g.referrers])].sort();
  const members = new Set(partnerMembers);
  const partners = ids.map((pid) => [g.groupId, pid, members.has(pid) ? 1 : 0, g.referrers.has(pid) ? 1 : 0]);
  return { row, partners };
}
