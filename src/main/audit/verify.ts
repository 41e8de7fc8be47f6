/**
 * `audit verify` (R-OP-2): checks the chain in order and names the first entry that does not hold:
 * a gap in the numbering (an entry removed), a prev_hash that is not the hash before it (removed
 * or moved), a hash that is not the hash of its content (edited), or a head that does not match
 * the last entry (the last entries removed). Every check of an entry uses only that entry and the
 * stored hash of the one before it, so a long log is checked in stretches side by side, one worker
 * thread each (verify-worker.ts), and the first broken stretch names the entry a walk from the
 * start would.
 */
import type { SqlPort } from '../store/sql-port';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { findWorker } from '../workers';
import { GENESIS } from './chain';
import type { VerifyStretch, VerifyStretchReply } from './verify-worker';
import { verifyRange, type AuditBroken, type RangeVerdict } from './verify-range';

export type { AuditBreak } from './verify-range';

export interface AuditVerdict {
  intact: boolean;
  entries: number;
  /** the last entry's hash (the head) */
  head: string;
  /** the first broken entry (its audit_id, or the head's count for 'head') */
  broken: AuditBroken | null;
  durationMs: number;
}

/** Below this many entries one thread is quicker than starting workers. */
const PARALLEL_FROM = 100_000;

interface Snapshot {
  head: { entries: number; hash: string } | undefined;
  /** the lowest and highest entry numbers (0 and 0 for an empty log) */
  first: number;
  last: number;
}

function snapshot(sqlite: SqlPort): Snapshot {
  const head = sqlite.prepare('SELECT entries, hash FROM audit_head').get() as Snapshot['head'];
  const [first, last] = sqlite
    .prepare('SELECT min(audit_id), max(audit_id) FROM audit_log')
    .raw(true)
    .get() as [number | null, number | null];
  return { head, first: first ?? 0, last: last ?? 0 };
}

/** The id ranges of `threads` stretches of entries 1..last. */
export function stretchesOf(last: number, threads: number): [number, number][] {
  const size = Math.ceil(last / threads);
  const out: [number, number][] = [];
  for (let lo = 1; lo <= last; lo += size) out.push([lo, Math.min(last, lo + size - 1)]);
  return out;
}

function verdictOf(snap: Snapshot, stretches: RangeVerdict[], started: number): AuditVerdict {
  const durationMs = performance.now() - started;
  // the stretches read entries 1..last: an entry numbered below 1 comes before the first one
  if (snap.last > 0 && snap.first < 1)
    return {
      intact: false,
      entries: 0,
      head: GENESIS,
      broken: { auditId: snap.first, problem: 'gap', expected: '#1', found: `#${snap.first}` },
      durationMs,
    };
  let entries = 0;
  let last = GENESIS;
  for (const s of stretches) {
    if (s.broken)
      return { intact: false, entries: entries + s.intact, head: s.last, broken: s.broken, durationMs };
    entries += s.intact;
    last = s.last;
  }
  const { head } = snap;
  if (!head || head.entries !== entries || head.hash !== last)
    return {
      intact: false,
      entries,
      head: last,
      broken: {
        auditId: head?.entries ?? entries,
        problem: 'head',
        expected: `${entries} · ${last}`,
        found: head ? `${head.entries} · ${head.hash}` : 'no head',
      },
      durationMs,
    };
  return { intact: true, entries, head: last, broken: null, durationMs };
}

/**
 * The whole chain on this connection and thread, in one read transaction; in `stretches` checked
 * one after the other (the same verdict as one walk: verify.test.ts).
 */
export function verifyAudit(sqlite: SqlPort, stretches = 1): AuditVerdict {
  const started = performance.now();
  const begin = !sqlite.inTransaction;
  if (begin) sqlite.exec('BEGIN');
  try {
    const snap = snapshot(sqlite);
    const ranges = stretchesOf(snap.last, stretches).map(([lo, hi]) => verifyRange(sqlite, lo, hi));
    return verdictOf(snap, ranges, started);
  } finally {
    if (begin) sqlite.exec('COMMIT');
  }
}

export interface VerifyOptions {
  nativeBinding?: string;
  /** how many stretches side by side (default: the cores, 2 to 4) */
  threads?: number;
  /** check in stretches from this many entries on (default 100,000) */
  parallelFrom?: number;
  /** the worker's bundle (default: findWorker's; null: one thread) */
  workerFile?: string | null;
}

/**
 * The whole chain of a store file, in stretches on worker threads when the log is long. The
 * entries checked are those up to the last one when it starts (the head read with it): entries
 * appended meanwhile are not looked at, and entries never change (the store's triggers).
 */
export async function verifyAuditStore(
  store: { sqlite: SqlPort; file: string; dialect?: 'sqlite' | 'postgres' },
  options: VerifyOptions = {},
): Promise<AuditVerdict> {
  const started = performance.now();
  const workerFile =
    options.workerFile === undefined ? findWorker('audit-verify-worker') : options.workerFile;
  const threads = options.threads ?? Math.min(4, Math.max(2, availableParallelism()));
  // a team database is checked in one walk (the stretches' workers open SQLite files)
  const inMemory =
    store.dialect === 'postgres' ||
    store.file === ':memory:' ||
    store.file === '' ||
    (store.sqlite as { memory?: boolean }).memory === true;
  const snap = store.sqlite.inTransaction
    ? snapshot(store.sqlite)
    : store.sqlite.transaction(snapshot)(store.sqlite);
  if (!workerFile || inMemory || threads < 2 || snap.last < (options.parallelFrom ?? PARALLEL_FROM))
    return verifyAudit(store.sqlite);
  const stretches = stretchesOf(snap.last, threads).map(([lo, hi]) => {
    const req: VerifyStretch = { file: store.file, nativeBinding: options.nativeBinding, lo, hi };
    return new Promise<RangeVerdict>((resolve, reject) => {
      const worker = new Worker(workerFile, { workerData: req });
      worker.once('message', (m: VerifyStretchReply) =>
        m.ok ? resolve(m.verdict) : reject(new Error(`audit verify: ${m.message}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`audit verify: a worker ended (${code}) without a verdict`)),
      );
    });
  });
  return verdictOf(snap, await Promise.all(stretches), started);
}
