/**
 * 等级: the level table in force with partners per level (R-LVL-1), a partner's experience
 * ledger and level history (R-EXP-1, R-EXP-2, R-CLAW-1, R-LVL-1), and level overrides with their
 * preview (R-LVL-2, R-LVL-3; R-OP-1: admins; R-OP-2: a reason; R-OP-3: from an effective
 * instant). No Node imports: the renderer imports these types.
 */
import { z } from 'zod';
import type { DecisionOutcome } from '../../engine/decision-types';
import { ADMINS, method, READERS } from '../define';
import { effectiveAt, reason, reportLimit } from '../fields';
import type { TableName } from '../../store/database';

export interface LevelRowView {
  id: string;
  nameZh: string;
  nameEn: string;
  threshold: number;
  ratioBp: number;
  capFen: number;
  cycle: 'monthly' | 'semi-monthly' | 'weekly';
  /** partners at this level at the engine's as-of */
  partners: number;
  /** of them, by an override in force (R-LVL-2) */
  overridden: number;
}

export interface LevelTableView {
  configVersion: number;
  /** the engine's as-of the counts are of; null before the first recompute */
  asOf: number | null;
  levels: LevelRowView[];
  totalPartners: number;
}

/** One credit or deduction of experience (R-EXP-1, R-CLAW-1), with the balance after it. */
export interface ExperienceEntryView {
  at: number;
  delta: number;
  /** net experience after this entry (R-EXP-2: never below 0 per customer) */
  balance: number;
  customerId: string;
  /** the customer's valid order that earns the experience */
  orderId: string;
  /** what caused the entry: an order (a credit) or a refund (a deduction) */
  sourceId: string;
  sourceKind: 'order' | 'refund';
}

/** The level from `at` on (after the experience credited at `at`). */
export interface LevelPointView {
  at: number;
  level: string;
  experience: number;
  source: 'experience' | 'override';
  overrideId: number | null;
}

export interface LevelOverrideView {
  overrideId: number;
  partnerId: string;
  level: string;
  reason: string;
  startsAt: number;
  endsAt: number | null;
  createdBy: string;
  createdAt: number;
  revokedBy: string | null;
  revokedAt: number | null;
  revokeReason: string | null;
  /** at the engine's as-of (or now before any run): in force, not started yet, ended, revoked */
  state: 'in_force' | 'scheduled' | 'ended' | 'revoked';
}

export interface PartnerLevelsView {
  partnerId: string;
  name: string | null;
  asOf: number | null;
  configVersion: number | null;
  level: string | null;
  experience: number;
  ledger: ExperienceEntryView[];
  history: LevelPointView[];
  overrides: LevelOverrideView[];
}

/** What an override or a revocation writes when applied (the what-if rolls it all back). */
const DECISION_WRITES: TableName[] = [
  'level_overrides',
  'audit_log',
  'engine_runs',
  'result_attributions',
  'result_orders',
  'result_experience',
  'result_partners',
  'result_payouts',
  'result_levels',
];

const override = z
  .object({
    partnerId: z.string().trim().min(1).max(200),
    level: z.string().trim().min(1).max(20),
    reason,
    /** the override's start (R-OP-3); default: when it is recorded */
    effectiveAt,
    /** optional end, exclusive (epoch ms) */
    until: z.number().int().min(0).max(8_640_000_000_000_000).nullable().optional(),
    limit: reportLimit,
  })
  .strict();
const revoke = z.object({ overrideId: z.number().int().min(1), reason, limit: reportLimit }).strict();

export const levelsContract = {
  /** The level table in force, with partners per level. */
  'levels.table': method<LevelTableView>()(z.object({}).strict(), READERS),
  /** A partner's experience ledger, level history and overrides (≤ 50 ms on demo scale 20). */
  'levels.partner': method<PartnerLevelsView>()(
    z.object({ partnerId: z.string().trim().min(1).max(200) }).strict(),
    READERS,
  ),
  'levels.overrides': method<LevelOverrideView[]>()(
    z
      .object({
        partnerId: z.string().trim().min(1).max(200).optional(),
        state: z.enum(['in_force', 'scheduled', 'ended', 'revoked']).optional(),
      })
      .strict(),
    READERS,
  ),
  /** R-LVL-2: the rebates an override would change, computed by the engine, nothing kept. */
  'levels.overridePreview': method<DecisionOutcome>()(override, ADMINS),
  'levels.override': method<DecisionOutcome>()(override, ADMINS, DECISION_WRITES),
  'levels.revokePreview': method<DecisionOutcome>()(revoke, ADMINS),
  'levels.revoke': method<DecisionOutcome>()(revoke, ADMINS, DECISION_WRITES),
};
