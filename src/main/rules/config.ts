import { z } from 'zod';
import type { CycleKind } from './time';
import { days } from './time';

/**
 * The rule configuration (RULES.md: every number is a default of the configuration, not a
 * constant in code). Stored versioned in `rule_configs`; every run records the version it used.
 */
const levelSchema = z
  .object({
    id: z.string().min(1).max(20),
    name_zh: z.string().max(40),
    name_en: z.string().max(40),
    /** experience ≥ threshold (R-LVL-1) */
    threshold: z.number().int().nonnegative(),
    ratio_bp: z.number().int().min(0).max(10_000),
    cap_fen: z.number().int().nonnegative(),
    cycle: z.enum(['monthly', 'semi-monthly', 'weekly']),
  })
  .strict();

export const ruleConfigSchema = z
  .object({
    /** R-ATTR-1/2: attribution window and registration lock, in days of 24 h. */
    attribution: z.object({ window_days: z.number().positive(), lock_days: z.number().positive() }).strict(),
    /** R-CLAW-1/2 and R-REB-3: refunds within this many days claw back; rebates confirm after it. */
    clawback: z.object({ window_days: z.number().positive() }).strict(),
    /** R-EXP-1: 1 + floor(S / 1200) × 2 */
    exp: z
      .object({
        base: z.number().int().nonnegative(),
        step_yuan: z.number().positive(),
        per_step: z.number().int().nonnegative(),
      })
      .strict(),
    /** R-LVL-1: ascending thresholds; the first level has threshold 0. */
    levels: z.array(levelSchema).min(1).max(20),
    /** R-CLAW-4 */
    risk: z
      .object({
        min_clawed_orders: z.number().int().positive(),
        min_clawed_share_bp: z.number().int().min(0).max(10_000),
        window_days: z.number().positive(),
      })
      .strict(),
    /** DATA.md: a not_attributed order carries the codes of failed events this many days before it. */
    not_attributed_lookback_days: z.number().nonnegative(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.levels[0].threshold !== 0)
      ctx.addIssue({ code: 'custom', message: 'the first level must have threshold 0' });
    for (let i = 1; i < c.levels.length; i++) {
      if (c.levels[i].threshold <= c.levels[i - 1].threshold)
        ctx.addIssue({ code: 'custom', message: 'level thresholds must ascend' });
    }
    if (new Set(c.levels.map((l) => l.id)).size !== c.levels.length)
      ctx.addIssue({ code: 'custom', message: 'level ids must be unique' });
  });

export type RuleConfig = z.infer<typeof ruleConfigSchema>;
export type LevelConfig = RuleConfig['levels'][number];

/** RULES.md defaults: config version 1. */
export const defaultRuleConfig: RuleConfig = {
  attribution: { window_days: 30, lock_days: 30 },
  clawback: { window_days: 30 },
  exp: { base: 1, step_yuan: 1200, per_step: 2 },
  levels: [
    {
      id: 'L1',
      name_zh: '新星云客',
      name_en: 'Rising Star',
      threshold: 0,
      ratio_bp: 2000,
      cap_fen: 500_000,
      cycle: 'monthly',
    },
    {
      id: 'L2',
      name_zh: '银牌云客',
      name_en: 'Silver',
      threshold: 10,
      ratio_bp: 2500,
      cap_fen: 2_000_000,
      cycle: 'monthly',
    },
    {
      id: 'L3',
      name_zh: '金牌云客',
      name_en: 'Gold',
      threshold: 50,
      ratio_bp: 3000,
      cap_fen: 5_000_000,
      cycle: 'semi-monthly',
    },
    {
      id: 'L4',
      name_zh: '钻石云客',
      name_en: 'Diamond',
      threshold: 200,
      ratio_bp: 3500,
      cap_fen: 8_000_000,
      cycle: 'weekly',
    },
  ],
  risk: { min_clawed_orders: 3, min_clawed_share_bp: 3000, window_days: 90 },
  not_attributed_lookback_days: 30,
};

/** The numbers the engine uses, in milliseconds and fen. */
export interface EngineParams {
  windowMs: number;
  lockMs: number;
  clawbackMs: number;
  lookbackMs: number;
  riskWindowMs: number;
  expBase: number;
  expStepFen: number;
  expPerStep: number;
  levels: { id: string; threshold: number; ratioBp: number; capFen: number; cycle: CycleKind }[];
  riskMinClawed: number;
  riskMinShareBp: number;
}

export function engineParams(c: RuleConfig): EngineParams {
  return {
    windowMs: days(c.attribution.window_days),
    lockMs: days(c.attribution.lock_days),
    clawbackMs: days(c.clawback.window_days),
    lookbackMs: days(c.not_attributed_lookback_days),
    riskWindowMs: days(c.risk.window_days),
    expBase: c.exp.base,
    expStepFen: Math.round(c.exp.step_yuan * 100),
    expPerStep: c.exp.per_step,
    levels: c.levels.map((l) => ({
      id: l.id,
      threshold: l.threshold,
      ratioBp: l.ratio_bp,
      capFen: l.cap_fen,
      cycle: l.cycle,
    })),
    riskMinClawed: c.risk.min_clawed_orders,
    riskMinShareBp: c.risk.min_clawed_share_bp,
  };
}
