/**
 * Exports of the audit log (CSV with a header, or JSON lines), oldest first, each entry with its
 * hashes so the file can be checked against the chain later. CSV cells that a spreadsheet would
 * read as a formula are written as text (export/csv-cell.ts).
 */
import type { Kysely } from 'kysely';
import { csvLine } from '../export/csv-cell';
import type { Database } from '../store/database';
import type { AuditRow } from './chain';
import { auditPages, type AuditFilter } from './list';

const COLUMNS: (keyof AuditRow)[] = [
  'audit_id',
  'recorded_at',
  'effective_at',
  'operator_id',
  'role',
  'action',
  'entity',
  'entity_id',
  'reason',
  'before_json',
  'after_json',
  'prev_hash',
  'hash',
];

/** Writes the export through `write` (a file stream, stdout, or a string buffer). */
export async function exportAudit(
  db: Kysely<Database>,
  format: 'csv' | 'jsonl',
  write: (chunk: string) => void | Promise<void>,
  filter: AuditFilter = {},
): Promise<number> {
  let n = 0;
  if (format === 'csv') await write(csvLine(COLUMNS));
  for await (const page of auditPages(db, filter)) {
    let chunk = '';
    for (const r of page) {
      chunk +=
        format === 'csv'
          ? csvLine(COLUMNS.map((c) => r[c]))
          : JSON.stringify(Object.fromEntries(COLUMNS.map((c) => [c, r[c]]))) + '\n';
    }
    await write(chunk);
    n += page.length;
  }
  return n;
}
