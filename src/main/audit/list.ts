/**
 * 操作日志: reading the audit log for the screen and for exports — filters, paging and order in
 * the store (portable Kysely), newest first.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database';
import type { AuditRow } from './chain';

export interface AuditFilter {
  operatorId?: string;
  role?: string;
  /** an action, or a prefix ending in "." (`blacklist.` → every blacklist action) */
  action?: string;
  entityId?: string;
  /** recorded at ≥ from, < until (epoch ms) */
  from?: number;
  until?: number;
}

function filtered(db: Kysely<Database>, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.operatorId) q = q.where('operator_id', '=', f.operatorId);
  if (f.role) q = q.where('role', '=', f.role as AuditRow['role']);
  if (f.action)
    q = f.action.endsWith('.')
      ? q.where('action', '>=', f.action).where('action', '<', f.action.slice(0, -1) + '/')
      : q.where('action', '=', f.action);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.from !== undefined) q = q.where('recorded_at', '>=', f.from);
  if (f.until !== undefined) q = q.where('recorded_at', '<', f.until);
  return q;
}

export async function listAudit(
  db: Kysely<Database>,
  f: AuditFilter & { limit: number; offset: number; order?: 'desc' | 'asc' },
): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    filtered(db, f)
      .selectAll()
      .orderBy('audit_id', f.order ?? 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The distinct operators and actions in the log (the screen's filter choices). */
export async function auditFacets(db: Kysely<Database>): Promise<{ operators: string[]; actions: string[] }> {
  const [ops, actions] = await Promise.all([
    db.selectFrom('audit_log').select('operator_id').distinct().orderBy('operator_id').execute(),
    db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
  ]);
  return { operators: ops.map((r) => r.operator_id), actions: actions.map((r) => r.action) };
}

/** Every entry matching, oldest first, in pages (exports of any size without holding them all). */
export async function* auditPages(
  db: Kysely<Database>,
  f: AuditFilter,
  pageSize = 5000,
): AsyncGenerator<AuditRow[]> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f)
      .selectAll()
      .where('audit_id', '>', after)
      .orderBy('audit_id', 'asc')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].audit_id;
  }
}
