/**
 * 操作日志: reading the audit log for the screen and for exports — filters, paging and order in
 * the store (portable Kysely), newest first.
 */
import { sql, type Kysely } from 'kysely';
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

/** Counts stop here (the screen says "10,000+"): a filter matching most of a huge log stays fast. */
export const AUDIT_COUNT_LIMIT = 10_000;

export async function listAudit(
  db: Kysely<Database>,
  f: AuditFilter & { limit: number; offset: number; order?: 'desc' | 'asc' },
): Promise<{ rows: AuditRow[]; total: number; totalIsLowerBound: boolean }> {
  const [rows, counted] = await Promise.all([
    filtered(db, f)
      .selectAll()
      .orderBy('audit_id', f.order ?? 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    db
      .selectFrom(
        filtered(db, f)
          .select('audit_id')
          .limit(AUDIT_COUNT_LIMIT + 1)
          .as('m'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(counted.n);
  return { rows, total: Math.min(n, AUDIT_COUNT_LIMIT), totalIsLowerBound: n > AUDIT_COUNT_LIMIT };
}

/**
 * The distinct operators and actions in the log (the screen's filter choices): a skip scan of each
 * index (one probe per distinct value), so a log of millions of entries answers in milliseconds.
 */
export async function auditFacets(db: Kysely<Database>): Promise<{ operators: string[]; actions: string[] }> {
  const distinct = async (column: 'operator_id' | 'action') => {
    const col = sql.ref(column);
    const r = await sql<{ v: string }>`
      WITH RECURSIVE d(v) AS (
        SELECT MIN(${col}) FROM audit_log
        UNION ALL
        SELECT (SELECT MIN(${col}) FROM audit_log WHERE ${col} > d.v) FROM d WHERE d.v IS NOT NULL
      )
      SELECT v FROM d WHERE v IS NOT NULL`.execute(db);
    return r.rows.map((x) => x.v);
  };
  const [operators, actions] = await Promise.all([distinct('operator_id'), distinct('action')]);
  return { operators, actions };
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
