/**
 * One stretch of the audit chain, checked on its own (R-OP-2): entries lo..hi, each against the
 * one before it. Every check of an entry needs only that entry and the stored hash of the entry
 * before it, so stretches can be checked side by side (verify.ts) and the first broken stretch
 * names the same entry a walk from the start would. Synchronous, on one connection, inside the
 * caller's read transaction.
 */
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { SqlPort } from '../store/sql-port';
import { canonicalEntry, entryHash, GENESIS, type AuditRow } from './chain';

export type AuditBreak =
  | 'gap' // an entry is missing before this one
  | 'link' // prev_hash is not the previous entry's hash
  | 'content' // the entry's content does not give its hash
  | 'head'; // the chain's head does not match its last entry

export interface AuditBroken {
  auditId: number;
  problem: AuditBreak;
  expected: string;
  found: string;
}

export interface RangeVerdict {
  /** intact entries from lo on (all of lo..hi when nothing broke) */
  intact: number;
  /** the hash of the last intact entry (the hash before lo when none) */
  last: string;
  broken: AuditBroken | null;
}

const COLS =
  'audit_id, recorded_at, effective_at, operator_id, role, action, entity, entity_id, reason, before_json, after_json';
/**
 * The store writes each entry's content as canonicalEntry's JSON array; SQLite's json_array of the
 * same columns gives that text for ordinary entries without a round trip of every column through
 * JavaScript. Where the two texts could differ (an escape written another way), an entry whose
 * SQLite text does not give its hash is checked again with canonicalEntry itself, so the verdict
 * is canonicalEntry's either way. That holds while the log is a STRICT table (its columns hold
 * only integers, text or NULL): a log rebuilt without STRICT is checked with canonicalEntry alone.
 */
const FAST = `SELECT audit_id, prev_hash, hash, json_array(${COLS}) FROM audit_log WHERE audit_id BETWEEN ? AND ? ORDER BY audit_id`;
/** A log that is not STRICT: each entry's columns go through canonicalEntry (canonicalOf). */
const EXACT = `SELECT audit_id, prev_hash, hash, NULL FROM audit_log WHERE audit_id BETWEEN ? AND ? ORDER BY audit_id`;

type Row = [
  number,
  number,
  number,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
];

/** A team database: every entry's columns, each entry through canonicalEntry in one pass. */
const WHOLE = `SELECT audit_id, prev_hash, hash, ${COLS} FROM audit_log WHERE audit_id BETWEEN ? AND ? ORDER BY audit_id`;

function canonicalOf(sqlite: SqlPort, id: number): string {
  return canonicalOfRow(
    sqlite.prepare(`SELECT ${COLS} FROM audit_log WHERE audit_id = ?`).raw(true).get(id) as Row,
  );
}

function canonicalOfRow(row: Row): string {
  return canonicalEntry({
    audit_id: row[0],
    recorded_at: row[1],
    effective_at: row[2],
    operator_id: row[3],
    role: row[4] as AuditRow['role'],
    action: row[5],
    entity: row[6],
    entity_id: row[7],
    reason: row[8],
    before_json: row[9],
    after_json: row[10],
  });
}

export function verifyRange(sqlite: SqlPort, lo: number, hi: number): RangeVerdict {
  let prev = GENESIS;
  if (lo > 1) {
    const before = sqlite
      .prepare('SELECT hash FROM audit_log WHERE audit_id = ?')
      .pluck()
      .get(lo - 1) as string | undefined;
    // a missing entry before lo is the previous stretch's to name; compare with nothing here
    prev = before ?? '';
  }
  const pg = sqlite instanceof PgSyncPort;
  const strict =
    !pg &&
    sqlite
      .prepare("SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = 'audit_log'")
      .pluck()
      .get() === 1;
  let expectedId = lo;
  const broken = (b: AuditBroken): RangeVerdict => ({ intact: expectedId - lo, last: prev, broken: b });
  for (const r of sqlite
    .prepare(pg ? WHOLE : strict ? FAST : EXACT)
    .raw(true)
    .iterate(lo, hi)) {
    const [id, prevHash, stored] = r as [number, string, string];
    const text = pg ? canonicalOfRow((r as unknown[]).slice(3) as Row) : (r as (string | null)[])[3];
    if (id !== expectedId)
      return broken({ auditId: id, problem: 'gap', expected: `#${expectedId}`, found: `#${id}` });
    if (prevHash !== prev) return broken({ auditId: id, problem: 'link', expected: prev, found: prevHash });
    let h = text === null ? '' : entryHash(prev, text);
    if (h !== stored) h = entryHash(prev, canonicalOf(sqlite, id));
    if (h !== stored) return broken({ auditId: id, problem: 'content', expected: h, found: stored });
    prev = h;
    expectedId++;
  }
  if (expectedId <= hi) {
    // the stretch ends early: its last entries are missing; name the next entry there is
    const next = sqlite.prepare('SELECT min(audit_id) FROM audit_log WHERE audit_id > ?').pluck().get(hi) as
      number | null;
    return broken({
      auditId: next ?? expectedId,
      problem: 'gap',
      expected: `#${expectedId}`,
      found: next === null ? 'none' : `#${next}`,
    });
  }
  return { intact: expectedId - lo, last: prev, broken: null };
}
