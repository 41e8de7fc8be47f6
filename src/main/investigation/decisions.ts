/**
 * The admin's desk decisions as change kinds of the one decision run (engine/decision-run.ts):
 * shared IPs (R-SAME-4), the blacklist (R-BL-1..3) and risk flags (R-CLAW-4). Each writes its own
 * rows with portable Kysely inside the decision's transaction, checks what it finds there (a
 * what-if and the applied decision refuse alike), and says what the engine recomputes:
 * - a shared IP: the stored groups of the accounts seen on it, regrouped (engine/regroup.ts);
 * - a blacklist entry that restricts promotion: the groups of the partner's customers (events
 *   from its start fail, R-BL-2) and the partner (frozen at as-of, R-BL-1); a freeze-only entry
 *   and a risk dismissal: the partner's own results only.
 * R-OP-3: every row keeps its effective instant (the decision's `effectiveAt`) and when it was
 * recorded; the engine counts it only from that instant.
 */
import type { Kysely } from 'kysely';
import { ApiError } from '../api/errors';
import type { Applied, ChangeHandler } from '../engine/changes';
import type { DecisionJob } from '../engine/decision-run';
import type { IncrementalScope } from '../engine/recompute';
import { formatInstant } from '../rules/time';
import { rowMessages } from '../sources/messages';
import { isIpAddress } from '../sources/values';
import type { Database } from '../store/database';

type Db = Kysely<Database>;

export type SharedIpChange = { kind: 'shared-ip'; ip: string; action: 'mark' | 'unmark' };
export type BlacklistChange = {
  kind: 'blacklist';
  partnerId: string;
  action: 'add' | 'lift';
  /** add: R-BL-2 restrict promotion too (default), or freeze rewards only */
  restrictPromotion?: boolean;
};
export type RiskChange = {
  kind: 'risk';
  partnerId: string;
  decision: 'blacklist' | 'dismiss';
  /** blacklist: whether the entry it creates restricts promotion (default true) */
  restrictPromotion?: boolean;
};

const fmt = formatInstant;

/**
 * R-SAME-4: what an import of login IPs or events would refuse is never marked shared (IP_INVALID);
 * an unmark takes any mark there is, whatever an older version let through.
 */
export function requireIpAddress(ip: string): void {
  if (!isIpAddress(ip))
    throw new ApiError(
      'IP_INVALID',
      `${ip}：${rowMessages.IP_INVALID.zh} / ${ip}: ${rowMessages.IP_INVALID.en}`,
      {
        ip,
      },
    );
}

/** R-SAME-4: an IP as the engine compares it (trimmed, as every imported cell). */
export function normalizeIp(ip: string): string {
  return ip.trim();
}

async function requirePartner(db: Db, partnerId: string): Promise<void> {
  const p = await db
    .selectFrom('partners')
    .select('partner_id')
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!p)
    throw new ApiError('PARTNER_NOT_FOUND', `没有云客 ${partnerId} / no partner ${partnerId}`, { partnerId });
}

/** The partner's blacklist entry without a lift, if any. */
export async function openBlacklistEntry(db: Db, partnerId: string) {
  return db
    .selectFrom('blacklist_entries')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('lifted_at', 'is', null)
    .orderBy('entry_id', 'desc')
    .executeTakeFirst();
}

/** The IP's mark without an unmark, if any. */
export async function openSharedMark(db: Db, ip: string) {
  return db
    .selectFrom('shared_ips')
    .selectAll()
    .where('ip', '=', ip)
    .where('unmarked_at', 'is', null)
    .orderBy('mark_id', 'desc')
    .executeTakeFirst();
}

/** R-BL-2 restricts events, so the partner's customers' groups are evaluated again. */
const blacklistScope = (partnerId: string, restrict: boolean): IncrementalScope =>
  restrict ? { partners: [partnerId] } : { partnerFacts: [partnerId] };

