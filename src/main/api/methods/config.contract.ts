/**
 * 规则配置: the rule configuration in force, its versions, a diff of two, and a new version
 * after its impact preview by the real engine (R-OP-1: admins; R-OP-2: with a reason; R-OP-3:
 * from an effective instant). No Node imports.
 */
import { z } from 'zod';
import type { DecisionOutcome } from '../../engine/decision-types';
import { ruleConfigSchema, type RuleConfig } from '../../rules/config';
import { ADMINS, method, READERS } from '../define';
import { effectiveAt, reason, reportLimit } from '../fields';

export interface ConfigVersionView {
  version: number;
  config: RuleConfig;
  note: string | null;
  createdBy: string;
  createdAt: number;
  effectiveFrom: number;
}

export interface ConfigDiffView {
  a: number;
  b: number;
  lines: { path: string; before: unknown; after: unknown }[];
}

const change = { config: ruleConfigSchema, reason, effectiveAt };

export const configContract = {
  /** Every version, newest first, and the one in force now. */
  'config.versions': method<{ versions: ConfigVersionView[]; inForce: number }>()(
    z.object({}).strict(),
    READERS,
  ),
  'config.diff': method<ConfigDiffView>()(
    z.object({ a: z.number().int().min(1), b: z.number().int().min(1) }).strict(),
    READERS,
  ),
  /**
   * What a new version would change, computed by the engine without writing anything: a read
   * (DATA.md `what-if --config` reads only), open to every role like the other what-ifs.
   */
  'config.preview': method<DecisionOutcome>()(
    z.object({ ...change, reason: reason.optional(), limit: reportLimit }).strict(),
    READERS,
  ),
  'config.save': method<DecisionOutcome>()(z.object({ ...change, limit: reportLimit }).strict(), ADMINS, [
    'rule_configs',
    'audit_log',
    'engine_runs',
    'result_attributions',
    'result_orders',
    'result_experience',
    'result_partners',
    'result_payouts',
    'result_same_person',
    'result_same_person_edges',
    'result_investigation',
    'result_investigation_partners',
  ]),
};
