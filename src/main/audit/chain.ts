/**
 * R-OP-2: the audit log is append-only and hash-chained. Each entry holds the SHA-256 of the
 * previous entry's hash and of its own canonical content, so an entry edited, removed or moved
 * behind the store's back breaks the chain at that entry (verify.ts). Pure: no store here.
 */
import { hash } from 'node:crypto';
import type { Role } from '../store/admin.table';

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

/** Who acts: an operator, or the operating-system user of a script (`system:NAME`, DATA.md). */
export interface Actor {
  operatorId: string;
  role: Role | 'system';
  name: string;
}

/** What a write records (R-OP-2): who, when, from when, what, on which entity, why, before/after. */
export interface AuditInput {
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string | null;
  reason?: string | null;
  /** the effect's starting instant (R-OP-3); default: when it is recorded */
  effectiveAt?: number;
  before?: unknown;
  after?: unknown;
}

/** An entry as stored (the columns of audit_log). */
export interface AuditRow {
  audit_id: number;
  recorded_at: number;
  effective_at: number;
  operator_id: string;
  role: Role | 'system';
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** The content an entry's hash covers: every column but the hashes, in a fixed order. */
export function canonicalEntry(r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return JSON.stringify([
    r.audit_id,
    r.recorded_at,
    r.effective_at,
    r.operator_id,
    r.role,
    r.action,
    r.entity,
    r.entity_id,
    r.reason,
    r.before_json,
    r.after_json,
  ]);
}

export function entryHash(prevHash: string, canonical: string): string {
  return hash('sha256', `${prevHash}\n${canonical}`);
}

/** The row that follows the head (`entries` so far, last hash `prevHash`). */
export function chainRow(
  input: AuditInput,
  head: { entries: number; hash: string },
  recordedAt: number,
): AuditRow {
  const row = {
    audit_id: head.entries + 1,
    recorded_at: recordedAt,
    effective_at: input.effectiveAt ?? recordedAt,
    operator_id: input.actor.operatorId,
    role: input.actor.role,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId ?? null,
    reason: input.reason ?? null,
    before_json: input.before === undefined ? null : canonicalJson(input.before),
    after_json: input.after === undefined ? null : canonicalJson(input.after),
  };
  return { ...row, prev_hash: head.hash, hash: entryHash(head.hash, canonicalEntry(row)) };
}
