/**
 * 争议处理: attribution disputes (R-DISP-1, R-DISP-2). A case is opened by support or an admin,
 * and decided by an admin with a reason (R-OP-2). Rejecting changes nothing but the case;
 * upholding and revoking change an input of the rule engine (the manual attribution, loaded by
 * engine/load.ts), so they run through the one decision path (engine/changes.ts). Portable Kysely.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  DisputeDetail,
  DisputePage,
  DisputeQueueRow,
  DisputeStake,
  DisputeView,
} from '../api/methods/disputes.contract';
import { ApiError } from '../api/errors';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import { configInEffect } from '../config/rule-configs';
import { engineParams, ruleConfigSchema, type EngineParams } from '../rules/config';
import { rebateFen } from '../rules/rebate';
import { maskKnownIn, maskName, type KnownIdentity } from '../explain/mask';
import { formatInstant } from '../rules/time';
import type { Database } from '../store/database';
import type { DisputeRow, DisputeStatus } from '../store/disputes.table';

type Db = Kysely<Database> | Transaction<Database>;

export class DisputeError extends ApiError {}

const notFound = (id: number) =>
  new DisputeError('DISPUTE_NOT_FOUND', `未找到争议 #${id} / no dispute #${id}`, { disputeId: id });

const STATUS_ZH: Record<DisputeStatus, string> = {
  open: '待处理',
  upheld: '已支持',
  rejected: '已驳回',
  revoked: '已撤销',
};

/** A case in a state its decision cannot apply to (decided twice, revoking what was not upheld). */
function wrongStatus(row: DisputeRow, want: DisputeStatus): DisputeError {
  return new DisputeError(
    'DISPUTE_WRONG_STATUS',
    `争议 #${row.dispute_id} 当前为「${STATUS_ZH[row.status]}」，需要「${STATUS_ZH[want]}」 / ` +
      `dispute #${row.dispute_id} is ${row.status}, not ${want}`,
    { disputeId: row.dispute_id, status: row.status, want },
  );
}

type Named = DisputeRow & {
  partner_name: string | null;
  partner_phone: string | null;
  partner_id_number: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_id_number: string | null;
};

/**
 * The identity values each case's words may name, as the support role must not read them: its
 * claimant's and customer's, and those of every partner of the customer's chain (the one the claim
 * is against), as an order's explanation masks them (explain-order.ts maskedCase).
 */
async function identitiesOf(db: Db, rows: Named[]): Promise<Map<number, KnownIdentity[]>> {
  const customers = [...new Set(rows.map((r) => r.customer_id))];
  const chains =
    customers.length === 0
      ? []
      : await db
          .selectFrom('result_attributions')
          .select(['customer_id', 'partner_id'])
          .distinct()
          .where('customer_id', 'in', customers)
          .execute();
  const chainOf = new Map<string, string[]>();
  for (const c of chains) chainOf.set(c.customer_id, [...(chainOf.get(c.customer_id) ?? []), c.partner_id]);
  const partnerIds = [...new Set(chains.map((c) => c.partner_id))];
  const partners = new Map(
    (partnerIds.length === 0
      ? []
      : await db
          .selectFrom('partners')
          .select(['partner_id', 'name', 'phone', 'id_number'])
          .where('partner_id', 'in', partnerIds)
          .execute()
    ).map((p) => [p.partner_id, { name: p.name, phone: p.phone, idNumber: p.id_number }]),
  );
  return new Map(
    rows.map((r) => [
      r.dispute_id,
      [
        { name: r.partner_name, phone: r.partner_phone, idNumber: r.partner_id_number },
        { name: r.customer_name, phone: r.customer_phone, idNumber: r.customer_id_number },
        ...(chainOf.get(r.customer_id) ?? []).flatMap((id) => partners.get(id) ?? []),
      ],
    ]),
  );
}

/**
 * A case as its reader sees it: `known` (the support role: identitiesOf), the claimant's and
 * customer's names masked, and the identity values `known` holds in the claim and the reasons
 * (explain/mask.ts).
 */
