/**
 * A customer's attribution timeline (R-DISP-1: what an admin decides a dispute on): every
 * referral event of every partner with what it did — created, renewed, replaced or failed, with
 * the codes and rule ids — the windows and locks as bands, manual attributions of upheld
 * disputes (R-DISP-2), and the customer's orders with the partner each went to.
 *
 * The attributions are recomputed for this customer alone (they depend on nothing else of its
 * same-person group) at the as-of and config of the last run, so each entry says exactly what the
 * engine decided; orders show their stored results, checked against the attribution in force.
 * SQLite-specific reads (a hot path: a screen asks for it on every case and lookup).
 */
import type { SqlPort } from '../store/sql-port';
import type {
  CustomerTimeline,
  TimelineBand,
  TimelineEntry,
  TimelineOrder,
} from '../api/methods/disputes.contract';
import { ApiError } from '../api/errors';
import { maskIp, maskName } from '../explain/mask';
import { CODE_RULES } from '../explain/messages';
import { loadRuleConfig } from '../engine/load';
import { attributeStoredCustomer, lastRun } from '../engine/recompute';
import { inForceAt } from '../rules/attribution';
import type { AttributionResult } from '../rules/types';
import type { DisputeStatus } from '../store/disputes.table';

type Db = SqlPort;

const rulesOf = (codes: string[]) => [
  ...new Set(codes.flatMap((c) => (CODE_RULES[c] ?? '').split(/,\s*/)).filter(Boolean)),
];

/** `dispute:12` → 12 (a manual attribution's key), else null. */
export function disputeIdOf(attributionId: string | null): number | null {
  if (!attributionId || !attributionId.startsWith('dispute:')) return null;
  const n = Number(attributionId.slice('dispute:'.length));
  return Number.isInteger(n) ? n : null;
}

