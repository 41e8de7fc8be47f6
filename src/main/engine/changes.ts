/**
 * The decisions that run through the engine (decision-run.ts), by kind: each writes its own rows
 * (portable Kysely, inside the decision's transaction) and says what the engine must recompute.
 * Serializable, so a decision can be handed to the engine's worker thread.
 */
import type { Kysely } from 'kysely';
import { configInEffect, insertConfigVersion } from '../config/rule-configs';
import type { RuleConfig } from '../rules/config';
import type { IncrementalScope } from '../rules/recompute';
import type { Database } from '../store/database';
import {
  investigationChangeHandlers,
  type BlacklistChange,
  type RiskChange,
  type SharedIpChange,
} from '../investigation/decisions';
import type { DecisionJob } from './decision-run';

export type Change = { kind: 'config'; config: RuleConfig } | SharedIpChange | BlacklistChange | RiskChange;

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
  // 共享IP, 黑名单, 风险复核 (R-SAME-4, R-BL, R-CLAW-4): src/main/investigation/decisions.ts
  ...investigationChangeHandlers,
};
