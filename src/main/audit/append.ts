/**
 * Appending to the audit log inside the caller's transaction (R-OP-2: the entry lands with its
 * effect, or neither does). Two forms of the same three steps (read the head, chain, insert):
 * portable Kysely for the contract's handlers, and raw better-sqlite3 for the synchronous hot
 * paths that already hold a transaction on their own connection (imports, engine runs, demo).
 * The store's triggers link each new row to the head and advance it.
 */
import type { SqlPort } from '../store/sql-port';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database';
import { chainRow, type AuditInput, type AuditRow } from './chain';

export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  input: AuditInput,
  recordedAt = Date.now(),
): Promise<AuditRow> {
  // the head is read by a no-op update: on PostgreSQL this locks it until the transaction ends, so
  // two desks appending at once take turns (the second reads the first's entry) instead of one
  // being refused by the store's trigger; on SQLite the transaction holds the write lock anyway
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ entries: eb.ref('entries') }))
    .where('one', '=', 1)
    .returning(['entries', 'hash'])
    .executeTakeFirstOrThrow();
  const row = chainRow(input, head, recordedAt);
  await trx.insertInto('audit_log').values(row).execute();
  return row;
}

const headSql = 'SELECT entries, hash FROM audit_head';
const insertSql = `INSERT INTO audit_log (audit_id, recorded_at, effective_at, operator_id, role, action, entity, entity_id,
  reason, before_json, after_json, prev_hash, hash) VALUES (@audit_id, @recorded_at, @effective_at, @operator_id, @role,
  @action, @entity, @entity_id, @reason, @before_json, @after_json, @prev_hash, @hash)`;

export function appendAuditSync(sqlite: SqlPort, input: AuditInput, recordedAt = Date.now()): AuditRow {
  if (!sqlite.inTransaction) throw new Error('appendAuditSync needs the transaction of its effect');
  const head = sqlite.prepare(headSql).get() as { entries: number; hash: string };
  const row = chainRow(input, head, recordedAt);
  sqlite.prepare(insertSql).run(row);
  return row;
}
