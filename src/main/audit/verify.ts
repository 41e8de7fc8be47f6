/**
 * `audit verify` (R-OP-2): walks the chain in order and names the first entry that does not hold:
 * a gap in the numbering (an entry removed), a prev_hash that is not the hash before it (removed
 * or moved), a hash that is not the hash of its content (edited), or a head that does not match
 * the last entry (the last entries removed). Every check of an entry uses only that entry and the
 * one before it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { canonicalEntry, entryHash, GENESIS, type AuditRow } from './chain';

export type AuditBreak =
  | 'gap' // an entry is missing before this one
  | 'link' // prev_hash is not the previous entry's hash
  | 'content' // the entry's content does not give its hash
  | 'head'; // the chain's head does not match its last entry

export interface AuditVerdict {
  intact: boolean;
  entries: number;
  /** the last entry's hash (the head) */
  head: string;
  /** the first broken entry (its audit_id, or the head's count for 'head') */
  broken: { auditId: number; problem: AuditBreak; expected: string; found: string } | null;
  durationMs: number;
}

const COLS =
  'audit_id, recorded_at, effective_at, operator_id, role, action, entity, entity_id, reason, before_json, after_json, prev_hash, hash';

export function verifyAudit(sqlite: BetterSqlite3.Database): AuditVerdict {
  const started = performance.now();
  const done = (v: Omit<AuditVerdict, 'durationMs'>): AuditVerdict => ({
    ...v,
    durationMs: performance.now() - started,
  });
  // one read transaction: the entries and the head as of one instant
  const begin = !sqlite.inTransaction;
  if (begin) sqlite.exec('BEGIN');
  try {
    const head = sqlite.prepare('SELECT entries, hash FROM audit_head').get() as
      { entries: number; hash: string } | undefined;
    let expectedId = 1;
    let prev = GENESIS;
    for (const r of sqlite.prepare(`SELECT ${COLS} FROM audit_log ORDER BY audit_id`).raw(true).iterate()) {
      const row = r as [
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
        string,
        string,
      ];
      const id = row[0];
      if (id !== expectedId)
        return done({
          intact: false,
          entries: expectedId - 1,
          head: prev,
          broken: { auditId: id, problem: 'gap', expected: `#${expectedId}`, found: `#${id}` },
        });
      if (row[11] !== prev)
        return done({
          intact: false,
          entries: expectedId - 1,
          head: prev,
          broken: { auditId: id, problem: 'link', expected: prev, found: row[11] },
        });
      const content = canonicalEntry({
        audit_id: id,
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
      const h = entryHash(prev, content);
      if (h !== row[12])
        return done({
          intact: false,
          entries: expectedId - 1,
          head: prev,
          broken: { auditId: id, problem: 'content', expected: h, found: row[12] },
        });
      prev = h;
      expectedId++;
    }
    const entries = expectedId - 1;
    if (!head || head.entries !== entries || head.hash !== prev)
      return done({
        intact: false,
        entries,
        head: prev,
        broken: {
          auditId: head?.entries ?? entries,
          problem: 'head',
          expected: `${entries} · ${prev}`,
          found: head ? `${head.entries} · ${head.hash}` : 'no head',
        },
      });
    return done({ intact: true, entries, head: prev, broken: null });
  } finally {
    if (begin) sqlite.exec('COMMIT');
  }
}
