/**
 * 操作日志: the decision trail (R-OP-2), read-only for every role: filtered pages, the chain's
 * verification, exports. No Node imports.
 */
import { z } from 'zod';
import { method, READERS } from '../define';

export interface AuditEntryView {
  audit_id: number;
  recorded_at: number;
  effective_at: number;
  operator_id: string;
  role: string;
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditVerdictView {
  intact: boolean;
  entries: number;
  head: string;
  broken: {
    auditId: number;
    problem: 'gap' | 'link' | 'content' | 'head';
    expected: string;
    found: string;
  } | null;
  durationMs: number;
}

export const auditFilter = {
  operatorId: z.string().trim().min(1).max(200).optional(),
  role: z.enum(['admin', 'finance', 'support', 'system']).optional(),
  /** an action, or a family ending in "." (`blacklist.`) */
  action: z.string().trim().min(1).max(100).optional(),
  entityId: z.string().trim().min(1).max(200).optional(),
  /** recorded at ≥ from and < until, epoch ms */
  from: z.number().int().optional(),
  until: z.number().int().optional(),
};

export const auditContract = {
  'audit.list': method<{ rows: AuditEntryView[]; total: number; totalIsLowerBound: boolean }>()(
    z
      .object({
        ...auditFilter,
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
        order: z.enum(['desc', 'asc']).default('desc'),
      })
      .strict(),
    READERS,
  ),
  'audit.facets': method<{ operators: string[]; actions: string[] }>()(z.object({}).strict(), READERS),
  /** Walks the whole chain now (R-OP-2). */
  'audit.verify': method<AuditVerdictView>()(z.object({}).strict(), READERS),
  /** The entries matching, oldest first, as a file's content (the screen saves it). */
  'audit.export': method<{ fileName: string; content: string; entries: number }>()(
    z.object({ ...auditFilter, format: z.enum(['csv', 'jsonl']) }).strict(),
    READERS,
  ),
};
