/**
 * The decisions that run through the engine (decision-run.ts), by kind: each writes its own rows
 * (portable Kysely, inside the decision's transaction) and says what the engine must recompute.
 * Serializable, so a decision can be handed to the engine's worker thread.
 */
import type { Kysely } from 'kysely';
import { configInEffect, insertConfigVersion } from '../config/rule-configs';
import { applyRevoke, applyUphold } from '../disputes/disputes';
import { revokeLevelOverride, writeLevelOverride } from '../levels/overrides';
import type { RuleConfig } from '../rules/config';
import type { IncrementalScope } from './recompute';
import type { Database } from '../store/database';
import {
  investigationChangeHandlers,
  type BlacklistChange,
  type RiskChange,
  type SharedIpChange,
} from '../investigation/decisions';
import type { DecisionJob } from './decision-run';

export type Change =
  | { kind: 'config'; config: RuleConfig }
  /** R-DISP-2: the manual attribution starts at the job's effectiveAt */
  | { kind: 'dispute.uphold'; disputeId: number }
  | { kind: 'dispute.revoke'; disputeId: number }
  /** 等级调整 (R-LVL-2): a partner's level from the decision's instant, until `until` (null: open-ended) */
  | { kind: 'level.override'; partnerId: string; level: string; until: number | null }
  /** ends an override from the decision's instant (R-LVL-2) */
  | { kind: 'level.revoke'; overrideId: number }
  | SharedIpChange
  | BlacklistChange
  | RiskChange;

export interface Applied {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** what the engine recomputes: everything, or the groups of these customers and partners */
  scope: 'full' | IncrementalScope;
}

export interface ChangeHandler<C extends Change> {
  apply(db: Kysely<Database>, change: C, job: DecisionJob): Promise<Applied>;
}

type Handlers = { [K in Change['kind']]: ChangeHandler<Extract<Change, { kind: K }>> };

export const changeHandlers: Handlers = {
  // 规则配置: a new version in effect from the decision's instant (R-OP-3); every result may move
  config: {
    async apply(db, change, job) {
      const before = await configInEffect(db, job.effectiveAt);
      const v = await insertConfigVersion(db, {
        config: change.config,
        note: job.reason,
        createdBy: job.actor.operatorId,
        createdAt: job.recordedAt,
        effectiveFrom: job.effectiveAt,
      });
      return {
        action: 'config.save',
        entity: 'rule_config',
        entityId: String(v.version),
        before: { version: before.version, config: before.config },
        after: { version: v.version, config: v.config, effectiveFrom: v.effectiveFrom },
        scope: 'full',
      };
    },
  },
  // 争议支持: the claimant holds the customer by a manual attribution (R-DISP-2); only the
  // customer's same-person group and the partners it credits can change
  'dispute.uphold': {
    async apply(db, change, job) {
      const a = await applyUphold(
        db,
        change.disputeId,
        job.effectiveAt,
        job.actor,
        job.recordedAt,
        job.reason,
      );
      return {
        action: 'dispute.uphold',
        entity: 'dispute',
        entityId: String(change.disputeId),
        before: a.before,
        after: a.after,
        scope: { customers: [a.customerId] },
      };
    },
  },
  // 撤销: the manual attribution is withdrawn as a whole, the results are as if never granted
  'dispute.revoke': {
    async apply(db, change, job) {
      const a = await applyRevoke(db, change.disputeId, job.actor, job.recordedAt, job.reason);
      return {
        action: 'dispute.revoke',
        entity: 'dispute',
        entityId: String(change.disputeId),
        before: a.before,
        after: a.after,
        scope: { customers: [a.customerId] },
      };
    },
  },
  // 等级调整 (R-LVL-2, R-LVL-3): later orders of the partner get the new ratio, earlier keep theirs
  'level.override': {
    async apply(db, change, job) {
      const r = await writeLevelOverride(db, {
        partnerId: change.partnerId,
        level: change.level,
        startsAt: job.effectiveAt,
        endsAt: change.until,
        reason: job.reason,
        createdBy: job.actor.operatorId,
        createdAt: job.recordedAt,
      });
      return {
        action: 'level.override',
        entity: 'partner',
        entityId: change.partnerId,
        before: r.before,
        after: r.after,
        scope: { partners: [change.partnerId] },
      };
    },
  },
  'level.revoke': {
    async apply(db, change, job) {
      const r = await revokeLevelOverride(db, {
        overrideId: change.overrideId,
        at: job.effectiveAt,
        reason: job.reason,
        revokedBy: job.actor.operatorId,
      });
      return {
        action: 'level.revoke',
        entity: 'partner',
        entityId: r.partnerId,
        before: r.before,
        after: r.after,
        scope: { partners: [r.partnerId] },
      };
    },
  },
  // 共享IP, 黑名单, 风险复核 (R-SAME-4, R-BL, R-CLAW-4): src/main/investigation/decisions.ts
  ...investigationChangeHandlers,
};