function view(r: Named, known?: KnownIdentity[]): DisputeView {
  const text = <T extends string | null>(s: T): T => (known && s !== null ? (maskKnownIn(s, known) as T) : s);
  const name = (s: string | null) => (known && s !== null ? maskName(s) : s);
  return {
    disputeId: r.dispute_id,
    partnerId: r.partner_id,
    partnerName: name(r.partner_name),
    customerId: r.customer_id,
    customerName: name(r.customer_name),
    orderId: r.order_id,
    claim: text(r.claim),
    claimedAt: r.claimed_at,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionReason: text(r.decision_reason),
    manualFrom: r.manual_from,
    revokedBy: r.revoked_by,
    revokedAt: r.revoked_at,
    revokeReason: text(r.revoke_reason),
  };
}

/** Cases with their claimant's and customer's names and identity values (left joins through the
 * primary keys). */
function named(db: Db) {
  return db
    .selectFrom('disputes as d')
    .leftJoin('partners as p', 'p.partner_id', 'd.partner_id')
    .leftJoin('customers as c', 'c.customer_id', 'd.customer_id')
    .selectAll('d')
    .select([
      'p.name as partner_name',
      'p.phone as partner_phone',
      'p.id_number as partner_id_number',
      'c.name as customer_name',
      'c.phone as customer_phone',
      'c.id_number as customer_id_number',
    ]);
}

export async function getDisputeRow(db: Db, disputeId: number): Promise<DisputeRow> {
  const r = await db
    .selectFrom('disputes')
    .selectAll()
    .where('dispute_id', '=', disputeId)
    .executeTakeFirst();
  if (!r) throw notFound(disputeId);
  return r;
}

/** A case (`masked`: as the support role reads it, view). */
export async function getDispute(db: Db, disputeId: number, masked = false): Promise<DisputeView> {
  const r = (await named(db).where('d.dispute_id', '=', disputeId).executeTakeFirst()) as Named | undefined;
  if (!r) throw notFound(disputeId);
  return view(r, masked ? (await identitiesOf(db, [r])).get(r.dispute_id) : undefined);
}

export interface NewDispute {
  partnerId: string;
  customerId: string;
  orderId?: string;
  claim: string;
  claimedAt: number;
}

/**
 * Opens a case (R-DISP-1): the claimant and the customer must be in the store, the order (if
 * named) must be the customer's, the instant claimed no later than now, and the claimant may have
 * one open case per customer.
 */
export async function openDispute(
  db: Kysely<Database>,
  input: NewDispute,
  actor: Actor,
  now: number,
  /** the case as the support role reads it (view) */
  masked = false,
): Promise<DisputeView> {
  if (input.claimedAt > now)
    throw new DisputeError(
      'DISPUTE_CLAIMED_LATER',
      `申诉时点 ${formatInstant(input.claimedAt)} 晚于现在：申诉的是已经发生的关联 / ` +
        `the instant claimed, ${formatInstant(input.claimedAt)}, is later than now: a claim is about what already happened`,
      { claimedAt: input.claimedAt, now },
    );
  const id = await db.transaction().execute(async (trx) => {
    const partner = await trx
      .selectFrom('partners')
      .select('partner_id')
      .where('partner_id', '=', input.partnerId)
      .executeTakeFirst();
    if (!partner)
      throw new DisputeError(
        'DISPUTE_UNKNOWN_PARTNER',
        `未找到云客 ${input.partnerId} / no partner ${input.partnerId}`,
        { partnerId: input.partnerId },
      );
    const customer = await trx
      .selectFrom('customers')
      .select('customer_id')
      .where('customer_id', '=', input.customerId)
      .executeTakeFirst();
    if (!customer)
      throw new DisputeError(
        'DISPUTE_UNKNOWN_CUSTOMER',
        `未找到客户 ${input.customerId} / no customer ${input.customerId}`,
        { customerId: input.customerId },
      );
    if (input.orderId !== undefined) {
      const order = await trx
        .selectFrom('orders')
        .select('customer_id')
        .where('order_id', '=', input.orderId)
        .executeTakeFirst();
      if (!order || order.customer_id !== input.customerId)
        throw new DisputeError(
          'DISPUTE_UNKNOWN_ORDER',
          `订单 ${input.orderId} 不存在或不属于客户 ${input.customerId} / order ${input.orderId} is not an order of customer ${input.customerId}`,
          { orderId: input.orderId, customerId: input.customerId },
        );
    }
    const open = await trx
      .selectFrom('disputes')
      .select('dispute_id')
      .where('customer_id', '=', input.customerId)
      .where('status', '=', 'open')
      .where('partner_id', '=', input.partnerId)
      .executeTakeFirst();
    if (open)
      throw new DisputeError(
        'DISPUTE_ALREADY_OPEN',
        `云客 ${input.partnerId} 对客户 ${input.customerId} 已有待处理的争议 #${open.dispute_id} / ` +
          `partner ${input.partnerId} already has open dispute #${open.dispute_id} about customer ${input.customerId}`,
        { disputeId: open.dispute_id },
      );
    const row = await trx
      .insertInto('disputes')
      .values({
        partner_id: input.partnerId,
        customer_id: input.customerId,
        order_id: input.orderId ?? null,
        claim: input.claim,
        claimed_at: input.claimedAt,
        opened_by: actor.operatorId,
        opened_at: now,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        manual_from: null,
        revoked_by: null,
        revoked_at: null,
        revoke_reason: null,
      })
      .returning('dispute_id')
      .executeTakeFirstOrThrow();
    // R-OP-2: the claim is the entry's reason
    await appendAudit(
      trx,
      {
        actor,
        action: 'dispute.open',
        entity: 'dispute',
        entityId: String(row.dispute_id),
        reason: input.claim,
        after: {
          disputeId: row.dispute_id,
          partnerId: input.partnerId,
          customerId: input.customerId,
          orderId: input.orderId ?? null,
          claimedAt: input.claimedAt,
          status: 'open',
        },
      },
      now,
    );
    return row.dispute_id;
  });
  return getDispute(db, id, masked);
}

