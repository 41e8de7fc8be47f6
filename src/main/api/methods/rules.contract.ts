import { z } from 'zod';
import { method, READERS, type Caller } from '../define';
import { idField, MAX_IDS, queryField } from '../fields';

/** One engine run (engine_runs): config version and as-of it used (R-RECALC-1). */
export interface EngineRunInfo {
  runId: number;
  mode: 'full' | 'incremental';
  /** When the run started (epoch ms): "computed at" on the screens. */
  startedAt: number;
  asOf: number;
  configVersion: number;
  durationMs: number;
  stats: Record<string, unknown>;
}

/** An order's result row (the export shape of DATA.md plus what the screens show). */
export interface OrderResultRow {
  order_id: string;
  customer_id: string;
  partner_id: string | null;
  status: 'valid' | 'excluded' | 'not_attributed' | 'not_first' | 'ineligible';
  reasons: string[];
  rebate_fen: number;
  rebate_status: 'pending' | 'confirmed' | 'frozen' | 'clawed_back' | 'capped' | null;
  experience: number;
  ordered_at: number;
  paid_fen: number;
  net_fen: number;
  level: string | null;
  ratio_bp: number | null;
  cycle_key: string | null;
  group_id: string;
  /** the customer's name and phone (masked for the support role) */
  customer_name: string | null;
  customer_phone: string | null;
}

/** A partner's standing, above their orders in 查询 (identity masked for support). */
export interface PartnerCard {
  partner_id: string;
  name: string | null;
  phone: string | null;
  status: string;
  level: string | null;
  experience: number;
  blacklisted: boolean;
  pending_fen: number;
  confirmed_fen: number;
  frozen_fen: number;
  paid_fen: number;
}

export interface OrderExplanationView {
  orderId: string;
  status: string;
  reasons: string[];
  rebateFen: number;
  rebateStatus: string | null;
  partnerId: string | null;
  configVersion: number;
  asOf: number;
  consistent: boolean;
  lines: { text: string; rules: string[] }[];
  ruleIds: string[];
  /** identity data in the lines is masked (the support role sees 138****0001) */
  masked: boolean;
  /** the answer for the partner (plain words first, the rule ids after; no one's identity data) */
  reply: string;
}

export interface PartnerDetail {
  partner_id: string;
  experience: number;
  level: string;
  blacklisted: boolean;
  pending_fen: number;
  confirmed_fen: number;
  frozen_fen: number;
  negative_balance_fen: number;
  risk_flag: boolean;
  risk: { validOrders: number; clawedOrders: number } | null;
  payouts: {
    cycle_key: string;
    cycle_start: number;
    cycle_end: number;
    confirmed_fen: number;
    paid_fen: number;
    carried_fen: number;
    amount_fen: number;
    status: 'open' | 'due' | 'closed';
  }[];
  experienceEntries: {
    at: number;
    delta: number;
    customer_id: string;
    order_id: string;
    source_id: string;
  }[];
}

export interface SamePersonGroupView {
  groupId: string;
  members: { kind: 'partner' | 'customer'; id: string }[];
  edges: { a_kind: string; a_id: string; b_kind: string; b_id: string; evidence: string; value: string }[];
}

const RESULT_TABLES = [
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
  'rule_configs',
  'audit_log',
] as const;

/** R-OP-1: results are recomputed by admins and finance (before a payout), and by scripts. */
const RECOMPUTERS: readonly Caller[] = ['admin', 'finance', 'system'];

export const rulesContract = {
  /** Full recompute; asOf: ISO 8601 or "YYYY-MM-DD HH:mm:ss" (Asia/Shanghai); default now. */
  'engine.recompute': method<EngineRunInfo>()(
    z.object({ asOf: z.string().min(1).max(64).optional() }).strict(),
    RECOMPUTERS,
    [...RESULT_TABLES],
  ),
  /** Recompute only what an import touched (falls back to full when it must). */
  'engine.recomputeIncremental': method<EngineRunInfo>()(
    z
      .object({
        importIds: z.array(z.number().int()).max(MAX_IDS).optional(),
        customers: z.array(idField).max(MAX_IDS).optional(),
        partners: z.array(idField).max(MAX_IDS).optional(),
      })
      .strict(),
    RECOMPUTERS,
    [...RESULT_TABLES],
  ),
  'engine.lastRun': method<EngineRunInfo | null>()(z.object({}).strict(), READERS),
  'orders.explain': method<OrderExplanationView>()(
    z.object({ orderId: idField, lang: z.enum(['zh-CN', 'en']).default('zh-CN') }).strict(),
    READERS,
  ),
  /** By order, customer or partner id (or a prefix), or a customer's phone or name. */
  'orders.search': method<{ rows: OrderResultRow[]; total: number; totalIsLowerBound: boolean }>()(
    z
      .object({
        query: queryField.optional(),
        status: z.enum(['valid', 'excluded', 'not_attributed', 'not_first', 'ineligible']).optional(),
        partnerId: idField.optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    READERS,
  ),
  'partners.search': method<PartnerCard[]>()(
    z.object({ query: z.string().trim().min(1).max(200) }).strict(),
    READERS,
  ),
  'partners.get': method<PartnerDetail>()(z.object({ partnerId: idField }).strict(), READERS),
  'sameperson.group': method<SamePersonGroupView>()(
    z
      .object({
        groupId: idField.optional(),
        customerId: idField.optional(),
        partnerId: idField.optional(),
      })
      .strict(),
    READERS,
  ),
};
