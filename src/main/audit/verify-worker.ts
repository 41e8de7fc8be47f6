/**
 * Worker-thread entry of `audit verify` (verify.ts; bundled to dist-cli/audit-verify-worker.mjs
 * and out/main/audit-verify-worker.js): checks one stretch of the chain on its own read-only
 * connection and posts its verdict (or its error).
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { sqlitePort } from '../store/sql-port';
import { verifyRange, type RangeVerdict } from './verify-range';

export interface VerifyStretch {
  file: string;
  nativeBinding?: string;
  lo: number;
  hi: number;
}
export type VerifyStretchReply = { ok: true; verdict: RangeVerdict } | { ok: false; message: string };

const req = workerData as VerifyStretch;
let reply: VerifyStretchReply;
try {
  const db = new BetterSqlite3(req.file, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: req.nativeBinding,
  });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN');
    reply = { ok: true, verdict: verifyRange(sqlitePort(db), req.lo, req.hi) };
    db.exec('COMMIT');
  } finally {
    db.close();
  }
} catch (e) {
  reply = { ok: false, message: (e as Error).message };
}
parentPort!.postMessage(reply);