/** Rejects an open case (R-DISP-2: changes nothing but the case). */
export async function rejectDispute(
  db: Kysely<Database>,
  disputeId: number,
  reason: string,
  actor: Actor,
  now: number,
  effectiveAt = now,
): Promise<DisputeView> {
  await db.transaction().execute(async (trx) => {
    // the write first (it takes the write lock): of two decisions at once, one finds the case decided
    const r = await trx
      .updateTable('disputes')
      .set({ status: 'rejected', decided_by: actor.operatorId, decided_at: now, decision_reason: reason })
      .where('dispute_id', '=', disputeId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw wrongStatus(await getDisputeRow(trx, disputeId), 'open');
    await appendAudit(
      trx,
      {
        actor,
        action: 'dispute.reject',
        entity: 'dispute',
        entityId: String(disputeId),
        reason,
        effectiveAt,
        before: { status: 'open' },
        after: { status: 'rejected' },
      },
      now,
    );
  });
  return getDispute(db, disputeId);
}

/** What a decision on a case writes, for engine/changes.ts (inside the decision's transaction). */
export interface DisputeApplied {
  customerId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Upholds an open case (R-DISP-2): the claimant holds the customer by a manual attribution from
 * `startAt` (the decision's effective instant: the admin's, by default the instant claimed).
 */
export async function applyUphold(
  trx: Db,
  disputeId: number,
  startAt: number,
  actor: Actor,
  recordedAt: number,
  reason: string,
): Promise<DisputeApplied> {
  const row = await getDisputeRow(trx, disputeId);
  if (row.status !== 'open') throw wrongStatus(row, 'open');
  await trx
    .updateTable('disputes')
    .set({
      status: 'upheld',
      decided_by: actor.operatorId,
      decided_at: recordedAt,
      decision_reason: reason,
      manual_from: startAt,
    })
    .where('dispute_id', '=', disputeId)
    .execute();
  return {
    customerId: row.customer_id,
    before: { status: 'open' },
    after: {
      disputeId,
      status: 'upheld',
      partnerId: row.partner_id,
      customerId: row.customer_id,
      manualFrom: startAt,
      manualFromText: formatInstant(startAt),
    },
  };
}

/** Revokes an upheld case: its manual attribution is withdrawn as a whole. */
export async function applyRevoke(
  trx: Db,
  disputeId: number,
  actor: Actor,
  recordedAt: number,
  reason: string,
): Promise<DisputeApplied & { manualFrom: number }> {
  const row = await getDisputeRow(trx, disputeId);
  if (row.status !== 'upheld') throw wrongStatus(row, 'upheld');
  await trx
    .updateTable('disputes')
    .set({ status: 'revoked', revoked_by: actor.operatorId, revoked_at: recordedAt, revoke_reason: reason })
    .where('dispute_id', '=', disputeId)
    .execute();
  return {
    customerId: row.customer_id,
    manualFrom: row.manual_from!,
    before: { status: 'upheld', partnerId: row.partner_id, manualFrom: row.manual_from },
    after: { disputeId, status: 'revoked' },
  };
}

const parsedConfigs = new Map<string, EngineParams>();

/** The rule numbers of the results: the config of the last run (else the one in effect at `now`). */
export async function attributionParams(db: Db, now: number): Promise<EngineParams & { version: number }> {
  const run = await db
    .selectFrom('engine_runs')
    .select('config_version')
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (run) {
    const row = await db
      .selectFrom('rule_configs')
      .select('config_json')
      .where('version', '=', run.config_version)
      .executeTakeFirst();
    if (row) {
      // a version's text never changes: parse (and validate) it once
      let params = parsedConfigs.get(row.config_json);
      if (!params) {
        params = engineParams(ruleConfigSchema.parse(JSON.parse(row.config_json)));
        if (parsedConfigs.size > 16) parsedConfigs.clear();
        parsedConfigs.set(row.config_json, params);
      }
      return { ...params, version: run.config_version };
    }
  }
  const v = await configInEffect(db, now);
  return { ...engineParams(v.config), version: v.version };
}

/**
 * The money at stake of some cases (DisputeStake), from the stored results: batched lookups of
 * the named orders, the customers' valid orders and first not-attributed orders, and the
 * claimants' levels.
 */
export async function stakesOf(db: Db, rows: DisputeRow[]): Promise<Map<number, DisputeStake>> {
  const out = new Map<number, DisputeStake>();
  if (rows.length === 0) return out;
  const orderCols = [
    'order_id',
    'customer_id',
    'partner_id',
    'status',
    'net_fen',
    'gross_rebate_fen',
    'ordered_at',
  ] as const;
  type R = {
    order_id: string;
    customer_id: string;
    partner_id: string | null;
    status: string;
    net_fen: number;
    gross_rebate_fen: number;
    ordered_at: number;
  };
  const named = [...new Set(rows.flatMap((r) => (r.order_id ? [r.order_id] : [])))];
  const byOrder = new Map<string, R>();
  if (named.length)
    for (const o of await db
      .selectFrom('result_orders')
      .select(orderCols)
      .where('order_id', 'in', named)
      .execute())
      byOrder.set(o.order_id, o);
  const customers = [...new Set(rows.filter((r) => !r.order_id).map((r) => r.customer_id))];
  const ofCustomer = new Map<string, R[]>();
  if (customers.length)
    for (const o of await db
      .selectFrom('result_orders')
      .select(orderCols)
      .where('customer_id', 'in', customers)
      .where('status', 'in', ['valid', 'not_attributed'])
      .orderBy('ordered_at')
      .orderBy('order_id')
      .execute())
      ofCustomer.set(o.customer_id, [...(ofCustomer.get(o.customer_id) ?? []), o]);
  const claimants = [...new Set(rows.map((r) => r.partner_id))];
  const levelOf = new Map<string, string>();
  for (const p of await db
    .selectFrom('result_partners')
    .select(['partner_id', 'level'])
    .where('partner_id', 'in', claimants)
    .execute())
    levelOf.set(p.partner_id, p.level);
  let params: EngineParams | null = null;
  for (const r of rows) {
    let o: R | undefined;
    if (r.order_id) o = byOrder.get(r.order_id);
    else {
      const list = ofCustomer.get(r.customer_id) ?? [];
      o =
        list.find((x) => x.status === 'valid') ??
        list.find((x) => x.status === 'not_attributed' && x.ordered_at >= r.claimed_at);
    }
    const stake: DisputeStake = {
      orderId: o?.order_id ?? r.order_id,
      orderStatus: o?.status ?? null,
      currentPartnerId: o?.partner_id ?? null,
      fen: 0,
      basis: 'none',
    };
    if (o?.status === 'valid') {
      stake.fen = o.gross_rebate_fen;
      stake.basis = o.partner_id === r.partner_id ? 'earned_by_claimant' : 'earned_by_other';
    } else if (o?.status === 'not_attributed') {
      params ??= await attributionParams(db, Date.now());
      const levels = params.levels;
      const level = levels.find((l) => l.id === levelOf.get(r.partner_id)) ?? levels[0];
      stake.fen = rebateFen(o.net_fen, level.ratioBp);
      stake.basis = 'unattributed';
    }
    out.set(r.dispute_id, stake);
  }
  return out;
}

export interface DisputeFilter {
  status?: DisputeStatus;
  partnerId?: string;
  customerId?: string;
}

/** Cases matching `filter`, oldest first (opened, then id), one page, with waiting times and stakes
 * (`masked`: as the support role reads them, view). */
export async function listDisputes(
  db: Db,
  filter: DisputeFilter,
  limit: number,
  offset: number,
  now: number,
  masked = false,
): Promise<DisputePage> {
  let q = named(db);
  let c = db.selectFrom('disputes').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.status) {
    q = q.where('d.status', '=', filter.status);
    c = c.where('status', '=', filter.status);
  }
  if (filter.partnerId) {
    q = q.where('d.partner_id', '=', filter.partnerId);
    c = c.where('partner_id', '=', filter.partnerId);
  }
  if (filter.customerId) {
    q = q.where('d.customer_id', '=', filter.customerId);
    c = c.where('customer_id', '=', filter.customerId);
  }
  const rows = (await q
    .orderBy('d.opened_at')
    .orderBy('d.dispute_id')
    .limit(limit)
    .offset(offset)
    .execute()) as Named[];
  const total = Number((await c.executeTakeFirstOrThrow()).n);
  const stakes = await stakesOf(db, rows);
  const known = masked ? await identitiesOf(db, rows) : null;
  return {
    rows: rows.map((r) => queueRow(r, stakes.get(r.dispute_id)!, now, known?.get(r.dispute_id))),
    total,
  };
}

function queueRow(r: Named, stake: DisputeStake, now: number, known?: KnownIdentity[]): DisputeQueueRow {
  return { ...view(r, known), waitedMs: Math.max(0, (r.decided_at ?? now) - r.opened_at), stake };
}

/** The case view: the case, its stake, the order's result, the other cases of the customer, its
 * audit trail (`masked`: as the support role reads them, view). */
export async function disputeDetail(
  db: Db,
  disputeId: number,
  now: number,
  masked = false,
): Promise<DisputeDetail> {
  const r = (await named(db).where('d.dispute_id', '=', disputeId).executeTakeFirst()) as Named | undefined;
  if (!r) throw notFound(disputeId);
  const stake = (await stakesOf(db, [r])).get(disputeId)!;
  const known = masked ? (await identitiesOf(db, [r])).get(disputeId) : undefined;
  let order: DisputeDetail['order'] = null;
  if (r.order_id) {
    const o = await db
      .selectFrom('orders as o')
      .leftJoin('result_orders as ro', 'ro.order_id', 'o.order_id')
      .select(['o.order_id', 'o.ordered_at', 'o.paid_fen', 'ro.status', 'ro.partner_id', 'ro.rebate_fen'])
      .where('o.order_id', '=', r.order_id)
      .executeTakeFirst();
    if (o)
      order = {
        orderId: o.order_id,
        orderedAt: o.ordered_at,
        paidFen: o.paid_fen,
        status: o.status ?? null,
        partnerId: o.partner_id ?? null,
        rebateFen: o.rebate_fen ?? 0,
      };
  }
  const related = (
    await db
      .selectFrom('disputes')
      .select(['dispute_id', 'partner_id', 'status', 'opened_at'])
      .where('customer_id', '=', r.customer_id)
      .where('dispute_id', '<>', disputeId)
      .orderBy('opened_at')
      .orderBy('dispute_id')
      .execute()
  ).map((x) => ({
    disputeId: x.dispute_id,
    partnerId: x.partner_id,
    status: x.status,
    openedAt: x.opened_at,
  }));
  const trail = (
    await db
      .selectFrom('audit_log')
      .select([
        'audit_id',
        'action',
        'operator_id',
        'role',
        'recorded_at',
        'effective_at',
        'reason',
        'entity',
      ])
      .where('entity_id', '=', String(disputeId))
      .where('entity', '=', 'dispute')
      .orderBy('audit_id')
      .execute()
  ).map((a) => ({
    auditId: a.audit_id,
    action: a.action,
    operatorId: a.operator_id,
    role: a.role,
    recordedAt: a.recorded_at,
    effectiveAt: a.effective_at,
    reason: known && a.reason !== null ? maskKnownIn(a.reason, known) : a.reason,
  }));
  return { ...queueRow(r, stake, now, known), order, related, trail };
}
