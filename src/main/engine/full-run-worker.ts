/**
 * Worker-thread entry of a full recompute's helper (engine/full-run.ts; bundled to
 * dist-cli/full-run-worker.mjs and out/main/full-run-worker.js). On its own connection it takes
 * the write lock, groups every account (posted as arrays, transferred), empties the result
 * tables, writes the rows the engine sends, rebuilds the indexes (a table's as soon as the engine
 * says it is complete), records the run and commits,
 * then checkpoints the WAL while the engine goes on. Any error is posted and rolls back.
 */
import BetterSqlite3 from 'better-sqlite3';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  HANDLED_BY_HELPER,
  POSTED_BY_ENGINE,
  POSTED_BY_HELPER,
  type EngineMessage,
  type HelperMessage,
  type HelperRequest,
} from './full-run';
import { sqlitePort } from '../store/sql-port';
import { computeGrouping } from './compute-grouping';
import { RESULT_TABLE_OF, ResultWriter } from './persist';

const req = workerData as HelperRequest;
const counters = new Int32Array(req.signal);
const post = (m: HelperMessage, transfer: ArrayBuffer[] = []) => {
  req.port.postMessage(m, transfer);
  Atomics.add(counters, POSTED_BY_HELPER, 1);
  Atomics.notify(counters, POSTED_BY_HELPER);
};

/** the engine's next message (it is synchronous too: an hour at most between two) */
let handled = 0;
function next(): EngineMessage {
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const got = receiveMessageOnPort(req.port);
    if (got) {
      handled++;
      Atomics.store(counters, HANDLED_BY_HELPER, handled - 1); // the previous one is done
      Atomics.notify(counters, HANDLED_BY_HELPER);
      return got.message as EngineMessage;
    }
    const posted = Atomics.load(counters, POSTED_BY_ENGINE);
    if (posted === handled) Atomics.wait(counters, POSTED_BY_ENGINE, posted, 1000);
    if (Date.now() > deadline) throw new Error('the engine sent nothing for an hour');
  }
}

let db: BetterSqlite3.Database | null = null;
let committed = false;
try {
  db = new BetterSqlite3(req.file, { fileMustExist: true, nativeBinding: req.nativeBinding });
  db.pragma(`busy_timeout = ${req.busyTimeoutMs}`);
  db.pragma('cache_size = -65536');
  // the checkpoint comes after the engine has its answer (below)
  db.pragma('wal_autocheckpoint = 0');
  db.exec('BEGIN IMMEDIATE');
  post({ type: 'locked' });
  const data = computeGrouping(sqlitePort(db), req.asOf);
  post(
    { type: 'grouping', data },
    [data.root, data.size, data.edgeA, data.edgeB, data.edgeKind].map((a) => a.buffer as ArrayBuffer),
  );
  const w = new ResultWriter(sqlitePort(db));
  // each index's table, to build a table's indexes once the engine says it is complete
  const tableOf = new Map(
    db
      .prepare("SELECT sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .raw()
      .all() as [string, string][],
  );
  // indexes first: emptying tables without them frees fewer pages
  let indexes = w.dropIndexes();
  w.clearAll();
  for (let m = next(); ; m = next()) {
    if (m.type === 'rows') for (const row of m.rows) w.rows(m.table, row);
    else if (m.type === 'done') {
      // those tables are complete: their indexes now, while the engine evaluates on
      const complete = new Set(m.tables.map((t) => RESULT_TABLE_OF[t]));
      const now = indexes.filter((d) => complete.has(tableOf.get(d) ?? ''));
      indexes = indexes.filter((d) => !complete.has(tableOf.get(d) ?? ''));
      w.createIndexes(now);
    } else if (m.type === 'abort') {
      db.exec('ROLLBACK');
      post({ type: 'aborted' });
      break;
    } else {
      w.flush();
      w.createIndexes(indexes);
      const runId = w.run(m.run);
      db.exec('COMMIT');
      committed = true;
      post({ type: 'done', runId });
      break;
    }
  }
} catch (e) {
  if (db?.inTransaction) db.exec('ROLLBACK');
  post({ type: 'error', message: (e as Error).message ?? String(e) });
}
try {
  // PASSIVE: copies what no reader still needs, never blocks a reader or writer; what is left
  // is copied by the next automatic checkpoint
  if (committed) db?.pragma('wal_checkpoint(PASSIVE)');
} finally {
  db?.close();
}