export function customerTimeline(db: Db, customerId: string, masked = false): CustomerTimeline {
  const customer = db
    .prepare('SELECT customer_id, name FROM customers WHERE customer_id = ?')
    .get(customerId) as { customer_id: string; name: string | null } | undefined;
  if (!customer)
    throw new ApiError('CUSTOMER_NOT_FOUND', `未找到客户 ${customerId} / no customer ${customerId}`, {
      customerId,
    });
  const run = lastRun(db);
  const cfg = run && loadRuleConfig(db, run.configVersion);
  if (!run || !cfg)
    throw new ApiError(
      'NOT_COMPUTED',
      '尚无计算结果，请先运行 recompute / no results yet: run recompute first',
      { customerId },
    );
  const asOf = run.asOf;
  const groupId =
    (db
      .prepare("SELECT group_id FROM result_same_person WHERE member_kind = 'customer' AND member_id = ?")
      .pluck()
      .get(customerId) as string | undefined) ?? `customer:${customerId}`;
  const attributions = attributeStoredCustomer(db, customerId, groupId, asOf, cfg);
  const byId = new Map(attributions.map((a) => [a.eventId, a]));
  const previousOf = new Map<string, AttributionResult>();
  for (const a of attributions) if (a.replacedBy) previousOf.set(a.replacedBy, a);

  const disputes = db
    .prepare(
      `SELECT dispute_id, partner_id, status, claimed_at, manual_from, decided_by, decided_at
       FROM disputes WHERE customer_id = ? ORDER BY opened_at, dispute_id`,
    )
    .all(customerId) as {
    dispute_id: number;
    partner_id: string;
    status: DisputeStatus;
    claimed_at: number;
    manual_from: number | null;
    decided_by: string | null;
    decided_at: number | null;
  }[];

  type Input = { id: string; kind: TimelineEntry['kind']; partnerId: string; at: number; ip: string | null };
  const inputs: (Input & { manual: boolean; dispute: (typeof disputes)[number] | null })[] = [];
  for (const [id, partnerId, kind, at, ip] of db
    .prepare(
      'SELECT event_id, partner_id, kind, occurred_at, ip FROM referral_events WHERE customer_id = ? ORDER BY occurred_at, event_id',
    )
    .raw(true)
    .all(customerId) as [string, string, string, number, string | null][])
    inputs.push({
      id,
      partnerId,
      kind: kind === 'register' || kind === 'login' ? kind : 'visit',
      at,
      // (support reads an IP masked, as everywhere: explain/mask.ts)
      ip: masked && ip !== null ? maskIp(ip) : ip,
      manual: false,
      dispute: null,
    });
  for (const d of disputes)
    if (d.status === 'upheld' && d.manual_from !== null)
      inputs.push({
        id: `dispute:${d.dispute_id}`,
        kind: 'manual',
        partnerId: d.partner_id,
        at: d.manual_from,
        ip: null,
        manual: true,
        dispute: d,
      });
  // the engine's order: time, then events before manual attributions, then id
  inputs.sort(
    (a, b) => a.at - b.at || Number(a.manual) - Number(b.manual) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  const entries: TimelineEntry[] = inputs.map((x) => {
    const a = byId.get(x.id);
    const e: TimelineEntry = {
      id: x.id,
      kind: x.kind,
      partnerId: x.partnerId,
      at: x.at,
      ip: x.ip,
      outcome: 'evidence',
      previous: null,
      codes: [],
      rules: [],
      until: null,
      locked: false,
      status: null,
      replacedBy: null,
      dispute: x.dispute
        ? {
            disputeId: x.dispute.dispute_id,
            decidedBy: x.dispute.decided_by,
            decidedAt: x.dispute.decided_at,
          }
        : null,
    };
    if (x.kind === 'visit') return e; // visits are evidence only, never attribution
    if (x.at > asOf) {
      e.outcome = 'after_as_of'; // R-OP-3: not counted by these results
      return e;
    }
    if (!a) {
      // an event naming a partner that is not in the store (DATA.md: skipped and listed)
      e.outcome = 'failed';
      e.codes = ['UNKNOWN_PARTNER'];
      return e;
    }
    e.status = a.status;
    if (a.until === null) {
      e.outcome = a.status === 'dissolved' ? 'dissolved' : 'failed';
      e.codes = a.reasons;
      e.rules = rulesOf(a.reasons);
      return e;
    }
    e.until = a.until;
    e.locked = a.locked;
    e.replacedBy = a.replacedBy;
    const prev = previousOf.get(a.eventId);
    if (prev) e.previous = { id: prev.eventId, partnerId: prev.partnerId };
    const manual = a.kind === 'manual' ? ['R-DISP-2'] : [];
    if (prev && prev.partnerId === a.partnerId) {
      e.outcome = 'renewed';
      e.rules = [...manual, 'R-ATTR-3'];
    } else {
      e.outcome = prev ? 'replaced' : 'created';
      e.rules =
        a.kind === 'manual'
          ? ['R-DISP-2', 'R-ATTR-1']
          : a.kind === 'register'
            ? prev
              ? ['R-ATTR-1', 'R-ATTR-2']
              : ['R-ATTR-1']
            : ['R-ATTR-2'];
    }
    if (a.locked && !e.rules.includes('R-ATTR-1')) e.rules.push('R-ATTR-1');
    return e;
  });

  // bands: each window until the attribution that took over; each lock until the next lock
  const bands: TimelineBand[] = [];
  const successful = attributions.filter((a) => a.until !== null).sort((a, b) => a.from - b.from);
  const startOf = new Map(successful.map((a) => [a.eventId, a.from]));
  const locks = successful.filter((a) => a.locked);
  for (const a of successful) {
    const until = a.until!;
    const next = a.replacedBy ? startOf.get(a.replacedBy) : undefined;
    bands.push({
      kind: 'window',
      partnerId: a.partnerId,
      entryId: a.eventId,
      from: a.from,
      until,
      endsAt: next !== undefined ? Math.min(next, until) : until,
    });
  }
  locks.forEach((a, i) => {
    const until = a.from + cfg.params.lockMs;
    const next = locks[i + 1]?.from;
    bands.push({
      kind: 'lock',
      partnerId: a.partnerId,
      entryId: a.eventId,
      from: a.from,
      until,
      endsAt: next !== undefined ? Math.min(next, until) : until,
    });
  });

  const orders: TimelineOrder[] = (
    db
      .prepare(
        `SELECT o.order_id, o.ordered_at, o.paid_fen, o.product_line, o.billing, r.status, r.reasons_json, r.partner_id,
                r.rebate_fen, r.rebate_status, r.attribution_event_id
         FROM orders o LEFT JOIN result_orders r ON r.order_id = o.order_id
         WHERE o.customer_id = ? ORDER BY o.ordered_at, o.order_id`,
      )
      .raw(true)
      .all(customerId) as [
      string,
      number,
      number,
      string,
      string,
      string | null,
      string | null,
      string | null,
      number | null,
      string | null,
      string | null,
    ][]
  ).map(
    ([
      orderId,
      at,
      paidFen,
      productLine,
      billing,
      status,
      reasons,
      partnerId,
      rebate,
      rebateStatus,
      attr,
    ]) => ({
      orderId,
      at,
      paidFen,
      productLine,
      billing,
      status,
      reasons: reasons ? (JSON.parse(reasons) as string[]) : [],
      partnerId,
      rebateFen: rebate ?? 0,
      rebateStatus,
      attributionId: attr,
      disputeId: disputeIdOf(attr),
    }),
  );
  // an order's partner is the one of the attribution in force at its time (R-ATTR-2)
  const consistent = orders.every(
    (o) =>
      o.at > asOf || (o.status !== null && (inForceAt(successful, o.at)?.partnerId ?? null) === o.partnerId),
  );

  const times = [...entries.map((e) => e.at), ...orders.map((o) => o.at), ...bands.map((b) => b.until)];
  return {
    customerId,
    customerName: masked && customer.name !== null ? maskName(customer.name) : customer.name,
    groupId,
    asOf,
    configVersion: run.configVersion,
    windowMs: cfg.params.windowMs,
    lockMs: cfg.params.lockMs,
    range: times.length
      ? { from: Math.min(...times), until: Math.max(...times) }
      : { from: asOf, until: asOf },
    entries,
    bands,
    orders,
    disputes: disputes.map((d) => ({
      disputeId: d.dispute_id,
      partnerId: d.partner_id,
      status: d.status,
      claimedAt: d.claimed_at,
      manualFrom: d.manual_from,
    })),
    consistent,
  };
}
