/**
 * Worker-thread entry of a full recompute's helpers (bundled to dist-cli/grouping-worker.mjs and
 * out/main/grouping-worker.js, see rules/grouping.ts):
 * - `group`: opens its own read-only connection, groups every account, posts the arrays
 *   (transferred), then raises the shared flag the engine thread waits on (errors are posted
 *   the same way) and ends, so its memory is freed while the engine goes on;
 * - `checkpoint`: after the engine's commit, checkpoints the WAL on a connection of its own.
 */
import BetterSqlite3 from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { computeGrouping, FLAG, type GroupingWorkerReply, type GroupingWorkerRequest } from './grouping';

const req = workerData as GroupingWorkerRequest;
const open = (readonly: boolean) =>
  new BetterSqlite3(req.file, { readonly, fileMustExist: true, nativeBinding: req.nativeBinding });

if (req.task === 'checkpoint') {
  try {
    const db = open(false);
    try {
      db.pragma('busy_timeout = 5000');
      // PASSIVE: copies what no reader still needs, never blocks a reader or writer
      db.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      db.close();
    }
  } catch {
    // nothing lost: the WAL stays, and the next automatic checkpoint copies it
  }
} else {
  let reply: GroupingWorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const db = open(true);
    try {
      db.pragma('cache_size = -65536');
      const data = computeGrouping(db);
      reply = { ok: true, data };
      transfer = [data.root, data.size, data.edgeA, data.edgeB, data.edgeKind].map(
        (a) => a.buffer as ArrayBuffer,
      );
    } finally {
      db.close();
    }
  } catch (e) {
    reply = { ok: false, message: (e as Error).message ?? String(e) };
  }
  req.port!.postMessage(reply, transfer);
  req.port!.close();
  const flag = new Int32Array(req.signal!);
  Atomics.store(flag, 0, FLAG.replied);
  Atomics.notify(flag, 0);
}