/** Adds a blacklist entry from the decision's effective instant (R-BL-3, R-OP-3). */
async function addBlacklistEntry(db: Db, partnerId: string, restrict: boolean, job: DecisionJob) {
  await requirePartner(db, partnerId);
  const open = await openBlacklistEntry(db, partnerId);
  if (open)
    throw new ApiError(
      'BLACKLIST_ALREADY',
      `云客 ${partnerId} 已在黑名单中（自 ${fmt(open.added_at)}） / partner ${partnerId} is already blacklisted (since ${fmt(open.added_at)})`,
      { partnerId, entryId: open.entry_id },
    );
  const last = await db
    .selectFrom('blacklist_entries')
    .select((eb) => eb.fn.max('lifted_at').as('until'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  const until = last?.until ?? null;
  if (until !== null && job.effectiveAt < until)
    throw new ApiError(
      'BLACKLIST_OVERLAPS',
      `生效时间早于上一次解除（${fmt(until)}） / the effective time is before the last lift (${fmt(until)})`,
      { partnerId, liftedAt: until },
    );
  const row = await db
    .insertInto('blacklist_entries')
    .values({
      partner_id: partnerId,
      restrict_promotion: restrict ? 1 : 0,
      reason: job.reason,
      added_by: job.actor.operatorId,
      added_at: job.effectiveAt,
      recorded_at: job.recordedAt,
      lifted_by: null,
      lifted_at: null,
      lift_reason: null,
      lift_recorded_at: null,
    })
    .returning('entry_id')
    .executeTakeFirstOrThrow();
  return { entryId: row.entry_id, addedAt: job.effectiveAt, restrictPromotion: restrict };
}

export const investigationChangeHandlers: {
  'shared-ip': ChangeHandler<SharedIpChange>;
  blacklist: ChangeHandler<BlacklistChange>;
  risk: ChangeHandler<RiskChange>;
} = {
  // 共享IP (R-SAME-4): a mark counts from its effective instant until its unmark (R-OP-3)
  'shared-ip': {
    async apply(db, change, job): Promise<Applied> {
      const ip = normalizeIp(change.ip);
      const open = await openSharedMark(db, ip);
      const scope: IncrementalScope = { sharedIps: [ip] };
      if (change.action === 'mark') {
        requireIpAddress(ip);
        if (open)
          throw new ApiError(
            'SHARED_IP_ALREADY_MARKED',
            `IP ${ip} 已标记为共享（自 ${fmt(open.marked_at)}） / IP ${ip} is already marked shared (since ${fmt(open.marked_at)})`,
            { ip, markId: open.mark_id },
          );
        const last = await db
          .selectFrom('shared_ips')
          .select((eb) => eb.fn.max('unmarked_at').as('until'))
          .where('ip', '=', ip)
          .executeTakeFirst();
        const until = last?.until ?? null;
        if (until !== null && job.effectiveAt < until)
          throw new ApiError(
            'SHARED_IP_OVERLAPS',
            `生效时间早于上一次取消标记（${fmt(until)}） / the effective time is before the last unmark (${fmt(until)})`,
            { ip, unmarkedAt: until },
          );
        const row = await db
          .insertInto('shared_ips')
          .values({
            ip,
            reason: job.reason,
            marked_by: job.actor.operatorId,
            marked_at: job.effectiveAt,
            recorded_at: job.recordedAt,
            unmarked_by: null,
            unmarked_at: null,
            unmark_reason: null,
            unmark_recorded_at: null,
          })
          .returning('mark_id')
          .executeTakeFirstOrThrow();
        return {
          action: 'shared_ip.mark',
          entity: 'ip',
          entityId: ip,
          before: { shared: false },
          after: { shared: true, markId: row.mark_id, markedAt: job.effectiveAt },
          scope,
        };
      }
      if (!open)
        throw new ApiError('SHARED_IP_NOT_MARKED', `IP ${ip} 未标记为共享 / IP ${ip} is not marked shared`, {
          ip,
        });
      if (job.effectiveAt < open.marked_at)
        throw new ApiError(
          'SHARED_IP_BEFORE_MARK',
          `取消标记的生效时间早于标记（${fmt(open.marked_at)}） / the unmark would take effect before the mark (${fmt(open.marked_at)})`,
          { ip, markedAt: open.marked_at },
        );
      await db
        .updateTable('shared_ips')
        .set({
          unmarked_by: job.actor.operatorId,
          unmarked_at: job.effectiveAt,
          unmark_reason: job.reason,
          unmark_recorded_at: job.recordedAt,
        })
        .where('mark_id', '=', open.mark_id)
        .execute();
      return {
        action: 'shared_ip.unmark',
        entity: 'ip',
        entityId: ip,
        before: { shared: true, markId: open.mark_id, markedAt: open.marked_at, reason: open.reason },
        after: { shared: false, markId: open.mark_id, unmarkedAt: job.effectiveAt },
        scope,
      };
    },
  },
  // 黑名单 (R-BL-1..3): in force from added_at until lifted_at (effective instants, R-OP-3)
  blacklist: {
    async apply(db, change, job): Promise<Applied> {
      if (change.action === 'add') {
        const restrict = change.restrictPromotion !== false;
        const entry = await addBlacklistEntry(db, change.partnerId, restrict, job);
        return {
          action: 'blacklist.add',
          entity: 'partner',
          entityId: change.partnerId,
          before: { blacklisted: false },
          after: { blacklisted: true, ...entry },
          scope: blacklistScope(change.partnerId, restrict),
        };
      }
      await requirePartner(db, change.partnerId);
      const open = await openBlacklistEntry(db, change.partnerId);
      if (!open)
        throw new ApiError(
          'BLACKLIST_NOT_FOUND',
          `云客 ${change.partnerId} 不在黑名单中 / partner ${change.partnerId} is not blacklisted`,
          { partnerId: change.partnerId },
        );
      if (job.effectiveAt < open.added_at)
        throw new ApiError(
          'BLACKLIST_LIFT_BEFORE_ADD',
          `解除的生效时间早于加入（${fmt(open.added_at)}） / the lift would take effect before the entry (${fmt(open.added_at)})`,
          { partnerId: change.partnerId, addedAt: open.added_at },
        );
      await db
        .updateTable('blacklist_entries')
        .set({
          lifted_by: job.actor.operatorId,
          lifted_at: job.effectiveAt,
          lift_reason: job.reason,
          lift_recorded_at: job.recordedAt,
        })
        .where('entry_id', '=', open.entry_id)
        .execute();
      return {
        action: 'blacklist.lift',
        entity: 'partner',
        entityId: change.partnerId,
        before: {
          blacklisted: true,
          entryId: open.entry_id,
          addedAt: open.added_at,
          restrictPromotion: open.restrict_promotion === 1,
          reason: open.reason,
        },
        after: { blacklisted: false, entryId: open.entry_id, liftedAt: job.effectiveAt },
        scope: blacklistScope(change.partnerId, open.restrict_promotion === 1),
      };
    },
  },
  // 风险复核 (R-CLAW-4): a flag never blacklists by itself; an admin blacklists or dismisses it
  risk: {
    async apply(db, change, job): Promise<Applied> {
      await requirePartner(db, change.partnerId);
      const flag = await db
        .selectFrom('result_partners')
        .select(['risk_flag', 'risk_status'])
        .where('partner_id', '=', change.partnerId)
        .executeTakeFirst();
      if (!flag || flag.risk_flag !== 1)
        throw new ApiError(
          'RISK_NOT_FLAGGED',
          `云客 ${change.partnerId} 没有风险标记（R-CLAW-4，以最近一次计算为准） / partner ${change.partnerId} is not flagged (R-CLAW-4, in the latest results)`,
          { partnerId: change.partnerId },
        );
      let entryId: number | null = null;
      let restrict = false;
      let created = false;
      if (change.decision === 'blacklist') {
        const open = await openBlacklistEntry(db, change.partnerId);
        if (open) {
          // already blacklisted: the decision records the review and links the entry in force
          entryId = open.entry_id;
          restrict = open.restrict_promotion === 1;
        } else {
          restrict = change.restrictPromotion !== false;
          entryId = (await addBlacklistEntry(db, change.partnerId, restrict, job)).entryId;
          created = true;
        }
      }
      const row = await db
        .insertInto('risk_decisions')
        .values({
          partner_id: change.partnerId,
          decision: change.decision,
          reason: job.reason,
          decided_by: job.actor.operatorId,
          effective_at: job.effectiveAt,
          recorded_at: job.recordedAt,
          blacklist_entry_id: entryId,
          // R-CLAW-4: only a clawback dated after the dismissal flags the partner again
          reflag_after: change.decision === 'dismiss' ? job.effectiveAt : null,
        })
        .returning('decision_id')
        .executeTakeFirstOrThrow();
      return {
        action: `risk.${change.decision}`,
        entity: 'partner',
        entityId: change.partnerId,
        before: { riskStatus: flag.risk_status },
        after: {
          decisionId: row.decision_id,
          decision: change.decision,
          ...(entryId !== null ? { entryId, entryCreated: created, restrictPromotion: restrict } : {}),
        },
        scope: created ? blacklistScope(change.partnerId, restrict) : { partnerFacts: [change.partnerId] },
      };
    },
  },
};
